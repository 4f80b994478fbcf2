"""The proof of work in a real browser, switched on for everyone: the
page's script solves it while the citizen reads, says so in the status
line (which a screen reader speaks), and the booking goes through by mouse
or keyboard; without JavaScript the page says to wait, and the button
works once the wait is over. Every page stays axe-clean and within the
Content-Security-Policy (the page fixture fails on any complaint)."""

import re
import time
from datetime import datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from skranke.booking.models import Booking
from skranke.core import clock
from skranke.demo.loading import load_demo_data
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

NOW = datetime(2026, 12, 7, 8, 0, tzinfo=clock.LOCAL_ZONE)
# The status line's last words. Danish once the texts are translated
# (/tmp/helpers/tr-challenge.json), English until then.
SOLVED = re.compile(
    r"(Vi tjekker, at du ikke er en robot … færdig\.|Checking that you are not a robot … done\.)"
)


@pytest.fixture
def demo(transactional_db: None, settings: Any) -> None:
    clock.set_now(NOW)
    load_demo_data(now=clock.now())
    settings.CHALLENGE_ALWAYS = True


def to_review(page: Any, base: str, name: str, phone: str) -> None:
    page.goto(base + "/bestil/pas/raadhuset/")
    # Tomorrow: today's first time is as near as the booking rules allow,
    # and the test without JavaScript moves the clock on.
    page.locator("a.choice").nth(1).click()
    page.locator("a.time").first.click()
    page.get_by_label("Fulde navn").fill(name)
    page.get_by_label("Mobilnummer").fill(phone)
    page.get_by_role("button", name="Fortsæt").click()


def test_the_script_solves_it_says_so_and_the_citizen_books(
    demo: None, live_server: LiveServer, page: Any
) -> None:
    to_review(page, live_server.url, "Ane Hansen", "20 12 34 56")
    started = time.monotonic()
    status = page.get_by_role("status")
    expect(status).to_have_text(SOLVED, timeout=20_000)
    print(f"solved in the browser in {time.monotonic() - started:.2f} s")
    # The words for a browser without JavaScript are not shown beside it.
    expect(page.locator(".challenge-wait")).to_be_hidden()
    assert_accessible(page)
    page.get_by_role("button", name="Bekræft booking").click()
    assert "Din tid er bestilt" in page.content()
    assert_accessible(page)
    assert Booking.objects.filter(name="Ane Hansen", status="booked").exists()


def test_pressing_at_once_with_the_keyboard_books_when_it_is_solved(
    demo: None, live_server: LiveServer, page: Any
) -> None:
    to_review(page, live_server.url, "Karen Blixen", "20 12 34 57")
    # Pressed once the script has started, before it is done: pressed
    # before the script has even loaded, the form goes without an answer
    # and comes back with a fresh challenge (428), as without JavaScript.
    expect(page.get_by_role("status")).to_have_text(re.compile(r"\S"), timeout=20_000)
    page.get_by_role("button", name="Bekræft booking").focus()
    with page.expect_navigation(timeout=20_000):
        page.keyboard.press("Enter")
    assert "Din tid er bestilt" in page.content()
    assert Booking.objects.filter(name="Karen Blixen", status="booked").exists()


def test_without_javascript_the_citizen_waits_and_then_books(
    demo: None, live_server: LiveServer, browser: Any
) -> None:
    context = browser.new_context(locale="da-DK", java_script_enabled=False)
    page = context.new_page()
    to_review(page, live_server.url, "Bo Jensen", "20 12 34 58")
    wait = page.locator(".challenge-wait")
    expect(wait).to_be_visible()
    expect(wait).to_contain_text(re.compile(r"(Vent venligst|Please wait) 10 (sekunder|seconds)"))
    assert_no_script_accessible(page)
    # Too soon: how long is left, and nothing booked.
    page.get_by_role("button", name="Bekræft booking").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert not Booking.objects.filter(name="Bo Jensen").exists()
    clock.advance(timedelta(seconds=10))
    page.get_by_role("button", name="Bekræft booking").click()
    assert "Din tid er bestilt" in page.content(), page.locator("main").inner_text()
    assert Booking.objects.filter(name="Bo Jensen", status="booked").exists()
    context.close()


def assert_no_script_accessible(page: Any) -> None:
    """axe needs JavaScript: the same HTML, checked in a page that runs it."""
    html = page.content()
    checker = page.context.browser.new_context(locale="da-DK").new_page()
    checker.set_content(html)
    assert_accessible(checker)
    checker.context.close()
