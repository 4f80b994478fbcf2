"""How a location's day stands now: the queues, the desks, the day so far
against its plan, the telephone meetings; and how the system stands.

Every figure comes from the function the rest of Skranke answers the
same question with, so the overview says what the desk, the kiosk and
the statistics would say at the same instant: the expected wait is the
kiosk's (queueing.forecast), a visit run long is the desk's warning
(serving.is_overrun), the day's visits, no-shows and on-time share are
the statistics' (stats.visits, stats.bookings) for today so far.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q

from skranke.accounts.models import User
from skranke.booking.models import Booking
from skranke.challenge.alerts import current_attack
from skranke.challenge.models import AttackAlert
from skranke.core import clock
from skranke.core.models import Desk, Location, Service
from skranke.core.opening_hours import is_open_at
from skranke.core.schedule import read_schedule, shifts_on
from skranke.inquiries.mailbox_reading import failing_mailboxes
from skranke.inquiries.models import Mailbox
from skranke.notifications.models import Message
from skranke.phone_meetings.worklist import State, read_meetings, todays_meetings_at
from skranke.queueing.checkin import walk_in_services
from skranke.queueing.forecast import waits_for_walk_ins
from skranke.queueing.models import DeskState, Visit, WalkInStop
from skranke.queueing.serving import AT_DESK, is_overrun
from skranke.rate_limits.text_messages import texts_held
from skranke.stats.bookings import measure_bookings, read_bookings
from skranke.stats.visits import WALK_IN, WITHOUT_BOOKING, measure_visits, read_visits
from skranke.worker.heartbeat import is_silent, last_heartbeat

# A message that failed this long ago or less still needs someone to act
# (a reminder that never went out yesterday evening); older ones are on
# the messages page.
FAILED_SINCE = timedelta(days=2)
ENDED_BY_STAFF = (
    Visit.Outcome.SERVED,
    Visit.Outcome.ASSISTED_SELF_SERVICE,
    Visit.Outcome.TRANSFERRED,
)


class DeskStatus:
    do_not_call_in_templates = True

    SERVING = "serving"
    IDLE = "idle"  # open, nobody at it
    PAUSED = "paused"
    CLOSED = "closed"  # nobody has opened it today


@dataclass(frozen=True)
class QueueNow:
    """The citizens waiting for the services of one ticket letter."""

    letter: str
    services: str  # their names, for the manager
    waiting: int
    longest_wait_minutes: int | None
    expected_wait_minutes: int | None  # for a walk-in taking a ticket now; None: closed or none
    takes_walk_ins: bool  # the queue has services a citizen may come for without a booking
    walk_ins_stopped_at: datetime | None  # by a manager, for the rest of today


@dataclass(frozen=True)
class DeskNow:
    pk: int
    name: str
    status: str  # DeskStatus
    staff: str  # who is at it, if anyone
    service: str  # the errand being served
    minutes: int | None  # with the citizen so far
    overrun: bool  # open far longer than its service's minutes: a forgotten "Afslut"?


@dataclass(frozen=True)
class DaySoFar:
    visits: int
    ended: int  # served, helped to do it online or transferred
    walk_ins: int  # visits without a booking
    no_shows: int
    bookings_to_come: int
    on_time_share: float | None  # of booked citizens who came in time, started within the mark
    desks_planned: int  # by the shifts, now
    desks_staffed: int  # open now (serving or idle)

    @property
    def on_time_percent(self) -> float | None:
        return None if self.on_time_share is None else 100 * self.on_time_share


@dataclass(frozen=True)
class MeetingsNow:
    due_now: int  # unclaimed, their time within minutes
    overdue: int
    done: int


@dataclass(frozen=True)
class LocationNow:
    location: Location
    at: datetime
    open_now: bool
    queues: list[QueueNow]
    booked_waiting: int  # checked in, not yet called
    booked_late: int  # past their time, not come yet
    desks: list[DeskNow]
    day: DaySoFar
    meetings: MeetingsNow

    @property
    def waiting(self) -> int:
        return sum(queue.waiting for queue in self.queues)

    @property
    def overruns(self) -> int:
        return sum(desk.overrun for desk in self.desks)


@dataclass(frozen=True)
class SystemNow:
    failed_messages: int  # at the locations watched, within FAILED_SINCE
    texts_held: bool  # by the hour's budget of text messages
    last_heartbeat: datetime | None
    worker_silent: bool
    attack: AttackAlert | None
    # Shared mailboxes that could not be read: citizens' mail waits there.
    failing_mailboxes: list[Mailbox]

    @property
    def fine(self) -> bool:
        return not (
            self.failed_messages
            or self.texts_held
            or self.worker_silent
            or self.attack
            or self.failing_mailboxes
        )


def read_location_now(*, location: Location) -> LocationNow:
    """The location's day as it stands."""
    now = clock.now()
    today = clock.today()
    open_now = is_open_at(location=location, moment=now)
    waiting = list(
        Visit.objects.filter(location=location, day=today, status=Visit.Status.WAITING)
        .select_related("booking")
        .order_by("arrived_at")
    )
    return LocationNow(
        location=location,
        at=now,
        open_now=open_now,
        queues=_queues(location=location, waiting=waiting, now=now, open_now=open_now),
        booked_waiting=sum(visit.booking_id is not None for visit in waiting),
        booked_late=Booking.objects.filter(
            Booking.starting_on(today),
            location=location,
            status=Booking.Status.BOOKED,
            start__lt=now,
            service__kind=Service.Kind.IN_PERSON,
        ).count(),
        desks=(desks := _desks(location=location, now=now)),
        day=_day_so_far(location=location, now=now, desks=desks),
        meetings=_meetings(location=location),
    )


def read_system_now(*, locations: list[Location]) -> SystemNow:
    last = last_heartbeat()
    return SystemNow(
        failed_messages=count_failed_messages(locations=locations),
        texts_held=texts_held(),
        last_heartbeat=last,
        worker_silent=is_silent(last=last),
        attack=current_attack(),
        failing_mailboxes=failing_mailboxes(
            municipality_ids={location.municipality_id for location in locations}
        ),
    )


def count_failed_messages(*, locations: list[Location]) -> int:
    """Messages to citizens of `locations` given up within FAILED_SINCE."""
    return Message.objects.filter(
        Q(booking__location__in=locations) | Q(visit__location__in=locations),
        status=Message.Status.DEAD,
        created_at__gte=clock.now() - FAILED_SINCE,
    ).count()


def _queues(
    *, location: Location, waiting: list[Visit], now: datetime, open_now: bool
) -> list[QueueNow]:
    services = list(
        Service.objects.filter(locations=location, kind=Service.Kind.IN_PERSON, active=True)
        .exclude(ticket_letter="")
        .order_by("ticket_letter", "position")
    )
    walk_ins = {service.pk for service in walk_in_services(location=location)}
    stops = {
        stop.ticket_letter: stop.stopped_at
        for stop in WalkInStop.objects.filter(location=location, day=clock.today())
    }
    by_letter: dict[str, list[Service]] = defaultdict(list)
    for service in services:
        by_letter[service.ticket_letter].append(service)
    waiting_by_letter: dict[str, list[Visit]] = defaultdict(list)
    for visit in waiting:
        waiting_by_letter[visit.ticket_letter].append(visit)
        by_letter.setdefault(visit.ticket_letter, [])
    walk_in_by_letter = {
        letter: [service for service in letter_services if service.pk in walk_ins]
        for letter, letter_services in by_letter.items()
    }
    # The waits promised at the kiosk, for the queues that take walk-ins
    # now, from one reading of the desks and the queue.
    promised = {
        letter: walk_in
        for letter, walk_in in walk_in_by_letter.items()
        if open_now and walk_in and letter not in stops
    }
    expected = waits_for_walk_ins(location=location, groups=promised) if promised else {}
    queues = []
    for letter, letter_services in sorted(by_letter.items()):
        in_queue = waiting_by_letter[letter]
        walk_in = walk_in_by_letter[letter]
        queues.append(
            QueueNow(
                letter=letter,
                services=", ".join(str(service.name) for service in letter_services),
                waiting=len(in_queue),
                longest_wait_minutes=max(
                    (_waited_minutes(visit, now=now) for visit in in_queue), default=None
                ),
                expected_wait_minutes=expected.get(letter),
                takes_walk_ins=bool(walk_in),
                walk_ins_stopped_at=stops.get(letter),
            )
        )
    return queues


def wait_began(visit: Visit) -> datetime:
    """When the citizen's wait began: arrival, or for a booked citizen the
    later of arrival and the booked time, as the statistics count a booked
    wait (an early citizen is not kept waiting by being early)."""
    if visit.booking is not None and visit.booking.start > visit.arrived_at:
        return visit.booking.start
    return visit.arrived_at


def _waited_minutes(visit: Visit, *, now: datetime) -> int:
    return max(0, int((now - wait_began(visit)).total_seconds() // 60))


def _desks(*, location: Location, now: datetime) -> list[DeskNow]:
    today = now.astimezone(clock.LOCAL_ZONE).date()
    desks = list(Desk.objects.filter(location=location, kind=Desk.Kind.COUNTER).order_by("name"))
    states = {
        state.desk_id: state
        for state in DeskState.objects.filter(desk__in=desks).select_related("staff")
    }
    serving = {
        visit.desk_id: visit
        for visit in Visit.objects.filter(
            location=location, day=today, status__in=AT_DESK
        ).select_related("service", "staff")
    }
    found = []
    for desk in desks:
        visit = serving.get(desk.pk)
        state = states.get(desk.pk)
        opened_today = (
            state is not None and state.changed_at.astimezone(clock.LOCAL_ZONE).date() == today
        )
        if visit is not None:
            began = visit.started_at or visit.called_at or now
            found.append(
                DeskNow(
                    pk=desk.pk,
                    name=desk.name,
                    status=DeskStatus.SERVING,
                    staff=_name(visit.staff),
                    service=str(visit.service.name),
                    minutes=max(0, int((now - began).total_seconds() // 60)),
                    overrun=is_overrun(visit=visit, now=now),
                )
            )
            continue
        if state is not None and opened_today:
            status = DeskStatus.PAUSED if state.paused else DeskStatus.IDLE
            staff = _name(state.staff)
        else:
            status, staff = DeskStatus.CLOSED, ""
        found.append(
            DeskNow(
                pk=desk.pk,
                name=desk.name,
                status=status,
                staff=staff,
                service="",
                minutes=None,
                overrun=False,
            )
        )
    return found


def _name(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def _day_so_far(*, location: Location, now: datetime, desks: list[DeskNow]) -> DaySoFar:
    today = now.astimezone(clock.LOCAL_ZONE).date()
    tomorrow = today + timedelta(days=1)
    visits = measure_visits(
        read_visits(location_ids=[location.pk], first=today, end=tomorrow), with_promises=False
    )
    bookings = measure_bookings(
        read_bookings(location_ids=[location.pk], first=today, end=tomorrow),
        on_time_minutes=location.municipality.on_time_minutes,
    )
    counter_desks = {desk.pk for desk in desks}
    local = now.astimezone(clock.LOCAL_ZONE).time()
    planned = {
        shift.desk
        for shift in shifts_on(read_schedule(location=location, since=today).shifts, day=today)
        if shift.desk in counter_desks and shift.services and shift.starts <= local < shift.ends
    }
    return DaySoFar(
        visits=visits.visits,
        ended=sum(visits.by_outcome.get(outcome, 0) for outcome in ENDED_BY_STAFF),
        walk_ins=visits.by_kind[WALK_IN] + visits.by_kind[WITHOUT_BOOKING],
        no_shows=bookings.by_status[Booking.Status.NO_SHOW],
        bookings_to_come=Booking.objects.filter(
            Booking.starting_on(today),
            location=location,
            status=Booking.Status.BOOKED,
            start__gte=now,
            service__kind=Service.Kind.IN_PERSON,
        ).count(),
        on_time_share=bookings.on_time_share,
        desks_planned=len(planned),
        desks_staffed=sum(desk.status in (DeskStatus.SERVING, DeskStatus.IDLE) for desk in desks),
    )


def _meetings(*, location: Location) -> MeetingsNow:
    meetings = read_meetings(todays_meetings_at(locations=[location]))
    return MeetingsNow(
        due_now=sum(meeting.near_time and not meeting.overdue for meeting in meetings),
        overdue=sum(meeting.overdue for meeting in meetings),
        done=sum(meeting.state in (State.REACHED, State.NO_ANSWER) for meeting in meetings),
    )
