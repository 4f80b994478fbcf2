"""Every page of the admin Skranke serves, in a real browser, as the
installation's administrator and as a manager (who works in it daily):
axe finds nothing against WCAG 2.1 AA and 2.2's target size, and no page
breaks the Content-Security-Policy."""

from datetime import datetime
from typing import Any

import pytest
from django.contrib import admin
from django.urls import reverse
from pytest_django.live_server_helper import LiveServer

from skranke.core import clock
from skranke.demo.data import DEMO_PASSWORD
from skranke.demo.loading import load_demo_data
from tests.browser.conftest import axe_violations, policy_complaints

pytestmark = pytest.mark.django_db(transaction=True)


def admin_pages() -> list[str]:
    """Each registered model's list, its form for a new one, and the form
    for its first object (a location's opening hours, a list's editable
    minutes, the two-list pickers)."""
    paths = [reverse("admin:index")]
    for model in admin.site._registry:
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        paths += [reverse(f"{name}_changelist"), reverse(f"{name}_add")]
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            paths.append(reverse(f"{name}_change", args=[first.pk]))
    return paths


@pytest.mark.parametrize("username", ["admin", "leder"])
def test_every_admin_page_is_accessible(
    username: str, transactional_db: None, live_server: LiveServer, browser: Any
) -> None:
    clock.set_now(datetime(2026, 12, 7, 9, 0, tzinfo=clock.LOCAL_ZONE))
    load_demo_data(now=clock.now())
    # Not the `page` fixture: axe itself, run on some admin forms, applies
    # a style the policy refuses; the policy is checked before axe runs.
    context = browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(60_000)
    page = context.new_page()
    refused = policy_complaints(page)
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    page.get_by_label("Adgangskode").press("Enter")
    page.wait_for_url("**/admin/")
    checked, problems = 0, {}
    for path in admin_pages():
        response = page.goto(live_server.url + path, wait_until="load")
        if response.status == 403:  # not this role's page
            continue
        assert response.status == 200, path
        assert refused == [], refused
        found = axe_violations(page, extra_tags=["wcag22aa"])
        refused.clear()
        checked += 1
        if found:
            problems[path] = found
    context.close()
    assert problems == {}
    # The manager too reaches the pages that matter to them, not a handful.
    assert checked >= 30
