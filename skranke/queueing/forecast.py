"""Expected waits, from the queue as it stands and the policy that will call
it (policy.expected_wait). What a citizen is told at the kiosk and what the
waiting room sees come from here; the simulation test measures the error."""

import math
import sys
from datetime import datetime, timedelta

from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.models import Location, Service
from skranke.core.schedule import read_schedule, shifts_on
from skranke.queueing import policy
from skranke.queueing.calling import waiting_visits
from skranke.queueing.models import DeskState, Visit

# Booked citizens who have not checked in yet are expected this long before
# their time: they will be there, and be called first.
EXPECTED_EARLY = timedelta(minutes=5)
# The visit asked about before it exists (a ticket not yet taken). Larger
# than any real visit's number, so that among citizens who arrived at the
# same instant it is called last, as a ticket taken now would be.
NEW_VISIT = sys.maxsize


def open_desks(*, location: Location, now: datetime) -> list[policy.Desk]:
    """The desks that will call today from `now` on: each with the services of
    its current (or next) shift and when it is free, after the citizen it
    has now and before its shift begins. Paused desks call no one."""
    local = now.astimezone(clock.LOCAL_ZONE)
    day = local.date()
    schedule = read_schedule(location=location, since=day)
    paused = set(
        DeskState.objects.filter(desk__location=location, paused=True).values_list(
            "desk_id", flat=True
        )
    )
    busy_until: dict[int, datetime] = {}
    current = Visit.objects.filter(
        location=location, day=day, status__in=[Visit.Status.CALLED, Visit.Status.IN_SERVICE]
    ).select_related("service")
    for visit in current:
        began = visit.started_at or visit.called_at or now
        if visit.desk_id is not None:
            busy_until[visit.desk_id] = began + timedelta(minutes=visit.service.duration_minutes)
    desks: list[tuple[int, policy.Desk]] = []
    for shift in sorted(shifts_on(schedule.shifts, day=day), key=lambda s: s.starts):
        if shift.desk in paused or shift.ends <= local.time():
            continue
        if any(shift.desk == desk_id for desk_id, _ in desks):
            continue  # its current shift is already counted
        starts = datetime.combine(day, shift.starts, tzinfo=clock.LOCAL_ZONE)
        free_at = max(now, starts, busy_until.get(shift.desk, now))
        desks.append((shift.desk, policy.Desk(handles=shift.services, free_at=free_at)))
    return [desk for _, desk in desks]


def expected_queue(*, location: Location, now: datetime) -> list[policy.Waiting]:
    """Who is waiting, and the booked citizens still expected today."""
    day = now.astimezone(clock.LOCAL_ZONE).date()
    waiting = waiting_visits(location_id=location.pk, day=day)
    grace = timedelta(minutes=location.municipality.checkin_grace_minutes)
    expected = Booking.objects.filter(
        Booking.starting_on(day),
        location=location,
        status=Booking.Status.BOOKED,
        start__gte=now - grace,
        service__kind=Service.Kind.IN_PERSON,
    ).select_related("service")
    for booking in expected:
        waiting.append(
            policy.Waiting(
                visit=-booking.pk,
                service=booking.service_id,
                arrived_at=max(now, booking.start - EXPECTED_EARLY),
                minutes=booking.service.duration_minutes,
                due_at=booking.start,
            )
        )
    return waiting


def in_minutes(wait: timedelta | None) -> int | None:
    return None if wait is None else math.ceil(wait.total_seconds() / 60 - 0.5)


def wait_for_visit(*, visit: Visit) -> int | None:
    """Minutes until `visit` is called, or None when no desk will call it."""
    return waits_for_visits(location=visit.location, visit_ids=[visit.pk])[visit.pk]


def tell_expected_wait(*, visit: Visit) -> int | None:
    """Minutes until `visit` is called, as the kiosk tells the citizen. The
    first figure told is kept on the visit, so the statistics can set it
    against the wait that followed."""
    wait = wait_for_visit(visit=visit)
    if wait is not None and visit.expected_wait_minutes is None:
        Visit.objects.filter(
            pk=visit.pk, status=Visit.Status.WAITING, expected_wait_minutes__isnull=True
        ).update(expected_wait_minutes=min(wait, 32_767))
        visit.expected_wait_minutes = wait
    return wait


def waits_for_visits(*, location: Location, visit_ids: list[int]) -> dict[int, int | None]:
    """Minutes until each of the visits at `location` is called (None: no
    desk will call it), from one reading of the queue."""
    now = clock.now()
    desks = open_desks(location=location, now=now)
    waiting = expected_queue(location=location, now=now)
    return {
        visit_id: in_minutes(
            policy.expected_wait(visit=visit_id, now=now, desks=desks, waiting=waiting)
        )
        for visit_id in visit_ids
    }


def wait_for_walk_in(*, location: Location, services: list[Service]) -> int | None:
    """Minutes a citizen taking a ticket now for each of `services` would
    wait: the longest of them, for the waiting room's one figure."""
    return waits_for_walk_ins(location=location, groups={"": services})[""]


def waits_for_walk_ins(
    *, location: Location, groups: dict[str, list[Service]]
) -> dict[str, int | None]:
    """wait_for_walk_in for each group of services (the overview's queues,
    by letter), from one reading of the desks and the queue."""
    now = clock.now()
    desks = open_desks(location=location, now=now)
    queue = expected_queue(location=location, now=now)

    def longest(services: list[Service]) -> int | None:
        waits = [
            policy.expected_wait(
                visit=NEW_VISIT,
                now=now,
                desks=desks,
                waiting=[
                    *queue,
                    policy.Waiting(
                        visit=NEW_VISIT,
                        service=service.pk,
                        arrived_at=now,
                        minutes=service.duration_minutes,
                    ),
                ],
            )
            for service in services
        ]
        known = [wait for wait in waits if wait is not None]
        return in_minutes(max(known)) if known else None

    return {key: longest(services) for key, services in groups.items()}


def desk_is_free(*, location: Location, service: Service, now: datetime) -> bool:
    """Whether a desk handling `service` is open at `now` with no one to
    call: an early citizen may then be seen at once."""
    waiting = waiting_visits(location_id=location.pk, day=now.astimezone(clock.LOCAL_ZONE).date())
    return any(
        service.pk in desk.handles
        and desk.free_at <= now
        and policy.next_visit(handles=desk.handles, now=now, waiting=waiting) is None
        for desk in open_desks(location=location, now=now)
    )
