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


def test_a_wait_token_books_only_the_draft_it_came_with() -> None:
    """One wait, one booking: a token taken from one review page does not
    book another draft, even in the same browser."""
    client = from_address("192.0.2.7")
    _, html = review_page(client)
    token = wait_token_on_page(html)
    second, _ = review_page(client, "2026-12-08T11:00")
    clock.advance(timedelta(seconds=10))
    assert client.post(second, {"challenge_wait": token}).status_code == 428
    assert Booking.objects.count() == 0


def test_a_wait_token_works_only_in_the_session_it_was_given_to() -> None:
    client = from_address("192.0.2.7")
    review, html = review_page(client)
    token = wait_token_on_page(html)
    clock.advance(timedelta(seconds=10))
    # The same review address and token from a fresh session (same network):
    # the draft is not there, and nor is the token's session.
    stranger = from_address("192.0.2.7")
    assert stranger.post(review, {"challenge_wait": token}).status_code == 302  # to the start
    assert Booking.objects.count() == 0
    assert client.post(review, {"challenge_wait": token}).status_code == 302
    assert Booking.objects.count() == 1


def test_a_network_has_one_wait_token_out_at_a_time() -> None:
    """Tokens collected from many pages cannot be saved up and spent at
    once: each page's token replaces the network's last."""
    client = from_address("192.0.2.7")
    pages = [review_page(client, f"2026-12-08T1{hour}:00") for hour in range(3)]
    tokens = [wait_token_on_page(html) for _, html in pages]
    clock.advance(timedelta(seconds=10))
    # The last page's token books; the earlier ones were replaced by it.
    answers = [
        client.post(review, {"challenge_wait": token})
        for (review, _), token in reversed(list(zip(pages, tokens, strict=True)))
    ]
    assert [answer.status_code for answer in answers] == [302, 428, 428]
    assert Booking.objects.count() == 1
