"""GatewayAPI's signed webhook for incoming text messages: a citizen
cancels by answering AFLYS and then JA, and the time is free again; a
message without a valid signature, or whose body says other than what is
signed, is refused and nothing is kept; a message sent again changes
nothing."""

import itertools
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings

from skranke.booking.availability import Policy, find_slot
from skranke.booking.booking import book_appointment
from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.models import Location, Service
from skranke.inquiries.models import Inquiry, ReceivedText
from skranke.notifications.models import Message
from skranke.notifications.signatures import sign_hs256_token
from tests.centre import at, citizen
from tests.inquiries.test_text_replies import sent_texts

pytestmark = pytest.mark.django_db

SECRET = "webhook-secret"
URL = "/api/v1/notifications/gatewayapi/incoming"
MSISDN = 4520000001  # citizen(1)'s number
OUR_NUMBER = 4512345678
_ids = itertools.count(5001)


@pytest.fixture
def outbox(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "outbox"
    with override_settings(
        SMS_TRANSPORT="file", MESSAGE_OUTBOX_DIR=str(folder), GATEWAYAPI_WEBHOOK_SECRET=SECRET
    ):
        yield folder


@pytest.fixture
def booking(centre: Location, passport: Service, outbox: Path) -> Booking:
    """Wednesday at 10:00 at the centre's last free desk, in English, its
    confirmation sent by text message."""
    for number, consent in ((2, False), (1, True)):
        booked = book_appointment(
            location=centre,
            service=passport,
            start=at(9, 10),
            citizen=citizen(number, sms_consent=consent, language="en"),
            channel=Booking.Channel.WEB,
            policy=Policy.for_staff(centre),
        )
    sent_texts(outbox)
    return booked


def incoming(text: str, *, msisdn: int = MSISDN, **more: object) -> dict[str, object]:
    """A message as GatewayAPI posts it (and signs it)."""
    return {
        "id": next(_ids),
        "msisdn": msisdn,
        "receiver": OUR_NUMBER,
        "message": text,
        "senttime": int(clock.now().timestamp()),
        "webhook_label": "skranke",
        "encoding": "UTF8",
    } | more


def post(
    claims: dict[str, object],
    *,
    body: dict[str, object] | None = None,
    secret: str = SECRET,
    signed: bool = True,
) -> int:
    signature = sign_hs256_token(claims=claims, secret=secret)
    return (
        Client()
        .post(
            URL,
            body if body is not None else claims,
            content_type="application/json",
            headers={"X-Gwapi-Signature": signature} if signed else {},
        )
        .status_code
    )


def is_free(centre: Location, passport: Service) -> bool:
    slot = find_slot(
        location=centre, service=passport, start=at(9, 10), policy=Policy.for_citizens(centre)
    )
    return slot is not None


def test_a_citizen_cancels_by_text_and_the_time_is_free_again(
    booking: Booking, outbox: Path, centre: Location, passport: Service
) -> None:
    assert not is_free(centre, passport)
    assert post(incoming("Aflys")) == 204
    question = sent_texts(outbox)[-1]
    assert question["to"] == f"+{MSISDN}"
    assert (
        question["body"]
        == "Reply YES to cancel your time at Rådhuset Wednesday 9 December at 10:00."
    )
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED

    assert post(incoming("JA")) == 204
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert is_free(centre, passport)
    texts = sent_texts(outbox)
    assert [(text["kind"], text["to"]) for text in texts] == [
        ("confirmation", f"+{MSISDN}"),
        ("cancel_question", f"+{MSISDN}"),
        ("cancelled", f"+{MSISDN}"),
    ]
    assert texts[-1]["body"] == (
        "Your time at Rådhuset Wednesday 9 December at 10:00 is cancelled."
        f" Book a new time: {settings.SITE_URL}/"
    )
    assert list(ReceivedText.objects.order_by("pk").values_list("outcome", "booking")) == [
        ("cancel_asked", booking.pk),
        ("cancelled", booking.pk),
    ]


def test_a_message_sent_again_changes_nothing(booking: Booking, outbox: Path) -> None:
    aflys, ja = incoming("AFLYS"), incoming("JA")
    assert post(aflys) == 204
    sent_texts(outbox)
    assert post(ja) == 204
    sent_texts(outbox)
    messages = list(Message.objects.order_by("pk").values_list("pk", "status", "sent_at"))
    clock.advance(timedelta(minutes=30))
    for again in (aflys, ja, aflys):
        assert post(again) == 204
    sent_texts(outbox)
    assert list(Message.objects.order_by("pk").values_list("pk", "status", "sent_at")) == messages
    assert ReceivedText.objects.count() == 2


@pytest.mark.parametrize(
    ("changed", "secret", "signed"),
    [
        pytest.param({}, SECRET, False, id="unsigned"),
        pytest.param({}, "another-secret", True, id="signed with another secret"),
        pytest.param({"message": "AFLYS"}, SECRET, True, id="another text than signed"),
        pytest.param({"msisdn": 4520000002}, SECRET, True, id="another sender than signed"),
        pytest.param({"id": 1}, SECRET, True, id="another id than signed"),
    ],
)
def test_a_message_without_a_valid_signature_is_refused_and_nothing_kept(
    booking: Booking, outbox: Path, changed: dict[str, object], secret: str, signed: bool
) -> None:
    claims = incoming("Hvornår åbner I?")
    assert post(claims, body=claims | changed, secret=secret, signed=signed) == 401
    assert not ReceivedText.objects.exists()
    assert not Inquiry.objects.exists()
    assert len(sent_texts(outbox)) == 1  # the confirmation only


def test_nothing_is_accepted_without_a_secret(booking: Booking, outbox: Path) -> None:
    with override_settings(GATEWAYAPI_WEBHOOK_SECRET=""):
        assert post(incoming("AFLYS"), secret="x" * 32) == 401
    assert not ReceivedText.objects.exists()


def test_an_expired_signature_is_refused(booking: Booking) -> None:
    now = int(clock.now().timestamp())
    assert post(incoming("AFLYS", exp=now - 600)) == 401
    assert not ReceivedText.objects.exists()


def test_other_words_and_an_unknown_number_are_acknowledged(booking: Booking, outbox: Path) -> None:
    assert post(incoming("Skal jeg have mit gamle pas med?")) == 204
    assert Inquiry.objects.get().booking == booking
    assert post(incoming("Hej", msisdn=4529999999)) == 204
    assert [text["kind"] for text in sent_texts(outbox)][-1] == "number_takes_no_texts"
