"""Text messages cost money: a few confirmations a day to one number, a
budget an hour for the whole installation (held, never dropped, and the
managers are told), and none abroad unless the installation allows it."""

from datetime import timedelta

import pytest
from django.test import override_settings

from skranke.accounts.models import Role
from skranke.booking.availability import Policy
from skranke.booking.booking import book_appointment, cancel_appointment
from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.models import Location, Service
from skranke.notifications.delivery import deliver_due_messages
from skranke.notifications.models import Message
from skranke.rate_limits.allowance import forget_old_windows, spend_allowance
from skranke.rate_limits.models import Window
from tests.booking.test_staff_booking import member
from tests.centre import at, citizen

pytestmark = pytest.mark.django_db

BANNER = "Text messages are being held back"


def book(place: Location, errand: Service, *, minute: int, **details: object) -> Booking:
    return book_appointment(
        location=place,
        service=errand,
        start=at(8, 10, 0) + timedelta(minutes=minute),
        citizen=citizen(minute, sms_consent=True, **details),
        channel=Booking.Channel.WEB,
        policy=Policy.for_citizens(place),
    )


def confirmations(channel: str) -> int:
    return Message.objects.filter(kind=Message.Kind.CONFIRMATION, channel=channel).count()


@override_settings(SMS_CONFIRMATIONS_PER_PHONE_PER_DAY=2)
def test_one_number_gets_a_few_confirmations_a_day_and_the_bookings_still_succeed(
    centre: Location, passport: Service
) -> None:
    # One active booking an errand per number (booking rules): each is
    # cancelled before the next, as someone making trouble might.
    for minute in (0, 20, 40):
        booking = book(centre, passport, minute=minute, phone="+4520123456", email="ane@example.dk")
        cancel_appointment(booking=booking)
    assert Booking.objects.count() == 3
    assert confirmations(Message.Channel.SMS) == 2
    assert confirmations(Message.Channel.EMAIL) == 3  # the e-mail still tells them
    # Without an e-mail the booking is still made, with no message at all.
    book(centre, passport, minute=60, phone="+4520123456")
    assert Booking.objects.count() == 4
    Booking.objects.filter(status=Booking.Status.BOOKED).update(status=Booking.Status.CANCELLED)
    assert confirmations(Message.Channel.SMS) == 2
    # Another number is not held back; and the next day the count starts again.
    book(centre, passport, minute=80, phone="+4520999999")
    assert confirmations(Message.Channel.SMS) == 3
    clock.advance(timedelta(days=1))
    book(centre, passport, minute=100, phone="+4520123456")
    assert confirmations(Message.Channel.SMS) == 4


@override_settings(SMS_PER_HOUR=2)
def test_beyond_the_hourly_budget_messages_wait_and_managers_are_told(
    centre: Location, passport: Service, staff_client
) -> None:
    for minute in (0, 20, 40):
        book(centre, passport, minute=minute)
    manager = staff_client(member(Role.MANAGER, centre))
    assert BANNER not in manager.get("/personale/").content.decode()
    deliver_due_messages()
    texts = Message.objects.filter(kind=Message.Kind.CONFIRMATION, channel=Message.Channel.SMS)
    assert sorted(texts.values_list("status", flat=True)) == ["pending", "sent", "sent"]
    held = texts.get(status=Message.Status.PENDING)
    assert held.attempts == 0  # held is not failed: every attempt is still to come
    assert held.next_attempt_at > clock.now()
    page = manager.get("/personale/").content.decode()
    assert BANNER in page
    front_desk = staff_client(member(Role.FRONT_DESK, centre))
    assert BANNER not in front_desk.get("/personale/").content.decode()
    # The next hour it goes, and the banner is gone.
    clock.set_now(held.next_attempt_at)
    deliver_due_messages()
    held.refresh_from_db()
    assert held.status == Message.Status.SENT
    assert BANNER not in manager.get("/personale/").content.decode()


def test_no_text_message_to_a_number_abroad_unless_allowed(
    centre: Location, passport: Service
) -> None:
    book(centre, passport, minute=0, phone="+46701234567")
    deliver_due_messages()
    text = Message.objects.get(kind=Message.Kind.CONFIRMATION, channel=Message.Channel.SMS)
    assert text.status == Message.Status.SKIPPED
    with override_settings(SMS_TO_FOREIGN_NUMBERS=True):
        book(centre, passport, minute=20, phone="+46701234568")
        deliver_due_messages()
    allowed = Message.objects.get(
        kind=Message.Kind.CONFIRMATION, channel=Message.Channel.SMS, recipient="+46701234568"
    )
    assert allowed.status == Message.Status.SENT


def test_the_worker_forgets_windows_an_hour_after_they_have_ended(centre: Location) -> None:
    spend_allowance(key="test", limit=1, window_seconds=60)
    spend_allowance(key="other", limit=1, window_seconds=3600)
    assert forget_old_windows() == 0
    clock.advance(timedelta(minutes=2))
    assert forget_old_windows() == 0  # the pressure still reads it
    clock.advance(timedelta(minutes=59))  # 09:01: the minute's window ended at 08:01
    assert forget_old_windows() == 1
    assert list(Window.objects.values_list("key", flat=True)) == ["other"]


def test_no_number_or_address_is_stored_in_clear(centre: Location, passport: Service) -> None:
    book(centre, passport, minute=0, phone="+4520123456")
    keys = " ".join(Window.objects.values_list("key", flat=True))
    assert keys
    assert "20123456" not in keys
