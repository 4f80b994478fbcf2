"""A time held for its code, in a real browser: a citizen books a passport
on a phone and types the code from the text message; by keyboard alone;
and at 200 % zoom. The code page is axe-clean, its field large, and the
whole booking takes the usual seven clicks and the code."""

import re
from datetime import datetime
from typing import Any

import pytest
from pytest_django.live_server_helper import LiveServer

from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.models import Service
from skranke.demo.loading import load_demo_data
from skranke.notifications.composing import compose_message
from skranke.notifications.models import Message
from tests.browser.conftest import assert_accessible, has_horizontal_scroll
from tests.browser.test_booking_flow import press_enter_and_follow, tab_to

pytestmark = pytest.mark.django_db(transaction=True)

NOW = datetime(2026, 12, 7, 8, 0, tzinfo=clock.LOCAL_ZONE)
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo(transactional_db: None) -> None:
    clock.set_now(NOW)
    load_demo_data(now=clock.now())
    Service.objects.filter(slug="pas").update(code_confirmation=Service.CodeConfirmation.ALWAYS)


def code_sent_to(phone: str) -> str:
    message = Message.objects.get(kind=Message.Kind.HOLD_CODE, recipient=phone)
    found = re.search(r"\b(\d{6})\b", compose_message(message=message).body)
    assert found
    return found.group(1)


def book_to_the_code_page(page: Any, base: str) -> int:
    """The usual flow by mouse; the clicks it took."""
    page.goto(base + "/")
    clicks = 0
    for target in (
        page.get_by_role("link", name="Bestil tid"),
        page.get_by_role("link", name="Pas", exact=True),
        page.get_by_role("link", name="Borgerservice Rådhuset"),
        page.locator("a.choice").first,
        page.locator("a.time").first,
    ):
        target.click()
        clicks += 1
    page.get_by_label("Fulde navn").fill("Ane Hansen")
    page.get_by_label("Mobilnummer").fill("20 12 34 56")
    page.get_by_role("button", name="Fortsæt").click()
    page.get_by_role("button", name="Bekræft booking").click()
    return clicks + 2


def test_a_citizen_on_a_phone_types_the_code_and_has_the_time(
    demo: None, live_server: LiveServer, browser: Any
) -> None:
    context = browser.new_context(locale="da-DK", viewport=PHONE)
    page = context.new_page()
    clicks = book_to_the_code_page(page, live_server.url)
    assert clicks == 7
    assert page.get_by_role("heading", name="Skriv koden fra din sms").is_visible()
    assert "20 12 34 56" in page.content()
    assert_accessible(page)
    field = page.get_by_label("Kode fra sms'en")
    assert field.get_attribute("inputmode") == "numeric"
    assert field.get_attribute("autocomplete") == "one-time-code"
    # Large enough to check six digits at a glance on a phone.
    size = float(field.evaluate("e => getComputedStyle(e).fontSize").removesuffix("px"))
    assert size >= 32
    field.fill(code_sent_to("+4520123456"))
    page.get_by_role("button", name="Bekræft tiden").click()
    assert "Din tid er bestilt" in page.content()
    assert_accessible(page)
    assert Booking.objects.get(phone="+4520123456").held_until is None
    context.close()


def test_a_wrong_code_is_said_plainly_and_the_code_can_be_sent_again(
    demo: None, live_server: LiveServer, page: Any
) -> None:
    book_to_the_code_page(page, live_server.url)
    code = code_sent_to("+4520123456")
    page.get_by_label("Kode fra sms'en").fill("000000" if code != "000000" else "111111")
    page.get_by_role("button", name="Bekræft tiden").click()
    assert "Det er ikke den kode, vi sendte" in page.content()
    assert page.get_by_label("Kode fra sms'en").get_attribute("aria-invalid") == "true"
    assert_accessible(page)
    page.get_by_role("button", name="Send koden igen").click()
    assert "Vi har sendt en ny kode" in page.content()
    assert_accessible(page)


def test_the_code_page_works_by_keyboard_and_at_200_percent(
    demo: None, live_server: LiveServer, browser: Any
) -> None:
    context = browser.new_context(locale="da-DK", viewport={"width": 640, "height": 450})
    page = context.new_page()
    book_to_the_code_page(page, live_server.url)
    assert not has_horizontal_scroll(page)
    tab_to(page, element_id="id_code")
    page.keyboard.type(code_sent_to("+4520123456"))
    press_enter_and_follow(page)
    assert "Din tid er bestilt" in page.content()
    context.close()
