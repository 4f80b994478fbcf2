"""The phone system's call events, as they happen: `offered` (the call
entered the queue), `answered` (an agent took it), `ended` (the call is
over) and `abandoned` (the caller hung up before an answer). Each fills in
its moment on the call's LiveCall; once the call is over its record is
written by record_calls, the one way call records are written, so the key
figures move at once.

The phone system retries what it is not sure we got, and events may
overtake each other. So:

- the first moment of each kind is kept: the same event again changes
  nothing, and is answered as a success;
- a call is recorded when it is over and complete: it has ended, its offer
  is known, and it was answered or abandoned. One that ended without an
  answer or an offer waits ANSWER_GRACE for the late event, then the
  worker records it as it stands (finish_overdue_calls): with no answer it
  was abandoned, as the calls API and the CSV import read such a call, and
  without an offer it was offered at its first known moment;
- once recorded, a call never changes (as with the calls API): a later
  event that agrees with it changes nothing; one that contradicts it, or
  contradicts the events before it (answered and abandoned, answered
  before offered), is refused (CallConflict), with what is wrong.
"""

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from skranke.contact_centre.call_records import CallRecord, InvalidCallRecord, record_calls
from skranke.contact_centre.models import Call, LiveCall
from skranke.core import clock
from skranke.core.errors import DomainError, InvalidInput
from skranke.core.models import Municipality
from skranke.database.deleting import delete_found

# How long a call that ended without its answer (or offer) waits for the
# late event before it is recorded as it stands: longer than a phone
# system's retries of a lost request take.
ANSWER_GRACE = timedelta(minutes=5)
# A live call's row goes this long after its last change, whether it ended
# or not: its record, if any, was written long since.
KEPT = timedelta(days=1)
# An event from further ahead than this is not the phone system's clock
# running a little fast; one from before KEPT would find its row gone.
CLOCKS_DIFFER = timedelta(minutes=5)
# The worker records this many overdue calls a round, at most.
BATCH = 100


class CallEvent(enum.StrEnum):
    OFFERED = "offered"
    ANSWERED = "answered"
    ENDED = "ended"
    ABANDONED = "abandoned"


class CallState(enum.StrEnum):
    WAITING = "waiting"  # offered, neither answered nor over
    ANSWERED = "answered"
    ENDED = "ended"  # over, waiting for a late event before it is recorded
    RECORDED = "recorded"  # its call record is written


class CallConflict(DomainError):
    """The event contradicts what the call's earlier events said."""

    code = "call_conflict"
    status = 409


@dataclass(frozen=True)
class ReceivedEvent:
    state: CallState
    changed: bool  # False: the call knew this already (the event came again)


# Which of a call's moments each event gives.
_MOMENT = {
    CallEvent.OFFERED: "offered_at",
    CallEvent.ANSWERED: "answered_at",
    CallEvent.ENDED: "ended_at",
    CallEvent.ABANDONED: "ended_at",
}


def receive_call_event(
    *,
    municipality: Municipality,
    call_id: str,
    event: CallEvent,
    at: datetime,
    queue: str = "",
    agent: str = "",
) -> ReceivedEvent:
    """Apply `event`, which happened `at`, to the municipality's call
    `call_id`, and record the call if it is now over. Idempotent: the same
    event again changes nothing. Raises InvalidInput for a time outside
    the last KEPT, CallConflict for an event that contradicts the call."""
    if at.utcoffset() is None:
        # The API reads only times with their offset; a naive one is a bug.
        raise ValueError("at must be an aware datetime")
    now = clock.now()
    if not now - KEPT <= at <= now + CLOCKS_DIFFER:
        raise InvalidInput(_("The event must have happened within the last day."), field="at")
    with transaction.atomic():
        live = _locked_live_call(municipality=municipality, call_id=call_id)
        if live is None:
            recorded = Call.objects.filter(municipality=municipality, call_id=call_id).first()
            if recorded is not None:
                # Recorded another way (the calls API, the CSV import), or
                # its live row has gone: it never changes.
                _check_unchanged(recorded, event=event, at=at)
                return ReceivedEvent(state=CallState.RECORDED, changed=False)
            live = _new_live_call(municipality=municipality, call_id=call_id, now=now)
        if live.recorded_at is not None:
            _check_unchanged(live, event=event, at=at)
            return ReceivedEvent(state=CallState.RECORDED, changed=False)
        changed = _apply(live, event=event, at=at, queue=queue, agent=agent)
        if changed:
            _as_record(live)  # raises CallConflict, and nothing is saved
            live.changed_at = now
            if _complete(live):
                record_calls(municipality=municipality, calls=[_as_record(live)])
                live.recorded_at = now
            live.save()
        return ReceivedEvent(state=_state(live), changed=changed)


def finish_overdue_calls(*, batch: int = BATCH) -> int:
    """The worker's job: record the calls that ended without their answer
    or offer and have waited ANSWER_GRACE for it; how many."""
    due = LiveCall.objects.filter(
        recorded_at__isnull=True,
        ended_at__isnull=False,
        changed_at__lte=clock.now() - ANSWER_GRACE,
    ).order_by("changed_at")
    done = 0
    for pk in list(due.values_list("pk", flat=True)[:batch]):
        with transaction.atomic():
            # Claimed with a conditional update: an event that came
            # meanwhile may have recorded the call, or changed it and so
            # restarted its wait.
            claimed = LiveCall.objects.filter(
                pk=pk, recorded_at__isnull=True, changed_at__lte=clock.now() - ANSWER_GRACE
            ).update(recorded_at=clock.now())
            if not claimed:
                continue
            live = LiveCall.objects.select_related("municipality").get(pk=pk)
            if live.answered_at is None:
                live.abandoned = True
                live.save(update_fields=["abandoned"])
            record_calls(municipality=live.municipality, calls=[_as_record(live)])
            done += 1
    return done


def forget_old_live_calls() -> int:
    """The worker's job: delete the live calls unchanged for KEPT, whether
    they ended or not (one that never did is not recorded: the night's
    import, if there is one, brings it); how many."""
    return delete_found(LiveCall.objects.filter(changed_at__lte=clock.now() - KEPT))


def _locked_live_call(*, municipality: Municipality, call_id: str) -> LiveCall | None:
    """The call's row, locked until the transaction ends, so that two
    events of one call at once are applied one after the other."""
    return (
        LiveCall.objects.select_for_update()
        .filter(municipality=municipality, call_id=call_id)
        .first()
    )


def _new_live_call(*, municipality: Municipality, call_id: str, now: datetime) -> LiveCall:
    """A new row for the call, or, if another event of it made one
    meanwhile, that one, locked. The caller holds a transaction."""
    try:
        # A savepoint, so that a refused insert leaves the transaction usable.
        with transaction.atomic():
            return LiveCall.objects.create(
                municipality=municipality, call_id=call_id, changed_at=now
            )
    except IntegrityError:
        # The other event's transaction has committed its row (the unique
        # constraint made the insert wait for it): apply this one after it.
        live = _locked_live_call(municipality=municipality, call_id=call_id)
        if live is None:  # deleted in between: a 500, and the phone system retries
            raise
        return live


def _apply(live: LiveCall, *, event: CallEvent, at: datetime, queue: str, agent: str) -> bool:
    """Fill in what the event tells and the call does not know yet; whether
    anything changed. Its moment, the queue and the agent are kept as the
    first event that gave them said."""
    before = _known(live)
    moment = _MOMENT[event]
    if getattr(live, moment) is None:
        setattr(live, moment, at)
    if event == CallEvent.ABANDONED:
        live.abandoned = True
    live.queue = live.queue or queue
    live.agent = live.agent or agent
    return _known(live) != before


def _known(live: LiveCall) -> tuple[object, ...]:
    return (
        live.offered_at,
        live.answered_at,
        live.ended_at,
        live.abandoned,
        live.queue,
        live.agent,
    )


def _check_unchanged(call: LiveCall | Call, *, event: CallEvent, at: datetime) -> None:
    """Refuse an event that contradicts the recorded call; one that does
    not changes nothing."""
    moments = {
        "offered_at": call.offered_at,
        "answered_at": call.answered_at,
        "ended_at": call.ended_at,
    }
    moments[_MOMENT[event]] = moments[_MOMENT[event]] or at
    _checked(
        call_id=call.call_id,
        offered_at=moments["offered_at"],
        answered_at=moments["answered_at"],
        ended_at=moments["ended_at"],
        abandoned=call.abandoned or event == CallEvent.ABANDONED,
    )


def _complete(live: LiveCall) -> bool:
    return (
        live.ended_at is not None
        and live.offered_at is not None
        and (live.answered_at is not None or live.abandoned)
    )


def _as_record(live: LiveCall) -> CallRecord:
    """The call's record as its events stand; CallConflict if they do not
    make a call."""
    return _checked(
        call_id=live.call_id,
        offered_at=live.offered_at,
        answered_at=live.answered_at,
        ended_at=live.ended_at,
        abandoned=live.abandoned,
        queue=live.queue,
        agent=live.agent,
    )


def _checked(
    *,
    call_id: str,
    offered_at: datetime | None,
    answered_at: datetime | None,
    ended_at: datetime | None,
    abandoned: bool,
    queue: str = "",
    agent: str = "",
) -> CallRecord:
    """A CallRecord, checked by the same rules as every call record. A call
    whose offer is not known yet is taken as offered at its first known
    moment."""
    known = [moment for moment in (offered_at, answered_at, ended_at) if moment is not None]
    try:
        return CallRecord(
            call_id=call_id,
            offered_at=offered_at or min(known),
            answered_at=answered_at,
            ended_at=ended_at,
            abandoned=abandoned,
            queue=queue,
            agent=agent,
        )
    except InvalidCallRecord as invalid:
        # Not one field's fault: the events disagree.
        raise CallConflict(invalid.message) from None


def _state(live: LiveCall) -> CallState:
    if live.recorded_at is not None:
        return CallState.RECORDED
    if live.ended_at is not None:
        return CallState.ENDED
    if live.answered_at is not None:
        return CallState.ANSWERED
    return CallState.WAITING
