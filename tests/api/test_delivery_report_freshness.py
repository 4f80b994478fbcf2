"""GatewayAPI's signed delivery reports: an expired or future-dated one is
refused, a copied one changes nothing, and the body cannot say other than
what was signed."""

from datetime import timedelta

import pytest
from django.test import Client, override_settings

from skranke.booking.availability import Policy
from skranke.booking.booking import book_appointment
from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.models import Location, Service
from skranke.notifications.models import Message
from skranke.notifications.signatures import sign_hs256_token
from tests.centre import at, citizen

pytestmark = pytest.mark.django_db

SECRET = "webhook-secret"
URL = "/api/v1/notifications/gatewayapi/status"


@pytest.fixture
def message(centre: Location, passport: Service, stopped_clock: object) -> Message:
    book_appointment(
        location=centre,
        service=passport,
        start=at(8, 10),
        citizen=citizen(sms_consent=True),
        channel=Booking.Channel.WEB,
        policy=Policy.for_staff(centre),
    )
    sent = Message.objects.filter(channel="sms").first()
    assert sent is not None
    Message.objects.filter(pk=sent.pk).update(status=Message.Status.SENT, provider_id="1001")
    return sent


def report(claims: dict[str, object], *, body: dict[str, object] | None = None) -> int:
    with override_settings(GATEWAYAPI_WEBHOOK_SECRET=SECRET):
        return (
            Client()
            .post(
                URL,
                body if body is not None else claims,
                content_type="application/json",
                HTTP_X_GWAPI_SIGNATURE=sign_hs256_token(claims=claims, secret=SECRET),
            )
            .status_code
        )


def claims_for(message: Message, status: str = "DELIVERED", **more: object) -> dict[str, object]:
    now = int(clock.now().timestamp())
    return {"id": 1001, "status": status, "userref": str(message.pk), "time": now} | more


def provider_status(message: Message) -> str:
    message.refresh_from_db()
    return message.provider_status


def test_a_fresh_report_is_recorded(message: Message) -> None:
    assert report(claims_for(message)) == 204
    assert provider_status(message) == "DELIVERED"


def test_an_expired_token_is_refused(message: Message) -> None:
    now = int(clock.now().timestamp())
    assert report(claims_for(message, exp=now - 120)) == 401
    assert report(claims_for(message, iat=now - 10 * 60)) == 401  # issued 10 minutes ago
    assert provider_status(message) == ""
    assert report(claims_for(message, iat=now - 30, exp=now + 300)) == 204


def test_a_token_from_the_future_is_refused(message: Message) -> None:
    now = int(clock.now().timestamp())
    assert report(claims_for(message, iat=now + 10 * 60)) == 401
    assert report(claims_for(message, nbf=now + 10 * 60)) == 401
    assert report(claims_for(message, iat="yesterday")) == 401
    assert provider_status(message) == ""


def test_a_report_of_a_status_long_ago_or_yet_to_come_is_refused(message: Message) -> None:
    now = int(clock.now().timestamp())
    assert report(claims_for(message, time=now - 2 * 24 * 3600)) == 401
    assert report(claims_for(message, time=now + 3600)) == 401
    assert provider_status(message) == ""
    # GatewayAPI sends a report again for hours while we do not answer.
    assert report(claims_for(message, time=now - 13 * 3600)) == 204


def test_a_copied_report_sent_again_changes_nothing(message: Message) -> None:
    undeliverable = claims_for(message, "UNDELIVERABLE")
    assert report(undeliverable) == 204
    clock.advance(timedelta(minutes=30))
    # The same signed report again, and an older one that was copied.
    assert report(undeliverable) == 204
    assert report(claims_for(message, "ENROUTE")) == 204
    message.refresh_from_db()
    assert (message.status, message.provider_status) == ("sent", "UNDELIVERABLE")


def test_the_body_cannot_change_the_signed_status(message: Message) -> None:
    signed = claims_for(message, "UNDELIVERABLE")
    assert report(signed, body=signed | {"status": "DELIVERED"}) == 401
    message.refresh_from_db()
    assert (message.status, message.provider_status) == ("sent", "")
