"""The survey in a real browser: answered by keyboard alone on a phone,
usable at 200 % zoom, axe-clean; the terminal's faces are axe-clean on a
portrait screen."""

from datetime import datetime, timedelta
from typing import Any

import pytest
from pytest_django.live_server_helper import LiveServer

from skranke.booking.models import Booking
from skranke.core import clock
from skranke.demo.data import DEMO_DEVICE_TOKENS
from skranke.demo.loading import load_demo_data
from skranke.surveys.invitations import invite
from skranke.surveys.models import Answer
from tests.browser.conftest import assert_accessible, has_horizontal_scroll
from tests.browser.test_queue_pages import sign_in_device

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def token(transactional_db: None) -> str:
    clock.set_now(datetime(2026, 12, 7, 9, 0, tzinfo=clock.LOCAL_ZONE))
    load_demo_data(now=clock.now())
    booking = Booking.objects.order_by("pk").first()
    assert booking is not None
    clock.set_now(clock.now() + timedelta(hours=3))
    invitation = invite(booking=booking, now=clock.now())
    assert invitation is not None
    return invitation.token


def test_a_citizen_answers_the_survey_by_keyboard_on_a_phone(
    token: str, live_server: LiveServer, page: Any
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/undersoegelse/{token}/")
    assert_accessible(page)
    page.get_by_label("Meget tilfreds").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # the next question: served on time
    page.keyboard.press("Space")  # yes
    page.keyboard.press("Tab")  # easy to find a time
    page.keyboard.press("Tab")  # how did you book
    page.keyboard.press("Tab")  # did you know
    page.keyboard.press("Tab")  # the comment
    page.keyboard.type("Hurtigt og venligt")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Tak for dine svar").wait_for()
    answer = Answer.objects.get()
    assert (answer.satisfaction, answer.on_time, answer.comment) == (5, "yes", "Hurtigt og venligt")
    page.goto(f"{live_server.url}/undersoegelse/{token}/")
    page.get_by_text("Du har allerede svaret").wait_for()


def test_the_survey_reads_at_200_percent(token: str, live_server: LiveServer, page: Any) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/undersoegelse/{token}/")
    page.evaluate("document.body.style.zoom = '200%'")
    assert not has_horizontal_scroll(page)


def test_the_terminal_by_the_exit(token: str, live_server: LiveServer, page: Any) -> None:
    page.set_viewport_size({"width": 1080, "height": 1920})
    sign_in_device(page, live_server.url, DEMO_DEVICE_TOKENS["survey"])
    page.get_by_role("heading", name="Hvordan var dit besøg i dag?").wait_for()
    assert_accessible(page, strict_contrast=True)
    page.get_by_role("button", name="Tilfreds", exact=True).click()
    page.get_by_role("heading", name="Tak, og hav en god dag").wait_for()
    assert Answer.objects.get().satisfaction == 4
