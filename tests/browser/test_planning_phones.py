"""The telephones' planning page in a real browser: reached from the
planning navigation, a figure changed with the keyboard alone, axe-clean,
and usable at 200 % zoom without scrolling sideways."""

from datetime import datetime
from typing import Any

import pytest
from pytest_django.live_server_helper import LiveServer

from skranke.core import clock
from skranke.demo.contact_year import load_contact_history
from skranke.demo.loading import load_demo_data
from tests.browser.conftest import assert_accessible, has_horizontal_scroll
from tests.browser.test_contact_centre import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_calls(transactional_db: None) -> None:
    clock.set_now(datetime(2026, 12, 7, 9, 0, tzinfo=clock.LOCAL_ZONE))
    municipality = load_demo_data(now=clock.now())
    # A tenth of the demo's calls: enough to forecast, quick to load.
    load_contact_history(municipality=municipality, today=clock.today(), scale=0.1)


def test_a_manager_plans_the_telephones_with_the_keyboard(
    demo_calls: None, live_server: LiveServer, page: Any
) -> None:
    sign_in(page, live_server.url, "leder")
    page.locator("main").get_by_role("link", name="Planlægning", exact=True).click()
    page.locator("nav.planning-nav a[href*='/telefoner/']").click()
    page.locator("table.phones-table").wait_for()
    assert (
        page.locator("nav.planning-nav a[aria-current='page']")
        .get_attribute("href")
        .startswith("/personale/planlaegning/telefoner/")
    )
    assert page.locator("svg[role='img']").count() == 1
    assert_accessible(page)
    page.evaluate("document.body.style.zoom = '200%'")
    assert not has_horizontal_scroll(page)
    page.evaluate("document.body.style.zoom = '100%'")

    field = page.locator("#belaegning")
    field.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("90")
    page.keyboard.press("Enter")
    page.wait_for_url("**belaegning=90**")
    page.locator("table.phones-table").wait_for()
    assert page.locator("#belaegning").input_value() == "90"

    page.locator("#belaegning").fill("200")
    page.keyboard.press("Enter")
    page.wait_for_url("**belaegning=200**")
    page.get_by_role("alert").wait_for()
    assert page.locator("#belaegning").get_attribute("aria-invalid") == "true"
    assert_accessible(page)
