"""Arrival to exit in real browsers: a citizen books, checks in at the
kiosk with the booking code, a staff member calls them at a desk, and the
waiting-room display shows the ticket and desk within 2 seconds; a walk-in
takes a ticket and is served. Kiosk, desk and display pages are axe-clean."""

import time
from datetime import datetime
from typing import Any

import pytest
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from skranke.accounts.models import User
from skranke.core import clock
from skranke.core.models import Desk, Location, Service
from skranke.demo.data import DEMO_DEVICE_TOKENS, DEMO_PASSWORD
from skranke.demo.loading import load_demo_data
from skranke.notifications.models import Message
from skranke.queueing.calling import call_next
from skranke.queueing.checkin import issue_walk_in_ticket
from skranke.queueing.models import Visit
from tests.browser.conftest import assert_accessible, has_horizontal_scroll
from tests.browser.test_booking_flow import book_passport_by_mouse

pytestmark = pytest.mark.django_db(transaction=True)

NOW = datetime(2026, 12, 7, 8, 0, tzinfo=clock.LOCAL_ZONE)
DISPLAY_WITHIN_SECONDS = 2.0


@pytest.fixture
def demo(transactional_db: None) -> None:
    clock.set_now(NOW)
    load_demo_data(now=clock.now())


def sign_in_device(page: Any, base: str, token: str) -> None:
    page.goto(base + "/enhed/")
    page.get_by_label("Enhedens token").fill(token)
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Log ind").click()


def open_desk(page: Any, base: str) -> None:
    page.goto(base + "/personale/log-ind/")
    page.get_by_label("Brugernavn").fill("skranke")
    page.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.locator("main").get_by_role("link", name="Betjen borgere ved en skranke").click()
    assert_accessible(page)
    page.get_by_label("Skranke 3, Borgerservice Rådhuset").check()
    page.get_by_role("button", name="Åbn skranken").click()


def test_book_check_in_call_and_see_it_on_the_display(
    demo: None, live_server: LiveServer, page: Any, browser: Any
) -> None:
    base = live_server.url
    code = book_passport_by_mouse(page, base)  # today at 10:00

    kiosk = browser.new_context(locale="da-DK", viewport={"width": 1080, "height": 1920}).new_page()
    sign_in_device(kiosk, base, DEMO_DEVICE_TOKENS["kiosk"])
    assert_accessible(kiosk)
    clock.set_now(datetime(2026, 12, 7, 9, 50, tzinfo=clock.LOCAL_ZONE))
    # A scanner types the code and presses Enter.
    kiosk.get_by_label("Bookingkode").press_sequentially(code)
    kiosk.keyboard.press("Enter")
    kiosk.get_by_text("Dit nummer", exact=True).wait_for()
    ticket = kiosk.locator(".ticket-number").inner_text()
    assert ticket == "P001"
    assert "Venteområde P ved fotoboksen" in kiosk.content()
    assert_accessible(kiosk)

    display = browser.new_context(locale="da-DK").new_page()
    sign_in_device(display, base, DEMO_DEVICE_TOKENS["display"])
    assert_accessible(display)
    assert "P001" not in display.locator("#calls").inner_text()

    open_desk(page, base)
    assert "P001" in page.locator("#desk-queue").inner_text()
    assert_accessible(page)
    # The board asks for changes every second, which keeps a call on the
    # screen within DISPLAY_WITHIN_SECONDS; how long it takes on a busy
    # machine is not asserted here (bench/display.py measures the answer).
    poll = int(display.locator("[data-poll]").get_attribute("data-poll") or 0)
    assert 0 < poll <= 1000 * DISPLAY_WITHIN_SECONDS / 2
    called = time.monotonic()
    page.get_by_role("button", name="Kald næste").click()
    display.locator("#calls tr.newest", has_text="P001").wait_for()
    print(f"\nThe call showed on the display after {time.monotonic() - called:.2f} s")
    assert "3" in display.locator("#calls tr.newest").inner_text()
    assert "Ane Hansen" not in display.content()
    assert_accessible(display)

    # At the desk: the booking's details, then start and finish by keyboard.
    assert "Ane Hansen" in page.locator(".desk-current").inner_text()
    assert_accessible(page)
    page.keyboard.press("Alt+Shift+S")
    page.locator("button[value=start]").wait_for(state="detached")
    page.keyboard.press("Alt+Shift+F")
    page.get_by_text("Ingen borger ved skranken.").wait_for()
    visit = Visit.objects.get(ticket_letter="P", ticket_number=1)
    assert (visit.status, visit.outcome, visit.desk.name) == ("ended", "served", "3")  # type: ignore[union-attr]


def test_the_transfer_shortcut_asks_for_the_errand_before_transferring(
    demo: None, live_server: LiveServer, page: Any
) -> None:
    clock.set_now(datetime(2026, 12, 7, 10, 30, tzinfo=clock.LOCAL_ZONE))
    town_hall = Location.objects.get(slug="raadhuset")
    issue_walk_in_ticket(location=town_hall, service=Service.objects.get(slug="brevstemme"))
    open_desk(page, live_server.url)
    page.get_by_role("button", name="Kald næste").click()
    page.locator(".desk-current").wait_for()
    page.keyboard.press("Alt+Shift+O")
    # Nothing is sent: the errand list gets the focus, with no errand chosen.
    focused = page.evaluate("() => document.activeElement.id")
    assert focused == "transfer-service"
    assert Visit.objects.get().status == Visit.Status.CALLED
    page.select_option("#transfer-service", label="Pas")
    with page.expect_navigation():
        page.keyboard.press("Alt+Shift+O")
    transferred = Visit.objects.get(transferred_from__isnull=False)
    assert transferred.service.slug == "pas"


def test_a_walk_in_takes_a_ticket_and_is_served(
    demo: None, live_server: LiveServer, page: Any, browser: Any
) -> None:
    base = live_server.url
    clock.set_now(datetime(2026, 12, 7, 10, 30, tzinfo=clock.LOCAL_ZONE))
    kiosk = browser.new_context(locale="da-DK").new_page()
    sign_in_device(kiosk, base, DEMO_DEVICE_TOKENS["kiosk"])
    kiosk.get_by_role("link", name="Træk et nummer").click()
    assert_accessible(kiosk)
    kiosk.get_by_role("button", name="Brevstemme").click()
    assert kiosk.locator(".ticket-number").inner_text() == "B001"
    assert "Forventet ventetid" in kiosk.content()
    # English, for the next citizen, and back to Danish when done.
    kiosk.get_by_role("button", name="English").click()
    kiosk.get_by_text("Your number", exact=True).wait_for()
    kiosk.get_by_role("button", name="Done").click()
    kiosk.get_by_text("Velkommen. Tjek ind her").wait_for()

    open_desk(page, base)
    page.get_by_role("button", name="Kald næste").click()
    assert "B001" in page.locator(".desk-current").inner_text()
    page.get_by_role("button", name="Afslut: betjent").click()
    page.get_by_text("Ingen borger ved skranken.").wait_for()
    assert Visit.objects.get().outcome == "served"


def test_a_walk_in_with_a_long_wait_asks_for_a_text_by_keyboard(
    demo: None, live_server: LiveServer, browser: Any
) -> None:
    clock.set_now(datetime(2026, 12, 7, 10, 30, tzinfo=clock.LOCAL_ZONE))
    postal_vote = Service.objects.get(slug="brevstemme")
    location = Location.objects.get(slug="raadhuset")
    for _ in range(20):
        issue_walk_in_ticket(location=location, service=postal_vote)
    kiosk = browser.new_context(locale="da-DK").new_page()
    sign_in_device(kiosk, live_server.url, DEMO_DEVICE_TOKENS["kiosk"])
    kiosk.get_by_role("link", name="Træk et nummer").click()
    kiosk.get_by_role("button", name="Brevstemme").click()
    assert kiosk.locator(".ticket-number").inner_text() == "B021"
    assert_accessible(kiosk)
    kiosk.get_by_label("Dit mobilnummer (frivilligt)").focus()
    kiosk.keyboard.type("21 21 21 21")
    kiosk.keyboard.press("Enter")
    kiosk.get_by_text("Vi sender en sms til nummeret, der slutter på 2121").wait_for()
    assert_accessible(kiosk)
    message = Message.objects.get(visit__ticket_number=21)
    assert (message.recipient, message.status) == ("+4521212121", "held")


def test_the_kiosk_works_with_the_keyboard_and_at_200_percent(
    demo: None, live_server: LiveServer, browser: Any
) -> None:
    context = browser.new_context(locale="da-DK", viewport={"width": 640, "height": 900})
    kiosk = context.new_page()
    sign_in_device(kiosk, live_server.url, DEMO_DEVICE_TOKENS["kiosk"])
    clock.set_now(datetime(2026, 12, 7, 10, 30, tzinfo=clock.LOCAL_ZONE))
    kiosk.evaluate("document.body.style.zoom = '200%'")
    assert not has_horizontal_scroll(kiosk)
    # The code field has focus from the start (a scanner types into it);
    # should the browser not give it, Tab reaches it.
    for _ in range(10):
        if kiosk.evaluate("document.activeElement && document.activeElement.id") == "code":
            break
        kiosk.keyboard.press("Tab")
    kiosk.keyboard.type("FORKERT")
    kiosk.keyboard.press("Enter")
    kiosk.get_by_role("alert").get_by_text("Vi kan ikke tjekke dig ind her i dag").wait_for()
    # The kiosk asks for the mobile number as well; its field has focus.
    assert kiosk.evaluate("document.activeElement.id") == "phone-too"
    assert_accessible(kiosk)


def test_the_display_recovers_by_itself_after_a_network_drop(
    demo: None, live_server: LiveServer, browser: Any
) -> None:
    clock.set_now(datetime(2026, 12, 7, 10, 30, tzinfo=clock.LOCAL_ZONE))
    context = browser.new_context(locale="da-DK")
    display = context.new_page()
    sign_in_device(display, live_server.url, DEMO_DEVICE_TOKENS["display"])
    display.locator("#waiting").wait_for()
    context.set_offline(True)
    display.get_by_text("Ingen forbindelse til serveren").wait_for()
    # Meanwhile a citizen takes a ticket and is called.
    location = Location.objects.get(slug="raadhuset")
    visit = issue_walk_in_ticket(location=location, service=Service.objects.get(slug="brevstemme"))
    desk = Desk.objects.get(location=location, name="1")
    call_next(desk=desk, staff=User.objects.get(username="skranke"))
    context.set_offline(False)
    display.locator("#calls tr.newest", has_text=visit.ticket).wait_for()
    assert display.locator("#connection").inner_text() == ""
    assert_accessible(display)


def test_the_display_shows_the_expected_wait_after_an_update(
    demo: None, live_server: LiveServer, browser: Any
) -> None:
    """The expected wait as the display's script redraws it after a change
    reads as the server's own page says it, never blank."""
    clock.set_now(datetime(2026, 12, 7, 10, 30, tzinfo=clock.LOCAL_ZONE))
    context = browser.new_context(locale="da-DK", viewport={"width": 1920, "height": 1080})
    display = context.new_page()
    sign_in_device(display, live_server.url, DEMO_DEVICE_TOKENS["display"])
    display.locator("#waiting").wait_for()
    before = display.locator("#waiting").inner_text()
    location = Location.objects.get(slug="raadhuset")
    issue_walk_in_ticket(location=location, service=Service.objects.get(slug="brevstemme"))
    # The script has redrawn the board when the count of waiting changes.
    expect(display.locator("#waiting")).not_to_have_text(before, timeout=10_000)
    redrawn = display.locator("#expected-wait").inner_text()
    served = context.new_page()
    served.goto(display.url)
    assert redrawn == served.locator("#expected-wait").inner_text()
    assert redrawn.strip() not in {"", "–"}
    context.close()
