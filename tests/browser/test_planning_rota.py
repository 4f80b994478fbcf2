"""The rota page in a real browser: reached through the planning pages'
navigation, axe-clean, usable at 200 % zoom without scrolling sideways,
and applied with the keyboard alone; the telephones' rota axe-clean too."""

from datetime import date, datetime
from typing import Any

import pytest
from pytest_django.live_server_helper import LiveServer

from skranke.core import clock
from skranke.core.models import DeskShift, Location
from skranke.demo.contact_year import load_contact_history
from skranke.demo.loading import load_demo_data
from skranke.demo.visit_history import load_visit_history
from tests.browser.conftest import assert_accessible, assert_answer_first, has_horizontal_scroll
from tests.browser.test_contact_centre import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def town_hall_with_history(transactional_db: None) -> None:
    clock.set_now(datetime(2026, 11, 30, 9, 0, tzinfo=clock.LOCAL_ZONE))
    load_demo_data(now=clock.now())
    load_visit_history(location=Location.objects.get(slug="raadhuset"), today=clock.today())


def test_a_manager_reviews_the_rota_and_applies_it_with_the_keyboard(
    town_hall_with_history: None, live_server: LiveServer, page: Any
) -> None:
    sign_in(page, live_server.url, "leder")
    page.goto(live_server.url + "/personale/planlaegning/")
    page.locator("nav.planning-nav a[href^='/personale/planlaegning/vagtplan/']").click()
    page.locator("form[action='/personale/planlaegning/vagtplan/anvend/'] button").wait_for()
    assert (
        page.locator("nav.planning-nav a[aria-current='page']")
        .get_attribute("href")
        .startswith("/personale/planlaegning/vagtplan/")
    )
    assert_accessible(page)
    page.evaluate("document.body.style.zoom = '200%'")
    assert not has_horizontal_scroll(page)
    page.evaluate("document.body.style.zoom = '100%'")
    # The hours and savings first; the days, the simulation and the button
    # to apply are each a link away.
    assert_answer_first(page)
    assert "Sparede timer" in page.locator(".kpi-summary").inner_text()
    assert page.locator(".kpi-jump a[href='#anvend']").count() == 1

    button = page.locator("form[action='/personale/planlaegning/vagtplan/anvend/'] button")
    button.focus()
    page.keyboard.press("Enter")
    page.locator(".alert").first.wait_for()
    assert_accessible(page)
    # The demo's bookings next week all keep a desk, so the rota is applied.
    assert DeskShift.objects.filter(date__gte=date(2026, 12, 7), services__isnull=False).exists()


def test_the_telephones_rota_is_accessible_and_has_nothing_to_apply(
    transactional_db: None, live_server: LiveServer, page: Any
) -> None:
    clock.set_now(datetime(2026, 11, 30, 9, 0, tzinfo=clock.LOCAL_ZONE))
    municipality = load_demo_data(now=clock.now())
    # A fifth of the calls: enough for a forecast, and quick to load.
    load_contact_history(municipality=municipality, today=clock.today(), scale=0.2)
    sign_in(page, live_server.url, "leder")
    page.goto(live_server.url + "/personale/planlaegning/vagtplan/")
    page.select_option("#for", "telefoner")
    page.locator("form.kpi-choice button").click()
    page.locator("#rota-chart-title").wait_for()
    assert page.locator("form[action='/personale/planlaegning/vagtplan/anvend/']").count() == 0
    assert_accessible(page)
    page.evaluate("document.body.style.zoom = '200%'")
    assert not has_horizontal_scroll(page)
