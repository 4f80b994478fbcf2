"""The planning page in a real browser: reached from the staff start page,
a recommendation applied with the keyboard alone, axe-clean, and usable
at 200 % zoom without scrolling sideways."""

from datetime import datetime, timedelta
from typing import Any

import pytest
from pytest_django.live_server_helper import LiveServer

from skranke.core import clock
from skranke.core.models import Location, Service
from skranke.demo.loading import load_demo_data
from skranke.planning.models import MinutesChange
from tests.browser.conftest import assert_accessible, has_horizontal_scroll
from tests.browser.test_contact_centre import sign_in
from tests.stats.visits import make_visit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def passports_taking_longer(transactional_db: None) -> None:
    clock.set_now(datetime(2026, 12, 7, 9, 0, tzinfo=clock.LOCAL_ZONE))
    load_demo_data(now=clock.now())
    town_hall = Location.objects.get(slug="raadhuset")
    passport = Service.objects.get(slug="pas")
    monday = datetime(2026, 11, 2, 10, 0, tzinfo=clock.LOCAL_ZONE)
    for number in range(40):
        arrived = monday + timedelta(days=number % 5, minutes=25 * (number // 5))
        make_visit(location=town_hall, service=passport, arrived=arrived, served=24 + number % 3)


def test_a_manager_applies_recommended_minutes_with_the_keyboard(
    passports_taking_longer: None, live_server: LiveServer, page: Any
) -> None:
    sign_in(page, live_server.url, "leder")
    page.locator("main").get_by_role("link", name="Planlægning", exact=True).click()
    page.get_by_role(
        "heading", name="En simuleret uge: dagens minutter mod de anbefalede"
    ).wait_for()
    assert_accessible(page)
    page.evaluate("document.body.style.zoom = '200%'")
    assert not has_horizontal_scroll(page)
    page.evaluate("document.body.style.zoom = '100%'")

    button = page.get_by_role("button", name="Brug 30 minutter til Pas")
    button.focus()
    page.keyboard.press("Enter")
    page.get_by_text("Pas tager nu 30 minutter (før 20).").wait_for()
    assert_accessible(page)
    change = MinutesChange.objects.get()
    assert (change.old_minutes, change.new_minutes, change.changed_by.username) == (20, 30, "leder")


def test_a_manager_simulates_one_more_desk_with_the_keyboard(
    passports_taking_longer: None, live_server: LiveServer, page: Any
) -> None:
    sign_in(page, live_server.url, "leder")
    page.locator("main").get_by_role("link", name="Planlægning", exact=True).click()
    page.get_by_role("navigation", name="Planlægning").get_by_role(
        "link", name="Hvad nu hvis"
    ).click()
    page.get_by_role("heading", name="Ændr én ting").wait_for()
    desks = page.get_by_label("Skranker", exact=True)
    desks.focus()
    desks.select_option(label="Én skranke mere som skranke 1")
    page.keyboard.press("Tab")  # past the list to its button
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Resultat: Én skranke mere som skranke 1").wait_for()
    table = page.get_by_role("table", name="Den simulerede uge i dag og med ændringen")
    assert table.get_by_role("row", name="Tider udbudt pr. dag").is_visible()
    assert_accessible(page)
    page.evaluate("document.body.style.zoom = '200%'")
    assert not has_horizontal_scroll(page)
