"""The day's telephone meetings as the staff who call them see them: in
time order, each with its topic, number, the citizen's description and
where the call stands, and a flag on those nobody has taken although their
time is near or past."""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, QuerySet

from skranke.accounts.models import User
from skranke.accounts.scoping import visible_locations
from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.models import Location, Service
from skranke.notifications.models import Message
from skranke.phone_meetings.models import MeetingCall

# An unclaimed meeting this close to its time (or past it) is flagged, so
# that a colleague picks it up before the citizen waits by the phone.
NEAR_TIME = timedelta(minutes=10)


class State:
    """Where a meeting's call stands."""

    do_not_call_in_templates = True

    UNCLAIMED = "unclaimed"
    SECOND_ATTEMPT = "second_attempt"  # unanswered once, waiting to be taken again
    CLAIMED = "claimed"
    IN_CALL = "in_call"
    REACHED = "reached"
    NO_ANSWER = "no_answer"  # unanswered twice: over
    CLOSED = "closed"  # the booking was ended another way (in the admin)

    WAITING = frozenset({UNCLAIMED, SECOND_ATTEMPT})
    TAKEN = frozenset({CLAIMED, IN_CALL})


@dataclass(frozen=True)
class Meeting:
    booking: Booking
    call: MeetingCall | None
    state: str
    # When the next call is due: the booked time, or the second attempt's.
    due_at: datetime
    # Unclaimed, and due within NEAR_TIME or overdue.
    near_time: bool
    overdue: bool
    # The channel the "we tried to call you" message went by, if any.
    told_by: str
    # From when "no answer" may be noted for the attempt under way: the
    # meeting's time, or for the second attempt the time the first set.
    no_answer_from: datetime
    no_answer_possible: bool

    @property
    def attempt(self) -> int:
        """The attempt the next "no answer" would record (1 or 2)."""
        return (self.call.attempts if self.call else 0) + 1

    @property
    def claimed_by(self) -> User | None:
        return self.call.claimed_by if self.call else None

    @property
    def phone_display(self) -> str:
        """The number grouped for reading aloud (+45 20 12 34 56)."""
        return self.booking.phone_display


def todays_meetings_for(*, staff: User) -> QuerySet[Booking]:
    """Today's telephone meetings at the locations `staff` works at, not
    cancelled: what the worklist shows and what its buttons may act on."""
    return todays_meetings_at(locations=visible_locations(user=staff))


def todays_meetings_at(*, locations: QuerySet[Location] | list[Location]) -> QuerySet[Booking]:
    """Today's telephone meetings at `locations`, not cancelled."""
    return (
        Booking.objects.filter(
            Booking.starting_on(clock.today()),
            location__in=locations,
            service__kind=Service.Kind.PHONE,
        )
        .exclude(status=Booking.Status.CANCELLED)
        .select_related("service", "location")
    )


def read_worklist(*, staff: User) -> list[Meeting]:
    """The worklist of `staff`, in the booked times' order."""
    return read_meetings(todays_meetings_for(staff=staff))


def read_meetings(bookings: QuerySet[Booking]) -> list[Meeting]:
    """The meetings of `bookings` (todays_meetings_at), in the booked
    times' order, with where each call stands."""
    tried = Message.objects.filter(booking=OuterRef("pk"), kind=Message.Kind.TRIED_TO_CALL)
    annotated = (
        bookings.select_related("meeting_call__claimed_by")
        .annotate(
            told_by_sms=Exists(tried.filter(channel=Message.Channel.SMS)),
            told_by_email=Exists(tried.filter(channel=Message.Channel.EMAIL)),
        )
        .order_by("start", "pk")
    )
    now = clock.now()
    return [_meeting(booking, now=now) for booking in annotated]


def _meeting(booking: Booking, *, now: datetime) -> Meeting:
    call = _call_of(booking)
    state = state_of(booking=booking, call=call)
    due_at = call.retry_at if call and call.retry_at and state in State.WAITING else booking.start
    waiting = state in State.WAITING
    told_by = ""
    if getattr(booking, "told_by_sms", False):
        told_by = Message.Channel.SMS
    elif getattr(booking, "told_by_email", False):
        told_by = Message.Channel.EMAIL
    no_answer_from = (call.retry_at if call and call.attempts and call.retry_at else None) or (
        booking.start
    )
    return Meeting(
        booking=booking,
        call=call,
        state=state,
        due_at=due_at,
        near_time=waiting and due_at - now <= NEAR_TIME,
        overdue=waiting and due_at <= now,
        told_by=told_by,
        no_answer_from=no_answer_from,
        no_answer_possible=now >= no_answer_from,
    )


def _call_of(booking: Booking) -> MeetingCall | None:
    # A booking without a call raises RelatedObjectDoesNotExist, which is
    # an AttributeError as well, so getattr's default answers it.
    call: MeetingCall | None = getattr(booking, "meeting_call", None)
    return call


def state_of(*, booking: Booking, call: MeetingCall | None) -> str:
    if call is not None and call.finished_at is not None:
        return State.REACHED if call.outcome == MeetingCall.Outcome.REACHED else State.NO_ANSWER
    if booking.status != Booking.Status.BOOKED:
        return State.CLOSED
    if call is None or call.claimed_by_id is None:
        return State.SECOND_ATTEMPT if call is not None and call.attempts else State.UNCLAIMED
    return State.IN_CALL if call.started_at is not None else State.CLAIMED


def worklist_version(meetings: list[Meeting]) -> str:
    """A short fingerprint of what the worklist shows. The page asks with
    it every few seconds and is left alone (keeping the focus where it is)
    while nothing changed."""
    shown = [
        (
            meeting.booking.pk,
            meeting.state,
            meeting.claimed_by.pk if meeting.claimed_by else None,
            meeting.due_at.isoformat(),
            meeting.near_time,
            meeting.overdue,
            meeting.told_by,
        )
        for meeting in meetings
    ]
    return hashlib.sha256(repr(shown).encode()).hexdigest()[:16]
