"""Putting a booking's messages in the outbox (notifications). Called inside
the transaction that changes the booking, so the message exists exactly
when the change does; the worker sends it (notifications/delivery.py)."""

from datetime import datetime, timedelta

from django.db import connection
from django.db.models import QuerySet

from skranke.booking.models import Booking
from skranke.core import clock
from skranke.notifications.models import Message
from skranke.rate_limits.text_messages import spend_confirmation_text


def queue_booking_messages(*, booking: Booking, kind: str, reason: str = "") -> list[Message]:
    """Queue `kind` for the booking on every channel the citizen gave us:
    a text message when they allowed it, an e-mail when they gave an
    address. Confirmations and moves also plan the reminder; cancellations
    call it off. The caller holds the transaction that changed the booking.
    Returns the messages queued (their ids are not read back)."""
    channels = _channels(booking)
    if not channels:  # nothing was ever queued for this booking either
        return []
    now = clock.now()
    queued = [
        Message(
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
        for channel, recipient in channels
        if kind != Message.Kind.CONFIRMATION
        or channel != Message.Channel.SMS
        or spend_confirmation_text(phone=recipient)  # SMS_CONFIRMATIONS_PER_PHONE_PER_DAY
    ]
    if kind != Message.Kind.CONFIRMATION:  # a new booking has no reminder yet
        _call_off_reminders(booking=booking)
    if kind in (Message.Kind.CONFIRMATION, Message.Kind.RESCHEDULED):
        queued += _plan_reminders(booking=booking, channels=channels)
    if queued:  # none when the day's confirmations by text are used up and no e-mail was given
        _insert(queued)
    return queued


def _insert(messages: list[Message]) -> None:
    """One plain INSERT for the booking's messages. It runs inside every
    booking, and Django's bulk_create cost four times as much on
    PostgreSQL (1.5 ms against 0.4 ms, measured for docs/benchmarks.md).
    The rows are not read back: nothing here needs their ids."""
    fields = [field for field in Message._meta.concrete_fields if not field.primary_key]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    values = [
        field.get_db_prep_save(getattr(message, field.attname), connection)
        for message in messages
        for field in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Message._meta.db_table} ({columns})"  # noqa: S608
            f" VALUES {', '.join([row] * len(messages))}",
            values,
        )


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


def _plan_reminders(*, booking: Booking, channels: list[tuple[str, str]]) -> list[Message]:
    hours = booking.service.reminder_hours_before
    due = booking.start - timedelta(hours=hours)
    # Booked inside the reminder's window: the confirmation is reminder enough.
    if not hours or due <= clock.now():
        return []
    return [
        Message(
            booking=booking,
            kind=Message.Kind.REMINDER,
            channel=channel,
            sequence=booking.sequence,
            recipient=recipient,
            language=booking.language,
            due_at=due,
            next_attempt_at=due,
        )
        for channel, recipient in channels
    ]


def queue_hold_code(*, booking: Booking) -> None:
    """Send the code that confirms the booking's hold (holds.py), by text
    message whatever the citizen chose for reminders: it is the one message
    a held time gets. Its text is made when it is sent, from the booking's
    count of codes; a code asked for again sends the same row once more."""
    now = clock.now()
    earlier = Message.objects.filter(
        booking=booking, kind=Message.Kind.HOLD_CODE, channel=Message.Channel.SMS
    )
    if not _send_again(earlier, now=now):
        _insert([_text_to_number(booking=booking, kind=Message.Kind.HOLD_CODE, now=now)])


def _text_to_number(*, booking: Booking, kind: str, now: datetime) -> Message:
    """A text message about the booking to its number, due now, whether or
    not the citizen wanted reminders by text (the code, the link again)."""
    return Message(
        booking=booking,
        kind=kind,
        channel=Message.Channel.SMS,
        sequence=booking.sequence,
        recipient=booking.phone,
        language=booking.language,
        due_at=now,
        next_attempt_at=now,
    )


def _send_again(messages: QuerySet[Message], *, now: datetime) -> int:
    """Put `messages` back in the outbox as new, due now; how many."""
    return messages.update(
        status=Message.Status.PENDING,
        due_at=now,
        next_attempt_at=now,
        attempts=0,
        last_error="",
        claimed_at=None,
    )


# A citizen who asks for the link again and again gets it at most this often.
LINK_AGAIN_EVERY = timedelta(minutes=10)


def queue_link_again(*, booking: Booking) -> bool:
    """Send the booking's manage link again by text message, to the number
    the citizen has just proved they know (whether or not they wanted
    reminders by text). One message row per booking and change, sent again
    when asked for after LINK_AGAIN_EVERY. Returns whether it is on its way."""
    now = clock.now()
    earlier = Message.objects.filter(
        booking=booking,
        kind=Message.Kind.LINK_AGAIN,
        channel=Message.Channel.SMS,
        sequence=booking.sequence,
    ).first()
    if earlier is None:
        _insert([_text_to_number(booking=booking, kind=Message.Kind.LINK_AGAIN, now=now)])
        return True
    if earlier.status in Message.OPEN or earlier.due_at > now - LINK_AGAIN_EVERY:
        return earlier.status in Message.OPEN
    return bool(_send_again(Message.objects.filter(pk=earlier.pk, status=earlier.status), now=now))
