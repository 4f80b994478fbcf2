"""What a booking, a move and a cancellation put in the outbox, and what
the citizen receives: in their language, with no more personal data in a
text message than the first name."""

import json
from pathlib import Path

import pytest
from django.core import mail
from django.test import override_settings

from skranke.booking.availability import Policy
from skranke.booking.booking import book_appointment, cancel_appointment, reschedule_appointment
from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.models import Location, Service
from skranke.notifications.delivery import deliver_due_messages
from skranke.notifications.models import Message
from skranke.notifications.segments import count_segments
from tests.centre import at, citizen

pytestmark = pytest.mark.django_db


@pytest.fixture
def outbox(tmp_path: Path) -> Path:
    folder = tmp_path / "outbox"
    with override_settings(
        SMS_TRANSPORT="file", EMAIL_TRANSPORT="email", MESSAGE_OUTBOX_DIR=str(folder)
    ):
        yield folder


def sent_texts(folder: Path) -> list[dict[str, str]]:
    if not folder.exists():
        return []
    return [json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))]


def book(centre: Location, service: Service, moment, **details: object) -> Booking:  # type: ignore[no-untyped-def]
    return book_appointment(
        location=centre,
        service=service,
        start=moment,
        citizen=citizen(1, **details),
        channel=Booking.Channel.WEB,
        policy=Policy.for_staff(centre),
    )


def test_a_booking_queues_a_confirmation_and_a_reminder_on_each_channel(
    centre: Location, passport: Service, outbox: Path
) -> None:
    booking = book(centre, passport, at(9, 10), sms_consent=True, email="borger@example.dk")
    queued = {(m.kind, m.channel): m.due_at for m in Message.objects.filter(booking=booking)}
    assert queued == {
        ("confirmation", "sms"): clock.now(),
        ("confirmation", "email"): clock.now(),
        ("reminder", "sms"): at(8, 10),
        ("reminder", "email"): at(8, 10),
    }


def test_no_text_message_without_consent_and_no_email_without_address(
    centre: Location, passport: Service, outbox: Path
) -> None:
    booking = book(centre, passport, at(9, 10), sms_consent=False)
    assert not Message.objects.filter(booking=booking).exists()


def test_no_reminder_for_a_time_booked_inside_its_window(
    centre: Location, passport: Service, outbox: Path
) -> None:
    booking = book(centre, passport, at(7, 14), sms_consent=True)  # today, in six hours
    kinds = list(Message.objects.filter(booking=booking).values_list("kind", flat=True))
    assert kinds == ["confirmation"]


def test_the_confirmation_text_has_the_first_name_only_and_fits_two_segments(
    centre: Location, passport: Service, outbox: Path
) -> None:
    book(
        centre,
        passport,
        at(9, 10),
        name="Gertrud Margrethe Kristiansen-Bødtcher",
        sms_consent=True,
        note="Mit CPR-nummer er 010203-1234",
    )
    deliver_due_messages()
    (text,) = sent_texts(outbox)
    body = text["body"]
    assert text["to"] == "+4520000001"
    assert "Gertrud" in body
    for private in ("Kristiansen", "Margrethe", "CPR", "010203"):
        assert private not in body
    assert "onsdag 9. december" in body
    assert "10:00" in body
    assert count_segments(body).segments <= 2


def test_messages_are_in_the_bookings_language(
    centre: Location, passport: Service, outbox: Path
) -> None:
    book(centre, passport, at(9, 10), sms_consent=True, language="da")
    deliver_due_messages()
    (text,) = sent_texts(outbox)
    assert "onsdag 9. december kl. 10:00" in text["body"]
    assert "Kode" in text["body"]


def test_the_email_carries_the_calendar_file(
    centre: Location, passport: Service, outbox: Path
) -> None:
    booking = book(centre, passport, at(9, 10), email="borger@example.dk", language="en")
    deliver_due_messages()
    (email,) = mail.outbox
    assert email.to == ["borger@example.dk"]
    assert "Wednesday 9 December at 10:00" in email.subject
    assert booking.code in email.body
    assert f"/tid/{booking.code}/?token={booking.token}" in email.body
    ((_name, content, mimetype),) = email.attachments
    assert mimetype == "text/calendar"
    assert f"UID:{booking.code}@skranke" in str(content)


def test_a_cancelled_booking_gets_no_reminder(
    centre: Location, passport: Service, outbox: Path
) -> None:
    booking = book(centre, passport, at(9, 10), sms_consent=True)
    deliver_due_messages()  # the confirmation
    cancel_appointment(booking=booking)
    deliver_due_messages()  # the cancellation
    clock.set_now(at(8, 10, 1))
    deliver_due_messages()
    assert [text["kind"] for text in sent_texts(outbox)] == ["confirmation", "cancelled"]
    reminder = Message.objects.get(booking=booking, kind="reminder")
    assert reminder.status == Message.Status.SKIPPED


def test_a_moved_bookings_reminder_follows_the_new_time(
    centre: Location, passport: Service, outbox: Path
) -> None:
    booking = book(centre, passport, at(9, 10), sms_consent=True)
    deliver_due_messages()
    reschedule_appointment(booking=booking, start=at(10, 13), policy=Policy.for_staff(centre))
    deliver_due_messages()  # "moved"
    clock.set_now(at(8, 10, 1))  # the old reminder's time
    deliver_due_messages()
    assert [text["kind"] for text in sent_texts(outbox)] == ["confirmation", "rescheduled"]
    clock.set_now(at(9, 13, 1))  # a day before the new time
    deliver_due_messages()
    texts = sent_texts(outbox)
    assert [text["kind"] for text in texts] == ["confirmation", "rescheduled", "reminder"]
    assert "13:00" in texts[-1]["body"]


def test_a_reminder_goes_once_however_often_the_worker_looks(
    centre: Location, passport: Service, outbox: Path
) -> None:
    book(centre, passport, at(9, 10), sms_consent=True)
    clock.set_now(at(8, 10, 1))
    for _ in range(3):
        deliver_due_messages()
    assert [text["kind"] for text in sent_texts(outbox)] == ["confirmation", "reminder"]


def test_a_telephone_meeting_says_we_will_call(
    centre: Location, passport: Service, outbox: Path
) -> None:
    passport.kind = Service.Kind.PHONE
    passport.save()
    book(centre, passport, at(9, 10), sms_consent=True, language="en")
    deliver_due_messages()
    (text,) = sent_texts(outbox)
    assert "We will call you Wednesday 9 December at 10:00" in text["body"]
