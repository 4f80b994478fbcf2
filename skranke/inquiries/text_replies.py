"""Text messages citizens send in answer to Skranke's, as the SMS
provider's incoming-message webhook passes them on (api/text_replies.py),
and what each one does.

A text answers the last text Skranke sent to that number about a booking
(within REPLY_WINDOW); that booking is the one it is about. Then:

- "AFLYS" or "CANCEL" (CANCEL_WORDS) for a booking still to come: Skranke
  asks back, "reply JA to cancel your time …";
- "JA" or "YES" (YES_WORDS) to that question within QUESTION_OPEN cancels
  the booking (booking.cancel_appointment, which frees its time and sends
  the booking's "cancelled" text; Skranke sends one of its own when that
  text does not go to this number). A "JA" to a question that lapsed, or
  that was about a time since moved, asks again;
- "JA" to any other text is noted as the citizen confirming they come, and
  not answered;
- "AFLYS" for a booking past or cancelled: a short answer saying so;
- anything else (and anything about a time still held for its code, which
  is not a booking yet) becomes an inquiry on the contact centre's
  worklist with the booking; more texts from the number join it while it
  is open;
- a number Skranke has not written to gets one short answer a day at most.

The question waiting for its "JA" is not kept apart: it is the outbox's
question, when that is the last text the number got. A "JA" answers the
last text the citizen got, so a "JA" to a reminder sent after a question
confirms the time and cancels nothing.

Each text is received once: its row (ReceivedText) is unique by the
provider's id, and a text received again (the webhook sent again) is
ALREADY_RECEIVED and changes nothing. A cancellation runs in the booking's
own transaction, before the row is written; it is idempotent, so a text
received twice at once, or again after a failure in between, cancels once
and the citizen is told once.
"""

import enum
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction

from skranke.booking.booking import cancel_appointment
from skranke.booking.models import Booking
from skranke.core.cpr import contains_cpr_number
from skranke.core.errors import InvalidInput
from skranke.core.phone_numbers import phone_for_lookup
from skranke.inquiries.models import Inquiry, InquiryMessage, ReceivedText
from skranke.notifications.models import Message
from skranke.rate_limits.allowance import spend_allowance
from skranke.rate_limits.limits import keyed_hash

Kind = Message.Kind
Outcome = ReceivedText.Outcome


class TextReplyOutcome(enum.StrEnum):
    """What a text led to: a stored ReceivedText.Outcome, or nothing at all
    for a text received before."""

    CANCEL_ASKED = Outcome.CANCEL_ASKED.value
    CANCELLED = Outcome.CANCELLED.value
    NOT_CANCELLABLE = Outcome.NOT_CANCELLABLE.value
    CONFIRMED = Outcome.CONFIRMED.value
    INQUIRY = Outcome.INQUIRY.value
    UNKNOWN_NUMBER = Outcome.UNKNOWN_NUMBER.value
    ALREADY_RECEIVED = "already_received"


# How long after Skranke's text an answer is still about its booking. A
# confirmation is answered when it comes, a reminder a day or two before
# the time; a month covers both with room to spare, and a number that
# changed hands since is unlikely. (Retention may end it sooner: the
# outbox forgets a message's number after its message period, 7 days at
# the least.)
REPLY_WINDOW = timedelta(days=30)
# How long "reply JA to cancel" waits for its JA. A day: the question is
# answered within minutes, and a JA days later more likely answers a
# reminder; a JA to a lapsed question asks again rather than cancel.
QUESTION_OPEN = timedelta(hours=24)
# The same answer about a booking (the question, "too late") goes again
# when asked again, at most this often: a citizen writing AFLYS ten times
# gets it once.
ANSWER_AGAIN_EVERY = timedelta(minutes=10)
# A number Skranke has not written to gets one answer a day (a fixed day,
# as rate_limits counts: from midnight UTC), so that nobody can have
# Skranke text a number over and over by writing from it. And all such
# numbers together get at most this many an hour: texts from many numbers
# must not use up the hour's budget (SMS_PER_HOUR) that reminders need.
UNKNOWN_NUMBER_ANSWERS_PER_HOUR = 20
DAY = 86400
HOUR = 3600

# The commands, as _command reads a text: letters and digits in lower case,
# words one space apart. A longer text is for people to read (an inquiry).
CANCEL_WORDS = frozenset({"aflys", "aflys tid", "aflys tiden", "aflys min tid", "cancel"})
YES_WORDS = frozenset({"ja", "ja tak", "yes"})
# The texts that tell a citizen their booking is cancelled.
CANCELLATION_KINDS = (Kind.CANCELLED, Kind.CANCELLED_BY_CENTRE, Kind.CANCELLED_BY_TEXT)


def receive_text_reply(
    *, provider_id: str, sender: str, text: str, sent_at: datetime, now: datetime
) -> TextReplyOutcome:
    """Act on a text from `sender` (a number with its country code, "+45…")
    that the provider received as `provider_id`, once; what it led to.
    `sent_at` is when the citizen sent it, as the provider says. Not to be
    called inside a transaction: a cancellation runs in its own."""
    if ReceivedText.objects.filter(provider_id=provider_id).exists():
        return TextReplyOutcome.ALREADY_RECEIVED
    received = ReceivedText(provider_id=provider_id, sent_at=min(sent_at, now), received_at=now)
    number = phone_for_lookup(sender)
    last = _last_text_sent(number=number, now=now) if number else None
    if number is None or last is None or last.booking is None:
        return _record(received, act=partial(_answer_unknown_number, number=number, now=now))
    booking = last.booking
    received.sender, received.text, received.booking = number, text, booking
    command = _command(text)
    if booking.held_until is not None or command not in CANCEL_WORDS | YES_WORDS:
        return _record(received, act=partial(_file_inquiry, booking=booking, now=now))
    if command in CANCEL_WORDS:
        return _record(received, act=partial(_ask_or_refuse, booking=booking, now=now))
    if last.kind != Kind.CANCEL_QUESTION:
        return _record(received, act=_note_confirmed)
    return _answer_question(received, booking=booking, question=last, now=now)


def _last_text_sent(*, number: str, now: datetime) -> Message | None:
    """The last text message Skranke sent to `number` about a booking,
    within REPLY_WINDOW."""
    since = now - REPLY_WINDOW
    return (
        Message.objects.filter(
            channel=Message.Channel.SMS,
            recipient=number,
            booking__isnull=False,
            status__in=(Message.Status.SENT, Message.Status.DELIVERED),
            sent_at__gte=since,
            # The outbox's index: a message goes within hours of being due.
            due_at__gte=since,
        )
        .select_related("booking__location", "booking__service")
        .order_by("-sent_at", "-pk")
        .first()
    )


def _command(text: str) -> str:
    words = "".join(char if char.isalnum() else " " for char in text.casefold())
    return " ".join(words.split())


def _record(received: ReceivedText, *, act: Callable[[ReceivedText], None]) -> TextReplyOutcome:
    """Do `act` (which sets the outcome) and keep the text, in one
    transaction: of a text received twice at once, one is kept and acted
    on, and the other is ALREADY_RECEIVED."""
    try:
        with transaction.atomic():
            act(received)
            received.save()
    except IntegrityError:
        if ReceivedText.objects.filter(provider_id=received.provider_id).exists():
            return TextReplyOutcome.ALREADY_RECEIVED
        raise
    return TextReplyOutcome(received.outcome)


def _answer_question(
    received: ReceivedText, *, booking: Booking, question: Message, now: datetime
) -> TextReplyOutcome:
    """A JA to "reply JA to cancel", the last text the number got."""
    if booking.status == Booking.Status.CANCELLED:
        # Cancelled already: by an earlier JA, or by the same JA received
        # again after a failure, or otherwise. What was asked for is done.
        return _record(received, act=partial(_confirm_cancelled, booking=booking, now=now))
    lapsed = question.sent_at is None or question.sent_at + QUESTION_OPEN < received.sent_at
    if lapsed or booking.sequence != question.sequence or not _cancellable(booking, now=now):
        # Asked too long ago, or about a time since moved: asked again
        # (or told it is too late).
        return _record(received, act=partial(_ask_or_refuse, booking=booking, now=now))
    try:
        cancelled = cancel_appointment(booking=booking)
    except InvalidInput:  # its time has come meanwhile
        return _record(received, act=partial(_ask_or_refuse, booking=booking, now=now))
    return _record(received, act=partial(_confirm_cancelled, booking=cancelled, now=now))


def _cancellable(booking: Booking, *, now: datetime) -> bool:
    return (
        booking.status == Booking.Status.BOOKED
        and booking.held_until is None
        and booking.start > now
    )


def _ask_or_refuse(received: ReceivedText, *, booking: Booking, now: datetime) -> None:
    """AFLYS: ask back for a JA, or say that it is too late."""
    if _cancellable(booking, now=now):
        received.outcome = Outcome.CANCEL_ASKED
        kind = Kind.CANCEL_QUESTION
    else:
        received.outcome = Outcome.NOT_CANCELLABLE
        kind = Kind.NOT_CANCELLABLE
    received.answer = _answer_about(booking, kind=kind, number=received.sender, now=now)


def _confirm_cancelled(received: ReceivedText, *, booking: Booking, now: datetime) -> None:
    """The booking is cancelled: the answer is the text that tells the
    number so, the booking's own or, if it sent none there, Skranke's."""
    received.booking = booking
    received.outcome = Outcome.CANCELLED
    told = Message.objects.filter(
        booking=booking,
        channel=Message.Channel.SMS,
        recipient=received.sender,
        sequence=booking.sequence,
        kind__in=CANCELLATION_KINDS,
    ).first()
    received.answer = told or _answer_about(
        booking, kind=Kind.CANCELLED_BY_TEXT, number=received.sender, now=now
    )


def _note_confirmed(received: ReceivedText) -> None:
    """JA to a confirmation or reminder: the citizen comes. Not answered."""
    received.outcome = Outcome.CONFIRMED


def _file_inquiry(received: ReceivedText, *, booking: Booking, now: datetime) -> None:
    """Anything else is for people to read: an inquiry on the worklist,
    or the next message of the number's inquiry still open there."""
    received.outcome = Outcome.INQUIRY
    holds_cpr_number = contains_cpr_number(received.text)
    inquiry = (
        Inquiry.objects.filter(
            municipality_id=booking.location.municipality_id,
            channel=Inquiry.Channel.SMS,
            sender=received.sender,
            status=Inquiry.Status.OPEN,
        )
        .order_by("-last_received_at", "-pk")
        .first()
    )
    if inquiry is None:
        inquiry = Inquiry.objects.create(
            municipality_id=booking.location.municipality_id,
            channel=Inquiry.Channel.SMS,
            location=booking.location,
            sender=received.sender,
            sender_name=booking.name[:200],
            # A text has no subject: its first words stand for it on the list.
            subject=first_words(text=received.text),
            booking=booking,
            received_at=now,
            last_received_at=now,
            has_cpr_number=holds_cpr_number,
        )
    else:
        joined = Inquiry.objects.filter(pk=inquiry.pk)
        joined.update(last_received_at=now)
        if holds_cpr_number:
            joined.update(has_cpr_number=True)
    InquiryMessage.objects.create(
        inquiry=inquiry,
        direction=InquiryMessage.Direction.IN,
        at=received.sent_at,
        text=received.text,
    )


def _answer_unknown_number(received: ReceivedText, *, number: str | None, now: datetime) -> None:
    """A number Skranke has not written to (or not a number): its text is
    not kept (ReceivedText.sender), and the number gets "this number takes
    no messages" once a day at most."""
    received.outcome = Outcome.UNKNOWN_NUMBER
    if number is None or not _may_answer_unknown_number(number=number):
        return
    received.answer = Message.objects.create(
        kind=Kind.NUMBER_TAKES_NO_TEXTS,
        channel=Message.Channel.SMS,
        recipient=number,
        language=settings.LANGUAGE_CODE,
        due_at=now,
        next_attempt_at=now,
    )


def _may_answer_unknown_number(*, number: str) -> bool:
    """Counted as the rate limits count (rate_limits/allowance.py): per
    number by a keyed hash, so the count keeps no number in clear."""
    if not spend_allowance(
        key=f"sms-unknown-number:{keyed_hash(number)}", limit=1, window_seconds=DAY
    ).allowed:
        return False
    return spend_allowance(
        key="sms-unknown-numbers", limit=UNKNOWN_NUMBER_ANSWERS_PER_HOUR, window_seconds=HOUR
    ).allowed


def _answer_about(booking: Booking, *, kind: str, number: str, now: datetime) -> Message:
    """Answer `kind` about the booking as it stands, to `number`. The
    outbox keeps one such row per booking, kind and change of the booking;
    asked again, it goes again, once ANSWER_AGAIN_EVERY has passed."""
    earlier = Message.objects.filter(
        booking=booking, kind=kind, channel=Message.Channel.SMS, sequence=booking.sequence
    ).first()
    if earlier is None:
        return Message.objects.create(
            booking=booking,
            kind=kind,
            channel=Message.Channel.SMS,
            sequence=booking.sequence,
            recipient=number,
            language=booking.language,
            due_at=now,
            next_attempt_at=now,
        )
    if earlier.status not in Message.OPEN and earlier.due_at <= now - ANSWER_AGAIN_EVERY:
        # As new, the provider's word on the last sending forgotten: its
        # reports on this sending are to count (delivery.py).
        Message.objects.filter(pk=earlier.pk, status=earlier.status).update(
            status=Message.Status.PENDING,
            recipient=number,
            due_at=now,
            next_attempt_at=now,
            attempts=0,
            claimed_at=None,
            provider_id="",
            provider_status="",
            last_error="",
        )
    return earlier


SUBJECT_WORDS = 80


def first_words(*, text: str) -> str:
    """A text message's first line, cut at a word, for the worklist."""
    line = " ".join(text.split())
    if len(line) <= SUBJECT_WORDS:
        return line
    return line[:SUBJECT_WORDS].rsplit(" ", 1)[0] + " …"
