"""Screens made for a room, measured in a real browser at the sizes they
are used: the waiting-room display read from ten metres (1080p landscape
and portrait), the kiosk touched by a citizen (portrait 1080×1920), the
booking flow's choices on a phone. DKFDS sets 1 rem = 10 px; these numbers
are what a person sees, not what the CSS says."""

from datetime import datetime
from typing import Any

import pytest
from pytest_django.live_server_helper import LiveServer

from skranke.accounts.models import User
from skranke.core import clock
from skranke.core.models import Desk, Location, Service
from skranke.demo.data import DEMO_DEVICE_TOKENS
from skranke.demo.loading import load_demo_data
from skranke.queueing.calling import call_next
from skranke.queueing.checkin import issue_walk_in_ticket
from tests.browser.conftest import assert_accessible
from tests.browser.test_queue_pages import sign_in_device

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def busy_morning(transactional_db: None) -> None:
    clock.set_now(datetime(2026, 12, 7, 10, 30, tzinfo=clock.LOCAL_ZONE))
    load_demo_data(now=clock.now())
    town_hall = Location.objects.get(slug="raadhuset")
    postal_vote = Service.objects.get(slug="brevstemme")
    for _ in range(7):
        issue_walk_in_ticket(location=town_hall, service=postal_vote)
    staff = User.objects.get(username="skranke")
    for desk in Desk.objects.filter(location=town_hall, kind=Desk.Kind.COUNTER)[:4]:
        call_next(desk=desk, staff=staff)


def measure(page: Any, selector: str) -> list[dict[str, float]]:
    return page.eval_on_selector_all(
        selector,
        """nodes => nodes.map(node => {
            const box = node.getBoundingClientRect();
            const style = getComputedStyle(node);
            return {font: parseFloat(style.fontSize), width: box.width, height: box.height,
                    color: style.color, background: style.backgroundColor};
        })""",
    )


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1080, 1920)])
def test_the_display_reads_from_across_the_room(
    busy_morning: None, live_server: LiveServer, browser: Any, width: int, height: int
) -> None:
    page = browser.new_context(
        locale="da-DK", viewport={"width": width, "height": height}
    ).new_page()
    sign_in_device(page, live_server.url, DEMO_DEVICE_TOKENS["display"])
    page.wait_for_load_state("load")
    page.locator("#calls tr.newest").wait_for()
    [newest, *_] = measure(page, "#calls tr.newest td")
    others = measure(page, "#calls tr:not(.newest) td")
    assert newest["font"] >= 0.10 * height
    assert others
    assert all(cell["font"] >= 0.05 * height for cell in others)
    [table] = measure(page, ".display-calls")
    assert table["width"] >= 0.9 * width  # the screen, not a column in its middle
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
    assert page.locator("#chime").inner_text() == "Lyd til / Sound on"
    assert_accessible(page, strict_contrast=True)
    page.context.close()


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1080, 1920)])
def test_the_display_shows_as_many_calls_as_fit_and_never_cuts_the_wait(
    busy_morning: None, live_server: LiveServer, browser: Any, width: int, height: int
) -> None:
    """Six calls overflowed a portrait screen (2,035 px of 1,920), cutting
    the expected wait: the oldest calls give way instead."""
    town_hall = Location.objects.get(slug="raadhuset")
    staff = User.objects.get(username="skranke")
    for desk in Desk.objects.filter(location=town_hall, kind=Desk.Kind.COUNTER)[4:6]:
        call_next(desk=desk, staff=staff)
    page = browser.new_context(
        locale="da-DK", viewport={"width": width, "height": height}
    ).new_page()
    sign_in_device(page, live_server.url, DEMO_DEVICE_TOKENS["display"])
    page.locator("#calls tr.newest").wait_for()
    page.wait_for_load_state("load")  # the script fits the board as it starts
    assert not page.evaluate("document.documentElement.scrollHeight > window.innerHeight + 1")
    box = page.locator("#expected-wait").bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= height
    assert page.locator("#calls tr").count() >= 3
    page.context.close()


def test_the_kiosk_has_large_targets_and_a_readable_header(
    busy_morning: None, live_server: LiveServer, browser: Any
) -> None:
    page = browser.new_context(locale="da-DK", viewport={"width": 1080, "height": 1920}).new_page()
    sign_in_device(page, live_server.url, DEMO_DEVICE_TOKENS["kiosk"])
    page.wait_for_load_state("load")
    page.locator(".kiosk-button").first.wait_for()
    targets = measure(page, ".kiosk-button, .kiosk-input, .kiosk-header button")
    assert targets
    assert all(target["height"] >= 72 for target in targets), targets
    [place] = measure(page, ".kiosk-place")
    assert place["font"] >= 28
    assert place["color"] != "rgb(26, 26, 26)"  # not dark on the dark header
    labels = measure(page, ".kiosk .form-label, .kiosk p")
    assert all(label["font"] >= 24 for label in labels), labels
    assert_accessible(page, strict_contrast=True)
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("link", name="Træk et nummer").click()
    buttons = measure(page, ".kiosk-button")
    assert buttons
    assert all(button["height"] >= 72 for button in buttons)
    assert_accessible(page, strict_contrast=True)
    page.context.close()


def test_the_ticket_number_is_the_largest_thing_on_the_kiosk_and_on_the_slip(
    busy_morning: None, live_server: LiveServer, browser: Any
) -> None:
    """The one thing the citizen must remember: at least a tenth of the
    portrait kiosk's height, and larger than any other text, on the screen
    and printed."""
    page = browser.new_context(locale="da-DK", viewport={"width": 1080, "height": 1920}).new_page()
    sign_in_device(page, live_server.url, DEMO_DEVICE_TOKENS["kiosk"])
    page.get_by_role("link", name="Træk et nummer").click()
    page.get_by_role("button", name="Brevstemme").click()
    page.locator(".ticket-number").wait_for()
    for media in ("screen", "print"):
        page.emulate_media(media=media)
        [number] = measure(page, ".ticket-number")
        others = measure(page, "main h1, main h2, main p:not(.ticket-number), main button")
        visible = [other for other in others if other["height"] > 0]
        assert visible
        assert all(number["font"] > other["font"] for other in visible), (media, number, visible)
        if media == "screen":
            assert number["font"] >= 0.10 * 1920
            assert number["height"] >= 0.10 * 1920
    page.context.close()


def test_the_booking_choices_are_at_least_body_size_on_a_phone(
    busy_morning: None, live_server: LiveServer, browser: Any
) -> None:
    page = browser.new_context(locale="da-DK", viewport={"width": 390, "height": 844}).new_page()
    page.goto(live_server.url + "/bestil/")
    [body] = measure(page, "body")
    choices = measure(page, ".choice")
    helps = measure(page, ".choice-help")
    assert choices
    assert all(choice["font"] >= body["font"] for choice in choices)
    assert all(choice["font"] > max(h["font"] for h in helps) for choice in choices)
    assert_accessible(page, strict_contrast=True)
    page.context.close()
