"""Without JavaScript nothing solves the challenge, so the page says to
wait a few seconds and press the button: a signed wait token in the form
counts from then. Before that the booking is refused with how long is
left; after it, it goes through, once, and only from the same address."""

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from skranke.booking.models import Booking
from skranke.core import clock
from tests.challenge.solving import challenge_on_page, wait_token_on_page

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("centre", "passport")]


@pytest.fixture(autouse=True)
def _challenge_on(settings: Any) -> None:
    settings.CHALLENGE_ALWAYS = True
    settings.CHALLENGE_WAIT_SECONDS = 10


def from_address(address: str) -> Client:
    client = Client(REMOTE_ADDR=address)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def review_page(client: Client, start: str = "2026-12-08T10:00") -> tuple[str, str]:
    details = {"name": "Ane Hansen", "phone": "20123456", "email": "", "sms_consent": "on"}
    sent = client.post(f"/bestil/pas/raadhus/oplysninger/?start={start}", details)
    assert sent.status_code == 302
    return sent["Location"], client.get(sent["Location"]).content.decode()


def test_the_page_says_to_wait_and_the_button_works_after_the_wait() -> None:
    client = from_address("192.0.2.7")
    review, html = review_page(client)
    assert "Please wait 10 seconds, and then press the button below." in html
    token = wait_token_on_page(html)
    clock.advance(timedelta(seconds=10))
    booked = client.post(review, {"challenge_wait": token})
    assert booked.status_code == 302
    assert Booking.objects.count() == 1


def test_pressing_too_soon_says_how_long_is_left_and_keeps_the_wait() -> None:
    client = from_address("192.0.2.7")
    review, html = review_page(client)
    token = wait_token_on_page(html)
    clock.advance(timedelta(seconds=3))
    early = client.post(review, {"challenge_wait": token})
    assert early.status_code == 428
    page = early.content.decode()
    assert "Please wait 7 more seconds, and then press the button again." in page
    assert 'role="alert"' in page
    # The same wait goes on: the citizen does not start again from ten.
    assert wait_token_on_page(page) == token
    assert challenge_on_page(page) is not None
    assert Booking.objects.count() == 0
    clock.advance(timedelta(seconds=6))
    assert "1 more second," in client.post(review, {"challenge_wait": token}).content.decode()
    clock.advance(timedelta(seconds=1))
    assert client.post(review, {"challenge_wait": token}).status_code == 302


def test_a_wait_token_is_good_once() -> None:
    client = from_address("192.0.2.7")
    review, html = review_page(client)
    token = wait_token_on_page(html)
    clock.advance(timedelta(seconds=10))
    assert client.post(review, {"challenge_wait": token}).status_code == 302
    again, _ = review_page(client, "2026-12-08T11:00")
    assert client.post(again, {"challenge_wait": token}).status_code == 428


def test_a_wait_token_works_only_from_the_address_it_was_given_to() -> None:
    _, html = review_page(from_address("192.0.2.7"))
    token = wait_token_on_page(html)
    clock.advance(timedelta(seconds=10))
    elsewhere = from_address("198.51.100.1")
    review, _ = review_page(elsewhere)
    refused = elsewhere.post(review, {"challenge_wait": token})
    assert refused.status_code == 428
    assert "not a robot" in refused.content.decode()


def test_a_wait_token_expires_with_the_page() -> None:
    client = from_address("192.0.2.7")
    review, html = review_page(client)
    token = wait_token_on_page(html)
    clock.advance(timedelta(minutes=30))
    assert client.post(review, {"challenge_wait": token}).status_code == 428
    assert client.post(review, {"challenge_wait": token + "x"}).status_code == 428
