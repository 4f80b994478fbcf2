"""The forecast in a real browser: reached through the planning pages'
navigation, an event added with the keyboard alone, axe-clean, and usable
at 200 % zoom without scrolling sideways.

The selectors are ids and form field names, so the test reads the same
whether or not the page's new texts have their Danish translation yet."""

from datetime import date, datetime
from typing import Any

import pytest
from pytest_django.live_server_helper import LiveServer

from skranke.core import clock
from skranke.demo.contact_year import load_contact_history
from skranke.demo.loading import load_demo_data
from skranke.planning.models import ForecastEvent
from tests.browser.conftest import assert_accessible, has_horizontal_scroll
from tests.browser.test_contact_centre import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def calls_this_year(transactional_db: None) -> None:
    clock.set_now(datetime(2026, 12, 7, 9, 0, tzinfo=clock.LOCAL_ZONE))
    municipality = load_demo_data(now=clock.now())
    load_contact_history(municipality=municipality, today=clock.today(), scale=0.05)


def tab_to(page: Any, field_id: str) -> None:
    """Tab on to the field: a date's day, month and year are tab stops of
    their own in Chromium."""
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == field_id:
            return
    raise AssertionError(f"Tab never reached #{field_id}")


def test_a_manager_adds_an_event_to_the_forecast_with_the_keyboard(
    calls_this_year: None, live_server: LiveServer, page: Any
) -> None:
    sign_in(page, live_server.url, "leder")
    page.locator("main").get_by_role("link", name="Planlægning", exact=True).click()
    page.locator('.planning-nav a[href*="/prognose/"]').click()
    page.locator("#sted").select_option("telefoner")
    page.locator("form.kpi-choice button[type=submit]").click()
    page.locator("#days").wait_for()
    assert page.locator("#days tbody tr").count() == 16  # 7 days back, 14 ahead: weekdays
    assert page.locator("svg[role=img]").count() == 2  # per day, per half hour
    assert_accessible(page)
    page.evaluate("document.body.style.zoom = '200%'")
    assert not has_horizontal_scroll(page)
    page.evaluate("document.body.style.zoom = '100%'")

    page.locator("#id_name").focus()
    page.keyboard.type("Folketingsvalg")
    # Days whose day and month are the same number: typed alike whether the
    # browser's language puts the day or the month first.
    tab_to(page, "id_first_day")
    page.keyboard.type("11112026")
    tab_to(page, "id_last_day")
    page.keyboard.type("12122026")
    tab_to(page, "id_lift_percent")
    page.keyboard.type("40")
    page.keyboard.press("Enter")
    page.locator("#events").wait_for()
    assert "Folketingsvalg" in page.locator("#events").inner_text()
    assert "Folketingsvalg" in page.locator("#days").inner_text()
    assert_accessible(page)
    event = ForecastEvent.objects.get()
    assert (event.first_day, event.last_day, event.lift_percent) == (
        date(2026, 11, 11),
        date(2026, 12, 12),
        40,
    )
    assert event.created_by is not None
    assert event.created_by.username == "leder"


def test_a_refused_event_is_explained_beside_its_field(
    calls_this_year: None, live_server: LiveServer, page: Any
) -> None:
    sign_in(page, live_server.url, "leder")
    page.goto(live_server.url + "/personale/planlaegning/prognose/?sted=telefoner")
    page.locator("#id_name").fill("Valg")
    page.locator("#id_first_day").fill("2026-12-10")
    page.locator("#id_last_day").fill("2026-12-08")
    page.locator("#id_lift_percent").fill("600")
    page.locator("#event-form button[type=submit]").click()
    page.locator("#event-errors").wait_for()
    assert page.locator("#id_last_day").get_attribute("aria-invalid") == "true"
    assert page.locator("#id_lift_percent").get_attribute("aria-invalid") == "true"
    assert page.locator("#id_lift_percent").input_value() == "600"
    assert_accessible(page)
    assert not ForecastEvent.objects.exists()
