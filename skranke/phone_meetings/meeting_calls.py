"""Calling a citizen who booked a telephone meeting: take the call (only one
staff member can), give it back, note that the call started, and end it as
reached or unanswered. Unanswered once, the meeting returns to the list for
a second attempt a little later; unanswered twice, it is over: the booking
counts as a no-show and the citizen gets a "we tried to call you" message.

Each write is a conditional update from the state it expects, in its own
durable transaction, so two colleagues never act on one call and a second
click changes nothing and says so (MeetingNotChanged). No lock is taken
beforehand: the update's WHERE clause is the lock.
"""

from datetime import datetime, timedelta
from typing import NoReturn

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from skranke.accounts.models import User
from skranke.booking.messages import queue_booking_messages
from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.models import Service
from skranke.notifications.models import Message
from skranke.phone_meetings.errors import CallTaken, MeetingNotChanged, MeetingRefused
from skranke.phone_meetings.models import MeetingCall

# How long after an unanswered call the second attempt is due: long enough
# for a citizen who was busy to be free, short enough to be the same hour.
RETRY_AFTER = timedelta(minutes=15)


def _current_call(*, booking: Booking) -> MeetingCall | None:
    """The call as it stands, read without a lock: good for choosing what to
    say, never for deciding who wins (the conditional updates do that). The
    race test meets here, so that every racer has looked before any writes."""
    return MeetingCall.objects.filter(booking=booking).first()


def _local_time(moment: datetime) -> str:
    return f"{moment.astimezone(clock.LOCAL_ZONE):%H:%M}"


def claim_meeting(*, booking: Booking, staff: User) -> MeetingCall:
    """`staff` takes the call; no colleague can take it until it is given
    back. When several press at once, exactly one wins: the row is inserted
    if missing (the one-per-booking constraint lets a concurrent insert
    stand) and then taken with an update that only matches while nobody
    has it. The others get CallTaken."""
    if booking.service.kind != Service.Kind.PHONE:
        raise MeetingRefused(_("This booking is not a telephone meeting."))
    if booking.status == Booking.Status.CANCELLED:
        raise MeetingRefused(_("The citizen has cancelled this telephone meeting."))
    _refuse_claim(call=_current_call(booking=booking), booking=booking, staff=staff)
    with transaction.atomic(durable=True):
        MeetingCall.objects.bulk_create([MeetingCall(booking=booking)], ignore_conflicts=True)
        won = MeetingCall.objects.filter(
            booking=booking, claimed_by__isnull=True, finished_at__isnull=True
        ).update(claimed_by=staff, claimed_at=clock.now())
    if not won:
        _refuse_claim(call=_current_call(booking=booking), booking=booking, staff=staff)
        raise CallTaken
    return MeetingCall.objects.get(booking=booking)


def _refuse_claim(*, call: MeetingCall | None, booking: Booking, staff: User) -> None:
    if call is not None and call.finished_at is not None:
        raise MeetingNotChanged(_("This telephone meeting is already done."))
    if booking.status != Booking.Status.BOOKED:
        raise MeetingNotChanged(_("This telephone meeting is already over."))
    if call is None or call.claimed_by_id is None:
        return
    if call.claimed_by_id == staff.pk:
        raise MeetingNotChanged(_("You have already taken this call."))
    raise CallTaken


def release_meeting(*, booking: Booking, staff: User) -> MeetingCall:
    """Give the call back before it started: it is free for anyone again."""
    with transaction.atomic(durable=True):
        released = MeetingCall.objects.filter(
            booking=booking, claimed_by=staff, started_at__isnull=True, finished_at__isnull=True
        ).update(claimed_by=None, claimed_at=None)
    if not released:
        _explain(booking=booking, staff=staff, action="release")
    return MeetingCall.objects.get(booking=booking)


def start_meeting_call(*, booking: Booking, staff: User) -> MeetingCall:
    """The staff member who took the call is calling the citizen now."""
    with transaction.atomic(durable=True):
        started = MeetingCall.objects.filter(
            booking=booking, claimed_by=staff, started_at__isnull=True, finished_at__isnull=True
        ).update(started_at=clock.now())
    if not started:
        _explain(booking=booking, staff=staff, action="start")
    return MeetingCall.objects.get(booking=booking)


def finish_meeting_call(*, booking: Booking, staff: User, outcome: str) -> MeetingCall:
    """End the call taken by `staff` with `outcome`. Reached: the citizen
    was helped, and the booking counts as served. No answer: see
    record_no_answer."""
    if outcome == MeetingCall.Outcome.NO_ANSWER:
        return record_no_answer(booking=booking, staff=staff)
    if outcome != MeetingCall.Outcome.REACHED:
        raise MeetingRefused(_("Choose how the call ended."))
    with transaction.atomic(durable=True):
        finished = MeetingCall.objects.filter(
            booking=booking, claimed_by=staff, finished_at__isnull=True
        ).update(
            finished_at=clock.now(),
            outcome=MeetingCall.Outcome.REACHED,
            # Ended without pressing "call started": the call began when taken.
            started_at=Coalesce(F("started_at"), F("claimed_at")),
        )
        if finished:
            Booking.objects.filter(pk=booking.pk, status=Booking.Status.BOOKED).update(
                status=Booking.Status.SERVED
            )
    if not finished:
        _explain(booking=booking, staff=staff, action="finish")
    return MeetingCall.objects.get(booking=booking)


def record_no_answer(*, booking: Booking, staff: User, attempt: int | None = None) -> MeetingCall:
    """The citizen did not answer the call taken by `staff`.

    The first time, the call is given back and a second attempt is due
    RETRY_AFTER later. The second time, the meeting is over: the booking
    becomes a no-show and the "we tried to call you" message is queued in
    the same transaction. `attempt` is the attempt the staff member saw
    (1 or 2); a click from an older page changes nothing. Refused before
    the meeting's time, and the second time before the retry is due."""
    call = _current_call(booking=booking)
    if call is None or call.claimed_by_id != staff.pk or call.finished_at is not None:
        _explain(booking=booking, staff=staff, action="no_answer")
    if attempt is not None and attempt != call.attempts + 1:
        raise MeetingNotChanged(_("This unanswered call is already noted."))
    now = clock.now()
    # A citizen is only missed once their time has come: calling early is
    # a courtesy, not an attempt. The second attempt counts from the time
    # the first one set.
    due = booking.start if call.attempts == 0 else (call.retry_at or booking.start)
    if now < due:
        raise MeetingRefused(
            _("No answer can be noted from %(time)s, the time of this attempt. Try again then.")
            % {"time": _local_time(due)}
        )
    with transaction.atomic(durable=True):
        mine = MeetingCall.objects.filter(
            pk=call.pk, claimed_by=staff, finished_at__isnull=True, attempts=call.attempts
        )
        if call.attempts == 0:
            noted = mine.update(
                attempts=1,
                claimed_by=None,
                claimed_at=None,
                started_at=None,
                retry_at=now + RETRY_AFTER,
            )
        else:
            noted = mine.update(
                attempts=2,
                finished_at=now,
                outcome=MeetingCall.Outcome.NO_ANSWER,
                started_at=Coalesce(F("started_at"), F("claimed_at")),
            )
            if noted:
                _end_as_no_show(booking_id=booking.pk)
    if not noted:
        _explain(booking=booking, staff=staff, action="no_answer")
    return MeetingCall.objects.get(pk=call.pk)


def _end_as_no_show(*, booking_id: int) -> None:
    """The booking counts as a no-show, and the citizen is told we tried.
    The caller holds the transaction that ended the call. A booking
    cancelled meanwhile keeps its status, and its cancellation said enough."""
    ended = Booking.objects.filter(pk=booking_id, status=Booking.Status.BOOKED).update(
        status=Booking.Status.NO_SHOW
    )
    if ended:
        booking = Booking.objects.select_related("service").get(pk=booking_id)
        queue_booking_messages(booking=booking, kind=Message.Kind.TRIED_TO_CALL)


def _explain(*, booking: Booking, staff: User, action: str) -> NoReturn:
    """Why an action on a call taken by `staff` changed nothing: the
    conditional update found the call in another state. Read it again and
    say which."""
    call = _current_call(booking=booking)
    if call is not None and call.finished_at is not None:
        raise MeetingNotChanged(_("This telephone meeting is already done."))
    if call is None or call.claimed_by_id is None:
        if action == "no_answer" and call is not None and call.retry_at is not None:
            raise MeetingNotChanged(
                _("The unanswered call is noted. Second attempt at %(time)s.")
                % {"time": _local_time(call.retry_at)}
            )
        if action == "release":
            raise MeetingNotChanged(_("Nobody has this call: there is nothing to give back."))
        raise MeetingRefused(_("Take the call first."))
    if call.claimed_by_id != staff.pk:
        raise CallTaken
    if action == "start" and call.started_at is not None:
        raise MeetingNotChanged(_("The call has already started."))
    if action == "release" and call.started_at is not None:
        raise MeetingRefused(_("The call has started: note whether the citizen answered."))
    raise MeetingRefused(_("The telephone meeting changed meanwhile. Please try again."))
