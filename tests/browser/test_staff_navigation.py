"""The staff pages' header navigation in a real browser: by keyboard alone
on a laptop, and through its drawer at 200 % zoom and on a phone."""

from datetime import datetime
from typing import Any

import pytest
from pytest_django.live_server_helper import LiveServer

from skranke.core import clock
from skranke.demo.loading import load_demo_data
from tests.browser.conftest import assert_accessible, has_horizontal_scroll
from tests.browser.test_contact_centre import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(transactional_db: None) -> None:
    clock.set_now(datetime(2026, 12, 7, 9, 0, tzinfo=clock.LOCAL_ZONE))
    load_demo_data(now=clock.now())


def focused_text(page: Any) -> str:
    return str(page.evaluate("document.activeElement.textContent.trim()"))


def test_a_manager_reaches_the_statistics_by_keyboard_from_the_header(
    demo: None, live_server: LiveServer, page: Any
) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, live_server.url, "leder")
    page.wait_for_url("**/personale/")
    nav = page.get_by_role("navigation", name="Medarbejdersider")
    assert nav.is_visible()
    # Tab from the top of the page until the group "Indsigt" has the focus.
    for _ in range(30):
        page.keyboard.press("Tab")
        if focused_text(page) == "Indsigt":
            break
    else:
        pytest.fail("the group Indsigt was not reachable with Tab")
    group = nav.get_by_role("button", name="Indsigt")
    assert group.get_attribute("aria-expanded") == "false"
    page.keyboard.press("Enter")
    assert group.get_attribute("aria-expanded") == "true"
    assert nav.get_by_role("link", name="Statistik").is_visible()
    assert_accessible(page)
    page.keyboard.press("Tab")
    assert focused_text(page) == "Statistik"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/personale/statistik/")
    # On the statistics page its own link is marked, inside its group.
    nav.get_by_role("button", name="Indsigt").click()
    assert nav.get_by_role("link", name="Statistik").get_attribute("aria-current") == "page"


@pytest.mark.parametrize("viewport", [{"width": 683, "height": 384}, {"width": 390, "height": 844}])
def test_at_200_percent_and_on_a_phone_the_menu_opens_a_drawer_the_keyboard_can_use(
    demo: None, live_server: LiveServer, browser: Any, viewport: dict[str, int]
) -> None:
    # 683 × 384: a 1366 × 768 laptop at 200 % zoom.
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    sign_in(page, live_server.url, "leder")
    page.wait_for_url("**/personale/")
    page.goto(live_server.url + "/personale/tider/dag/")
    assert not page.get_by_role("navigation", name="Medarbejdersider").first.is_visible()
    menu = page.get_by_role("button", name="Menu")
    menu.focus()
    page.keyboard.press("Enter")
    drawer = page.get_by_role("dialog", name="Menu")
    assert drawer.is_visible()
    # The focus moves into the drawer, and the group of the page one is on
    # is open with the page marked.
    assert focused_text(page) == "Luk"
    marked = drawer.locator('[aria-current="page"]')
    assert marked.inner_text() == "Dagens bookinger"
    assert not has_horizontal_scroll(page)
    assert_accessible(page)
    contact = drawer.get_by_role("button", name="Kontaktcenter")
    contact.focus()
    page.keyboard.press("Enter")
    assert contact.get_attribute("aria-expanded") == "true"
    page.keyboard.press("Tab")
    assert focused_text(page) == "Kontaktlog"
    # Escape closes the drawer.
    page.keyboard.press("Escape")
    assert not drawer.is_visible()
    context.close()
