"""A citizen books in a real browser: by mouse, by keyboard alone, and at
200 % zoom; every page on the way is checked with axe."""

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from pytest_django.live_server_helper import LiveServer

from skranke.booking.models import Booking
from skranke.core import clock
from skranke.demo.data import DEMO_PHONE_PREFIX
from skranke.demo.loading import load_demo_data
from tests.browser.conftest import assert_accessible, has_horizontal_scroll

pytestmark = pytest.mark.django_db(transaction=True)

# A Monday morning, so the week ahead has free times.
NOW = datetime(2026, 12, 7, 8, 0, tzinfo=clock.LOCAL_ZONE)


@pytest.fixture
def demo(transactional_db: None) -> None:
    clock.set_now(NOW)
    load_demo_data(now=clock.now())


def checked(page: Any, *, zoomed: bool = False) -> None:
    """Every page of the flow: axe-clean, and no sideways scrolling at 200 %."""
    assert_accessible(page)
    if zoomed:
        assert not has_horizontal_scroll(page), page.url


def book_passport_by_mouse(page: Any, base: str, *, zoomed: bool = False) -> str:
    page.goto(base + "/")
    page.get_by_role("link", name="Bestil tid").click()
    checked(page, zoomed=zoomed)
    page.get_by_role("link", name="Pas", exact=True).click()
    checked(page, zoomed=zoomed)
    page.get_by_role("link", name="Borgerservice Rådhuset").click()
    checked(page, zoomed=zoomed)
    page.locator("a.choice").first.click()
    checked(page, zoomed=zoomed)
    page.locator("a.time").first.click()
    checked(page, zoomed=zoomed)
    page.get_by_label("Fulde navn").fill("Ane Hansen")
    page.get_by_label("Mobilnummer").fill("20 12 34 56")
    page.get_by_role("button", name="Fortsæt").click()
    checked(page, zoomed=zoomed)
    # The review's two lists (the time, the details) line their values up.
    lefts = page.eval_on_selector_all(
        ".booking-summary dd", "nodes => nodes.map(node => node.getBoundingClientRect().left)"
    )
    assert len({round(left) for left in lefts}) == 1, lefts
    page.get_by_role("button", name="Bekræft booking").click()
    checked(page, zoomed=zoomed)
    assert "Din tid er bestilt" in page.content()
    return page.locator(".booking-code").inner_text()


def test_book_download_the_calendar_cancel_and_book_again(
    demo: None, live_server: LiveServer, page: Any, tmp_path: Path
) -> None:
    code = book_passport_by_mouse(page, live_server.url)
    with page.expect_download() as download:
        page.get_by_role("link", name="Føj til din kalender").click()
    calendar = Path(download.value.path()).read_text()
    assert "BEGIN:VEVENT" in calendar
    assert "Rådhuspladsen 1" in calendar

    # Later, from the link in the confirmation, in another browser session.
    booking = Booking.objects.get(code=code)
    manage_link = f"{live_server.url}/tid/{code}/?token={booking.token}"
    page.context.clear_cookies()
    page.goto(manage_link)
    assert page.url.endswith(f"/tid/{code}/")  # the token is gone from the address bar
    checked(page)
    page.get_by_role("link", name="Aflys bookingen").click()
    checked(page)
    page.get_by_role("button", name="Ja, aflys bookingen").click()
    assert "Denne booking er aflyst" in page.content()
    checked(page)
    assert Booking.objects.get(code=code).status == "cancelled"

    second = book_passport_by_mouse(page, live_server.url)
    assert Booking.objects.get(code=second).status == "booked"


def test_a_telephone_meeting_is_booked(demo: None, live_server: LiveServer, page: Any) -> None:
    page.goto(live_server.url + "/bestil/")
    page.get_by_role("link", name="Telefonmøde: Folkeregister").click()
    checked(page)  # one place only: straight to the days
    page.locator("a.choice").first.click()
    page.locator("a.time").first.click()
    page.get_by_label("Fulde navn").fill("Bo Jensen")
    page.get_by_label("Mobilnummer").fill("+45 20 98 76 54")
    page.get_by_label("Hvad vil du gerne tale om?").fill("Flytning til udlandet")
    page.get_by_role("button", name="Fortsæt").click()
    checked(page)
    page.get_by_role("button", name="Bekræft booking").click()
    assert "Vi ringer til dig på +45 20 98 76 54" in page.content()
    checked(page)
    assert Booking.objects.get(name="Bo Jensen").note == "Flytning til udlandet"


def tab_to(page: Any, text: str = "", *, element_id: str = "", limit: int = 80) -> None:
    """Press Tab until the focused element's text or value contains `text`
    (or it has the id `element_id`)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => [document.activeElement.id,"
            " document.activeElement.innerText || document.activeElement.value || '']"
        )
        if (element_id and focused[0] == element_id) or (text and text in focused[1]):
            return
    pytest.fail(f"{text or element_id!r} could not be reached with Tab on {page.url}")


def press_enter_and_follow(page: Any) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_the_whole_flow_works_with_the_keyboard_alone(
    demo: None, live_server: LiveServer, page: Any
) -> None:
    page.goto(live_server.url + "/bestil/")
    tab_to(page, "Kørekort")
    press_enter_and_follow(page)
    tab_to(page, "Borgerservice Rådhuset")
    press_enter_and_follow(page)
    tab_to(page, "december")  # the first day with free times
    press_enter_and_follow(page)
    tab_to(page, ":")  # the first time, e.g. 10:00
    press_enter_and_follow(page)
    tab_to(page, element_id="id_name")
    page.keyboard.type("Karen Blixen")
    page.keyboard.press("Tab")
    page.keyboard.type("20123457")
    tab_to(page, "Fortsæt")
    press_enter_and_follow(page)
    tab_to(page, "Bekræft booking")
    press_enter_and_follow(page)
    assert "Din tid er bestilt" in page.content()
    assert Booking.objects.filter(name="Karen Blixen", phone="+4520123457").exists()


def test_the_flow_works_at_200_percent_zoom(
    demo: None, live_server: LiveServer, browser: Any
) -> None:
    context = browser.new_context(locale="da-DK", viewport={"width": 640, "height": 450})
    zoomed = context.new_page()
    book_passport_by_mouse(zoomed, live_server.url, zoomed=True)
    context.close()


def test_two_tabs_each_book_the_citizen_they_show(
    demo: None, live_server: LiveServer, browser: Any
) -> None:
    # A parent books for the family in two tabs of one browser: each tab's
    # confirm button books exactly the name and time that tab shows.
    context = browser.new_context(locale="da-DK")
    tabs = [context.new_page(), context.new_page()]
    for tab, (name, phone, index) in zip(
        tabs, [("Mor Hansen", "20 12 34 56", 0), ("Barn Hansen", "20 12 34 57", 1)], strict=True
    ):
        tab.goto(live_server.url + "/bestil/pas/raadhuset/")
        tab.locator("a.choice").first.click()
        tab.locator("a.time").nth(index).click()
        tab.get_by_label("Fulde navn").fill(name)
        tab.get_by_label("Mobilnummer").fill(phone)
        tab.get_by_role("button", name="Fortsæt").click()
    mother_time = tabs[0].locator(".booking-summary dd").nth(1).inner_text()
    tabs[0].get_by_role("button", name="Bekræft booking").click()
    assert "Din tid er bestilt" in tabs[0].content()
    booked = Booking.objects.exclude(phone__startswith=DEMO_PHONE_PREFIX)
    assert list(booked.values_list("name", flat=True)) == ["Mor Hansen"]
    assert booked.get().start.astimezone(clock.LOCAL_ZONE).strftime("%H:%M") in mother_time
    tabs[1].get_by_role("button", name="Bekræft booking").click()
    assert set(booked.values_list("name", flat=True)) == {"Mor Hansen", "Barn Hansen"}
    context.close()
