"""Delivery through GatewayAPI when it fails: nothing is lost, nothing
blocks a booking, and every message arrives once when it is back."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.test import Client, override_settings

from skranke.booking.availability import Policy
from skranke.booking.booking import book_appointment
from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.models import Location, Service
from skranke.notifications.delivery import deliver_due_messages, retry_message
from skranke.notifications.models import Message
from skranke.notifications.signatures import sign_hs256_token
from tests.centre import at, citizen
from tests.notifications.fake_gatewayapi import TOKEN, FakeGatewayApi, running_fake_gatewayapi

pytestmark = pytest.mark.django_db

SECRET = "webhook-secret"


@pytest.fixture
def gateway() -> Iterator[FakeGatewayApi]:
    with (
        running_fake_gatewayapi() as (fake, url),
        override_settings(
            SMS_TRANSPORT="gatewayapi",
            GATEWAYAPI_URL=url,
            GATEWAYAPI_TOKEN=TOKEN,
            GATEWAYAPI_WEBHOOK_SECRET=SECRET,
            # Long enough for a busy machine; a hanging provider never
            # answers, and its tests wait less.
            GATEWAYAPI_TIMEOUT_SECONDS=10,
            MESSAGE_RETRY_SECONDS=30,
            MESSAGE_MAX_ATTEMPTS=10,
        ),
    ):
        yield fake


def book_many(centre: Location, passport: Service, count: int) -> list[Booking]:
    starts = [at(9, 10) + timedelta(minutes=20 * (n // 2)) for n in range(count)]
    return [
        book_appointment(
            location=centre,
            service=passport,
            start=start,
            citizen=citizen(n, sms_consent=True),
            channel=Booking.Channel.WEB,
            policy=Policy.for_staff(centre),
        )
        for n, start in enumerate(starts)
    ]


def run_worker_for(minutes: int) -> int:
    """Let the worker go round every 10 seconds of clock time."""
    rounds = 0
    for _ in range(minutes * 6):
        clock.advance(timedelta(seconds=10))
        deliver_due_messages()
        rounds += 1
    return rounds


def test_an_outage_delays_messages_and_loses_none(
    centre: Location, passport: Service, gateway: FakeGatewayApi
) -> None:
    gateway.mode = "unavailable"
    bookings = book_many(centre, passport, 8)  # every booking succeeds
    confirmations = Message.objects.filter(kind="confirmation")
    assert confirmations.count() == 8
    run_worker_for(minutes=3)
    gateway.mode = "hanging"  # now it does not even answer in time
    with override_settings(GATEWAYAPI_TIMEOUT_SECONDS=0.3):
        run_worker_for(minutes=3)
    assert gateway.accepted == []
    assert gateway.refused >= 16  # each message tried at least twice
    assert set(confirmations.values_list("status", flat=True)) == {"pending"}
    assert all(m.last_error for m in confirmations)

    gateway.mode = "up"
    run_worker_for(minutes=30)  # the backoff has grown to minutes
    assert set(confirmations.values_list("status", flat=True)) == {"sent"}
    assert gateway.accepted_refs() == {str(m.pk): 1 for m in confirmations}
    attempts = sorted(confirmations.values_list("attempts", flat=True))
    print(  # the figures for docs/notifications.md
        f"\noutage: {len(bookings)} bookings, {gateway.refused} refused attempts,"
        f" attempts per message {attempts[0]}-{attempts[-1]},"
        f" {len(gateway.accepted)} delivered, duplicates"
        f" {sum(n - 1 for n in gateway.accepted_refs().values())}"
    )


def test_a_message_is_given_up_after_the_last_attempt_and_can_be_tried_again(
    centre: Location, passport: Service, gateway: FakeGatewayApi
) -> None:
    gateway.mode = "unavailable"
    with override_settings(MESSAGE_MAX_ATTEMPTS=3, MESSAGE_RETRY_SECONDS=1):
        book_many(centre, passport, 1)
        run_worker_for(minutes=2)
    message = Message.objects.get(kind="confirmation")
    assert (message.status, message.attempts) == ("dead", 3)
    assert "503" in message.last_error
    gateway.mode = "up"
    retry_message(message=message)
    deliver_due_messages()
    message.refresh_from_db()
    assert message.status == "sent"
    assert gateway.accepted_refs() == {str(message.pk): 1}


def test_a_refused_number_is_not_tried_again(
    centre: Location, passport: Service, gateway: FakeGatewayApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    book_many(centre, passport, 1)
    monkeypatch.setattr(
        gateway, "handle", lambda handler: gateway._answer(handler, 400, {"message": "bad"})
    )
    deliver_due_messages()
    message = Message.objects.get(kind="confirmation")
    assert (message.status, message.attempts) == ("dead", 1)


def test_the_request_is_what_gatewayapi_expects(
    centre: Location, passport: Service, gateway: FakeGatewayApi
) -> None:
    (booking,) = book_many(centre, passport, 1)
    deliver_due_messages()
    (payload,) = gateway.accepted
    message = Message.objects.get(kind="confirmation")
    assert payload["recipients"] == [{"msisdn": int(booking.phone.lstrip("+"))}]
    assert payload["userref"] == str(message.pk)
    assert payload["sender"] == "Kommunen"
    assert str(payload["callback_url"]).endswith("/api/v1/notifications/gatewayapi/status")
    assert "encoding" not in payload  # Danish text is GSM-7
    assert message.provider_id == "1001"
    assert message.segments in (1, 2)


def report(client: Client, claims: dict[str, object], *, secret: str = SECRET) -> int:
    return client.post(
        "/api/v1/notifications/gatewayapi/status",
        claims,
        content_type="application/json",
        HTTP_X_GWAPI_SIGNATURE=sign_hs256_token(claims=claims, secret=secret),
    ).status_code


def test_a_signed_status_report_marks_the_message_delivered(
    centre: Location, passport: Service, gateway: FakeGatewayApi
) -> None:
    book_many(centre, passport, 1)
    deliver_due_messages()
    message = Message.objects.get(kind="confirmation")
    claims = {"id": 1001, "msisdn": 4520000000, "status": "DELIVERED", "userref": str(message.pk)}
    assert report(Client(), claims) == 204
    message.refresh_from_db()
    assert (message.status, message.provider_status) == ("delivered", "DELIVERED")
    # A late transient report does not undo the final one.
    assert report(Client(), claims | {"status": "ENROUTE"}) == 204
    message.refresh_from_db()
    assert message.provider_status == "DELIVERED"


def test_a_status_report_with_a_wrong_signature_is_refused(
    centre: Location, passport: Service, gateway: FakeGatewayApi
) -> None:
    book_many(centre, passport, 1)
    deliver_due_messages()
    message = Message.objects.get(kind="confirmation")
    claims = {"id": 1001, "status": "UNDELIVERABLE", "userref": str(message.pk)}
    assert report(Client(), claims, secret="guessed") == 401
    unsigned = Client().post(
        "/api/v1/notifications/gatewayapi/status", claims, content_type="application/json"
    )
    assert unsigned.status_code == 401
    message.refresh_from_db()
    assert message.provider_status == ""


def test_a_message_left_half_sent_by_a_stopped_worker_is_recovered(
    centre: Location, passport: Service, gateway: FakeGatewayApi
) -> None:
    book_many(centre, passport, 2)
    first, second = Message.objects.filter(kind="confirmation").order_by("pk")
    # A worker claimed both and was killed: the provider got the first (and
    # reported on it), never the second.
    Message.objects.filter(pk__in=[first.pk, second.pk]).update(
        status="sending", claimed_at=clock.now(), attempts=1
    )
    Message.objects.filter(pk=first.pk).update(provider_status="ENROUTE")
    deliver_due_messages()
    assert gateway.accepted == []  # not before the timeout
    clock.advance(timedelta(minutes=2))  # a stranded message goes out within two minutes
    deliver_due_messages()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("sent", "sent")
    assert gateway.accepted_refs() == {str(second.pk): 1}
