"""The staff booking pages in a real browser: an agent books for a citizen
on the phone, and every page on the way is axe-clean."""

from datetime import datetime
from typing import Any

import pytest
from pytest_django.live_server_helper import LiveServer

from skranke.booking.models import Booking
from skranke.core import clock
from skranke.demo.data import DEMO_PASSWORD
from skranke.demo.loading import load_demo_data
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(transactional_db: None) -> None:
    clock.set_now(datetime(2026, 12, 7, 8, 0, tzinfo=clock.LOCAL_ZONE))
    load_demo_data(now=clock.now())


def test_an_agent_books_for_a_citizen_on_the_phone(
    demo: None, live_server: LiveServer, page: Any
) -> None:
    page.goto(live_server.url + "/personale/log-ind/")
    page.get_by_label("Brugernavn").fill("kontaktcenter")
    page.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.locator("main").get_by_role("link", name="Book for en borger").click()
    assert_accessible(page)
    page.get_by_label("Ærinde").select_option("pas")
    page.get_by_role("button", name="Find ledige tider").click()
    assert_accessible(page)
    page.locator("a.time").first.click()
    assert_accessible(page)
    page.get_by_label("Fulde navn").fill("Grethe Sørensen")
    page.get_by_label("Mobilnummer").fill("20 12 34 59")
    page.get_by_role("button", name="Book", exact=True).click()
    assert "Læs bookingkoden op for borgeren" in page.content()
    assert_accessible(page)
    booking = Booking.objects.get(name="Grethe Sørensen")
    assert booking.channel == "phone"
    page.get_by_role("link", name="Dagens bookinger").click()
    assert_accessible(page)


def test_a_manager_cancels_a_day_with_the_keyboard_and_sees_the_messages(
    demo: None, live_server: LiveServer, page: Any
) -> None:
    page.goto(live_server.url + "/personale/log-ind/")
    page.get_by_label("Brugernavn").fill("leder")
    page.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.get_by_role("link", name="Beskeder til borgere").click()
    assert_accessible(page)
    page.get_by_role("link", name="Aflys en dags tider (uventet lukning)").click()
    assert_accessible(page)
    booked = Booking.objects.filter(status="booked", location__slug="raadhuset")
    day = booked.order_by("start").first().start.astimezone(clock.LOCAL_ZONE).date()  # type: ignore[union-attr]
    place = booked.first().location  # type: ignore[union-attr]
    page.get_by_label("Sted").select_option(str(place.pk))
    page.get_by_label("Dag").fill(day.isoformat())
    page.get_by_label("Hvorfor, på dansk").fill("Rådhuset er lukket på grund af strømsvigt.")
    page.get_by_label("Hvorfor, på engelsk").fill("The town hall is closed: a power cut.")
    page.get_by_label("Hvorfor, på engelsk").press("Enter")
    page.wait_for_load_state()
    assert "bliver aflyst" in page.content(), page.locator("form").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Aflys").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/personale/beskeder/")
    assert page.content().count("får besked") == 1  # said once
    assert Booking.objects.filter(status="cancelled", location=place).exists()
    assert_accessible(page)
