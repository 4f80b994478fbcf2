"""What the GatewayAPI transport makes of each answer, from a real HTTP
server on a local port: refused for good (400, 422), tried again later
(401, 403, 5xx, no answer, an answer that is not JSON), and never sent on
to another address."""

import socket
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest
from django.test import override_settings

from skranke.booking.availability import Policy
from skranke.booking.booking import book_appointment
from skranke.booking.models import Booking
from skranke.core.models import Location, Service
from skranke.notifications.delivery import deliver_due_messages
from skranke.notifications.models import Message
from tests.centre import at, citizen
from tests.notifications.fake_gatewayapi import TOKEN, FakeGatewayApi, running_fake_gatewayapi

pytestmark = pytest.mark.django_db


@pytest.fixture
def gateway() -> Iterator[FakeGatewayApi]:
    with (
        running_fake_gatewayapi() as (fake, url),
        override_settings(
            SMS_TRANSPORT="gatewayapi",
            GATEWAYAPI_URL=url,
            GATEWAYAPI_TOKEN=TOKEN,
            GATEWAYAPI_WEBHOOK_SECRET="webhook-secret",
            # Long enough for a busy machine; a hanging provider never
            # answers, and its test waits less.
            GATEWAYAPI_TIMEOUT_SECONDS=10,
        ),
    ):
        yield fake


@pytest.fixture
def confirmation(centre: Location, passport: Service) -> Message:
    book_appointment(
        location=centre,
        service=passport,
        start=at(8, 10),
        citizen=citizen(sms_consent=True),
        channel=Booking.Channel.WEB,
        policy=Policy.for_staff(centre),
    )
    return Message.objects.get(kind="confirmation", channel="sms")


def send(message: Message) -> Message:
    deliver_due_messages()
    message.refresh_from_db()
    return message


def answer_with(
    monkeypatch: pytest.MonkeyPatch,
    gateway: FakeGatewayApi,
    status: int,
    body: bytes = b"{}",
    headers: dict[str, str] | None = None,
) -> None:
    def handle(handler: BaseHTTPRequestHandler) -> None:
        handler.rfile.read(int(handler.headers.get("Content-Length", 0)))
        handler.send_response(status)
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    monkeypatch.setattr(gateway, "handle", handle)


def test_the_token_goes_as_basic_auth_and_the_provider_id_comes_back(
    gateway: FakeGatewayApi, confirmation: Message
) -> None:
    # The fake refuses (401) anything but `TOKEN:` as Basic auth.
    message = send(confirmation)
    assert (message.status, message.provider_id, message.last_error) == ("sent", "1001", "")


@pytest.mark.parametrize("status", [400, 422])
def test_a_message_gatewayapi_refuses_is_not_tried_again(
    gateway: FakeGatewayApi,
    confirmation: Message,
    monkeypatch: pytest.MonkeyPatch,
    status: int,
) -> None:
    answer_with(monkeypatch, gateway, status, b'{"message": "invalid recipient"}')
    message = send(confirmation)
    assert (message.status, message.attempts) == ("dead", 1)
    assert message.last_error == f"GatewayAPI answered {status}"


@pytest.mark.parametrize("status", [401, 403, 429, 500, 502, 503])
def test_a_message_is_tried_again_after_an_error_that_passes_or_the_operator_fixes(
    gateway: FakeGatewayApi,
    confirmation: Message,
    monkeypatch: pytest.MonkeyPatch,
    status: int,
) -> None:
    answer_with(monkeypatch, gateway, status)
    message = send(confirmation)
    assert (message.status, message.attempts) == ("pending", 1)
    assert message.last_error == f"GatewayAPI answered {status}"


def test_a_redirect_is_not_followed_with_the_token(
    gateway: FakeGatewayApi, confirmation: Message, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer_with(monkeypatch, gateway, 307, headers={"Location": "http://127.0.0.1:9/elsewhere"})
    message = send(confirmation)
    assert (message.status, message.last_error) == ("pending", "GatewayAPI answered 307")


def test_an_answer_that_is_not_json_is_tried_again(
    gateway: FakeGatewayApi, confirmation: Message, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer_with(monkeypatch, gateway, 200, b"<html>Bad gateway</html>")
    message = send(confirmation)
    assert message.status == "pending"
    assert message.last_error.startswith("GatewayAPI did not answer:")


def test_a_provider_that_hangs_is_given_up_on_after_the_timeout(
    gateway: FakeGatewayApi, confirmation: Message
) -> None:
    gateway.mode = "hanging"  # answers nothing
    with override_settings(GATEWAYAPI_TIMEOUT_SECONDS=0.3):
        message = send(confirmation)
    assert message.status == "pending"
    assert message.last_error.startswith("GatewayAPI did not answer:")
    assert "timed out" in message.last_error


def test_a_provider_that_cannot_be_reached_is_tried_again(confirmation: Message) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        address = f"http://127.0.0.1:{unused.getsockname()[1]}/rest/mtsms"  # nothing listens
        with override_settings(
            SMS_TRANSPORT="gatewayapi",
            GATEWAYAPI_URL=address,
            GATEWAYAPI_TOKEN=TOKEN,
            GATEWAYAPI_WEBHOOK_SECRET="webhook-secret",
            GATEWAYAPI_TIMEOUT_SECONDS=0.3,
        ):
            message = send(confirmation)
    assert (message.status, message.attempts) == ("pending", 1)
    assert message.last_error.startswith("GatewayAPI did not answer:")
