"""The pages most likely to trip the Content-Security-Policy, in a real
browser: the admin (Django's own scripts, the two-list picker, the date
hierarchy), the API's documentation (Swagger UI), the desk (htmx), the
kiosk and the display. Any inline script or style the browser refuses
fails the test (tests/browser/conftest.py)."""

from typing import Any

import pytest
from pytest_django.live_server_helper import LiveServer

from skranke.demo.data import DEMO_DEVICE_TOKENS, DEMO_PASSWORD
from tests.browser.conftest import policy_complaints
from tests.browser.test_queue_pages import demo, open_desk, sign_in_device  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_admin_works_under_the_policy(demo: None, live_server: LiveServer, page: Any) -> None:  # noqa: F811
    base = live_server.url
    page.goto(base + "/admin/login/")
    page.get_by_label("Brugernavn").fill("admin")
    page.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    page.get_by_label("Adgangskode").press("Enter")
    page.wait_for_url("**/admin/")
    for path in [
        "/admin/core/desk/",  # list filters
        "/admin/core/specialday/",  # date hierarchy
        "/admin/core/service/add/",  # the two-list picker, prepopulated slug
        "/admin/accounts/user/add/",
        "/admin/queueing/visit/",
    ]:
        page.goto(base + path)
        assert page.locator("#content").count() == 1, path
    # Django's scripts ran: the picker for locations was built.
    page.goto(base + "/admin/core/service/add/")
    page.locator(".selector-available").first.wait_for()
    page.get_by_label("Navn (dansk)").press_sequentially("Ny ydelse")
    assert page.locator("#id_slug").input_value() == "ny-ydelse"


def test_the_api_documentation_runs_under_the_policy(live_server: LiveServer, page: Any) -> None:
    page.goto(live_server.url + "/api/v1/docs")
    page.get_by_text("Skranke API").first.wait_for()
    page.locator(".opblock").first.wait_for()


def test_desk_kiosk_and_display_run_under_the_policy(
    demo: None,  # noqa: F811
    live_server: LiveServer,
    page: Any,
    browser: Any,
) -> None:
    base = live_server.url
    open_desk(page, base)
    page.wait_for_timeout(5500)  # htmx refreshes the queue every 5 seconds
    for kind, token in [
        ("kiosk", DEMO_DEVICE_TOKENS["kiosk"]),
        ("display", DEMO_DEVICE_TOKENS["display"]),
    ]:
        context = browser.new_context(locale="da-DK")
        device = context.new_page()
        refused = policy_complaints(device)
        sign_in_device(device, base, token)
        device.wait_for_timeout(1500)  # the display polls every second
        assert refused == [], kind
        context.close()


def test_the_harness_catches_what_the_policy_refuses(browser: Any) -> None:
    # A self-check: an inline script under the project's own policy must
    # be reported, or the checks above would prove nothing.
    from skranke.web.security_headers import CONTENT_SECURITY_POLICY

    context = browser.new_context()
    page = context.new_page()
    refused = policy_complaints(page)
    page.route(
        "http://csp.test/",
        lambda route: route.fulfill(
            body='<html lang="da"><p style="color: red">x</p><script>1</script></html>',
            headers={
                "Content-Type": "text/html",
                "Content-Security-Policy": CONTENT_SECURITY_POLICY,
            },
        ),
    )
    page.goto("http://csp.test/")
    context.close()
    assert len(refused) == 2
