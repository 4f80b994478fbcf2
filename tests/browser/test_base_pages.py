"""The start page, the staff login and the admin login in a real browser."""

from datetime import datetime
from typing import Any

import pytest
from pytest_django.live_server_helper import LiveServer

from skranke.core import clock
from skranke.demo.data import DEMO_PASSWORD
from skranke.demo.loading import load_demo_data
from tests.browser.conftest import assert_accessible, axe_violations, has_horizontal_scroll

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(transactional_db: None) -> None:
    clock.set_now(datetime(2026, 12, 7, 9, 0, tzinfo=clock.LOCAL_ZONE))
    load_demo_data(now=clock.now())


def test_the_start_page_is_accessible_in_danish_and_english(
    demo: None, live_server: LiveServer, page: Any
) -> None:
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "da"
    assert page.get_by_role("heading", level=1).inner_text() == "Borgerservice"
    assert_accessible(page)
    page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Citizen service"
    assert_accessible(page)


def test_the_first_tab_reaches_the_skip_link_which_moves_focus_to_the_content(
    demo: None, live_server: LiveServer, page: Any
) -> None:
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Gå til sidens indhold"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"


def test_the_language_can_be_switched_with_the_keyboard_alone(
    demo: None, live_server: LiveServer, page: Any
) -> None:
    page.goto(live_server.url + "/")
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.value") == "en":
            break
    else:
        pytest.fail("the English button was not reachable with Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("html").get_attribute("lang") == "en"


def test_citizen_pages_reflow_at_200_percent_zoom_and_keep_the_number_to_call(
    demo: None, live_server: LiveServer, browser: Any
) -> None:
    # 200 % zoom of a 1280 px wide window leaves 640 CSS pixels.
    context = browser.new_context(viewport={"width": 640, "height": 450})
    zoomed = context.new_page()
    for path in ["/", "/bestil/"]:
        zoomed.goto(live_server.url + path)
        assert not has_horizontal_scroll(zoomed)
        assert_accessible(zoomed)
        # The number to call for help stays at the top of every page (DKFDS
        # would hide it at this width for a mobile menu).
        header = zoomed.locator("header")
        assert header.get_by_text("Brug for hjælp? Ring til os").is_visible()
        assert header.get_by_role("link", name="12 34 56 78").is_visible()
    context.close()


def test_staff_log_in_and_the_pages_on_the_way_are_accessible(
    demo: None, live_server: LiveServer, page: Any
) -> None:
    page.goto(live_server.url + "/personale/")
    assert "/personale/log-ind/" in page.url
    assert_accessible(page)
    page.get_by_label("Brugernavn").fill("leder")
    page.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    page.get_by_label("Adgangskode").press("Enter")
    page.wait_for_url("**/personale/")
    assert "Velkommen, Lars" in page.content()
    assert_accessible(page)


def test_signed_in_staff_keep_their_name_and_log_out_at_200_percent_zoom(
    demo: None, live_server: LiveServer, browser: Any
) -> None:
    # DKFDS hides the header's user links below 992 px, expecting a mobile
    # menu; staff pages have none, so at 200 % zoom "Log ud" was gone.
    context = browser.new_context(viewport={"width": 640, "height": 450})
    zoomed = context.new_page()
    zoomed.goto(live_server.url + "/personale/")
    zoomed.get_by_label("Brugernavn").fill("leder")
    zoomed.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    zoomed.get_by_label("Adgangskode").press("Enter")
    zoomed.wait_for_url("**/personale/")
    header = zoomed.locator("header")
    assert header.get_by_text("Lars").is_visible()
    for name in ["Skift adgangskode", "Adgangsnøgler"]:
        assert header.get_by_role("link", name=name).is_visible()
    log_out = header.get_by_role("button", name="Log ud")
    assert log_out.is_visible()
    assert not has_horizontal_scroll(zoomed)
    assert_accessible(zoomed)
    with zoomed.expect_navigation():
        log_out.click()
    zoomed.goto(live_server.url + "/personale/")
    assert "/personale/log-ind/" in zoomed.url
    context.close()


def test_the_worker_silence_banner_is_accessible(
    demo: None, live_server: LiveServer, page: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.undo()  # the real banner: no worker runs beside the live server
    page.goto(live_server.url + "/personale/")
    page.get_by_label("Brugernavn").fill("leder")
    page.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    page.get_by_label("Adgangskode").press("Enter")
    page.wait_for_url("**/personale/")
    assert page.locator("#worker-silent").is_visible()
    assert_accessible(page)


def test_the_admin_login_is_accessible(demo: None, live_server: LiveServer, page: Any) -> None:
    page.goto(live_server.url + "/admin/login/")
    assert_accessible(page)
    page.get_by_label("Brugernavn").fill("leder")
    page.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    page.get_by_label("Adgangskode").press("Enter")
    page.wait_for_url("**/admin/")
    assert page.get_by_role("heading", level=1).count() == 1


def test_the_harness_reports_what_axe_finds(page: Any) -> None:
    # A self-check: a page with an unlabeled field and an image without text
    # must fail, or the checks above would prove nothing.
    page.set_content('<html lang="da"><body><main><img src="x.png"><input></main></body></html>')
    found = {violation["id"] for violation in axe_violations(page)}
    assert {"image-alt", "label"} <= found


def test_what_a_citizen_came_for_comes_first_on_the_start_page(
    demo: None, live_server: LiveServer, browser: Any
) -> None:
    """On a 1366 × 768 desktop the errands one can book start on the first
    screen, before the places' opening hours, and the week's hours are
    folded until asked for."""
    context = browser.new_context(locale="da-DK", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.goto(live_server.url + "/")
    services = page.get_by_role("heading", name="Det kan du bestille tid til")
    assert services.bounding_box()["y"] < 768
    first_place = page.get_by_role("heading", name="Borgerservice Rådhuset", exact=True)
    assert services.bounding_box()["y"] < first_place.bounding_box()["y"]
    assert not page.locator("table.opening-hours").first.is_visible()
    page.get_by_text("Åbningstider hele ugen").first.click()
    assert page.locator("table.opening-hours").first.is_visible()
    assert_accessible(page)
    context.close()
