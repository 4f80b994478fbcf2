"""Putting messages in the outbox. Called inside the transaction that
changes the booking, so the message exists exactly when the change does;
the worker sends it (delivery.py)."""

from datetime import timedelta

from skranke.booking.models import Booking
from skranke.core import clock
from skranke.notifications.models import Message


def queue_booking_messages(*, booking: Booking, kind: str, reason: str = "") -> list[Message]:
    """Queue `kind` for the booking on every channel the citizen gave us:
    a text message when they allowed it, an e-mail when they gave an
    address. Confirmations and moves also plan the reminder; cancellations
    call it off. The caller holds the transaction that changed the booking."""
    now = clock.now()
    queued = [
        Message.objects.create(
            booking=booking,
            kind=kind,
            channel=channel,
            sequence=booking.sequence,
            recipient=recipient,
            language=booking.language,
            reason=reason,
            due_at=now,
            next_attempt_at=now,
        )
        for channel, recipient in _channels(booking)
    ]
    _call_off_reminders(booking=booking)
    if kind in (Message.Kind.CONFIRMATION, Message.Kind.RESCHEDULED):
        queued += _plan_reminders(booking=booking)
    return queued


def _channels(booking: Booking) -> list[tuple[str, str]]:
    channels: list[tuple[str, str]] = []
    if booking.sms_consent and booking.phone:
        channels.append((Message.Channel.SMS, booking.phone))
    if booking.email:
        channels.append((Message.Channel.EMAIL, booking.email))
    return channels


def _call_off_reminders(*, booking: Booking) -> None:
    """A reminder not yet sent is not wanted once the booking is moved (a
    new one follows the new time) or cancelled."""
    Message.objects.filter(
        booking=booking, kind=Message.Kind.REMINDER, status=Message.Status.PENDING
    ).update(status=Message.Status.SKIPPED)


def _plan_reminders(*, booking: Booking) -> list[Message]:
    hours = booking.service.reminder_hours_before
    due = booking.start - timedelta(hours=hours)
    # Booked inside the reminder's window: the confirmation is reminder enough.
    if not hours or due <= clock.now():
        return []
    return [
        Message.objects.create(
            booking=booking,
            kind=Message.Kind.REMINDER,
            channel=channel,
            sequence=booking.sequence,
            recipient=recipient,
            language=booking.language,
            due_at=due,
            next_attempt_at=due,
        )
        for channel, recipient in _channels(booking)
    ]
