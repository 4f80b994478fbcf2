"""A synthetic day at the centre, run through the real functions with a
moving clock: bookings (checked in at the kiosk, some early, some late,
some never), walk-ins taking tickets, two desks calling, serving for a
time drawn around each errand's minutes, and the worker's no-show job.

It measures what the queue promises: booked citizens called at their time,
and how far the expected wait told to a walk-in was from the wait they had.
Run with -s to see the figures."""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest

from skranke.accounts.models import Role, User
from skranke.booking.availability import Policy, find_slots
from skranke.booking.booking import book_appointment
from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.errors import DomainError
from skranke.core.models import Desk, Location, Service
from skranke.queueing.calling import call_next
from skranke.queueing.checkin import check_in_booking, issue_walk_in_ticket
from skranke.queueing.closing import mark_no_shows
from skranke.queueing.errors import CheckInRefused
from skranke.queueing.forecast import wait_for_visit
from skranke.queueing.models import Visit
from skranke.queueing.serving import finish_visit, start_visit
from tests.centre import at, citizen

TICK = timedelta(seconds=30)
DAYS = range(7, 12)  # Monday 7 to Friday 11 December 2026
BOOKINGS = 20
WALK_IN_EVERY_MINUTES = 18


@dataclass
class Log:
    """What happened, for the figures."""

    calls: list[int] = field(default_factory=list)  # visit ids, in call order
    promised: dict[int, int] = field(default_factory=dict)  # walk-in visit → minutes told
    ends: dict[int, datetime] = field(default_factory=dict)  # desk → when its visit ends


def book_the_day(
    centre: Location, services: list[Service], chance: random.Random, day: int
) -> list[Booking]:
    clock.set_now(at(day, 8, 0))
    policy = Policy.for_staff(centre)
    bookings: list[Booking] = []
    attempts = 0
    while len(bookings) < BOOKINGS and attempts < 200:
        attempts += 1
        service = chance.choice(services)
        slots = find_slots(
            location=centre,
            service=service,
            first_day=at(day, 0).date(),
            last_day=at(day, 0).date(),
            policy=policy,
        )
        slots = [slot for slot in slots if slot.start < at(day, 14, 30)]
        if not slots:
            continue
        try:
            bookings.append(
                book_appointment(
                    location=centre,
                    service=service,
                    start=chance.choice(slots).start,
                    citizen=citizen(day * 100 + len(bookings)),
                    channel=Booking.Channel.WEB,
                    policy=policy,
                )
            )
        except DomainError:
            continue
    return bookings


def arrivals(
    bookings: list[Booking], chance: random.Random, day: int
) -> list[tuple[datetime, object]]:
    """When each citizen arrives: booked ones mostly a little early, a few
    late, one in twenty never; walk-ins at random through the day."""
    events: list[tuple[datetime, object]] = []
    for booking in bookings:
        draw = chance.random()
        if draw < 0.05:
            continue  # never comes
        offset = chance.uniform(-14, 0) if draw < 0.9 else chance.uniform(0, 15)
        events.append((booking.start + timedelta(minutes=offset), booking))
    moment = at(day, 10, 0) + timedelta(minutes=chance.expovariate(1 / WALK_IN_EVERY_MINUTES))
    while moment < at(day, 14, 30):
        events.append((moment, "walk-in"))
        moment += timedelta(minutes=chance.expovariate(1 / WALK_IN_EVERY_MINUTES))
    return sorted(events, key=lambda event: event[0])


def service_minutes(service: Service, chance: random.Random) -> float:
    return max(
        0.3 * service.duration_minutes,
        chance.gauss(service.duration_minutes, 0.25 * service.duration_minutes),
    )


def run_day(
    centre: Location, card: Service, staff: User, chance: random.Random, day: int, log: Log
) -> int:
    """One day from 09:45 to 16:00; how many bookings it had."""
    passport = Service.objects.get(slug="pas")
    bookings = book_the_day(centre, [passport, passport, card], chance, day)
    events = arrivals(bookings, chance, day)
    desks = list(Desk.objects.filter(location=centre))
    clock.set_now(at(day, 9, 45))
    while clock.now() < at(day, 16, 0):
        now = clock.now()
        while events and events[0][0] <= now:
            _, who = events.pop(0)
            if isinstance(who, Booking):
                try:
                    check_in_booking(location=centre, code=who.code)
                except CheckInRefused as refused:
                    if refused.code == "too_early" and refused.come_back_at:
                        events.append((refused.come_back_at, who))
                        events.sort(key=lambda event: event[0])
                    elif refused.code == "too_late":
                        ticket = issue_walk_in_ticket(
                            location=centre, service=who.service, late_booking=who
                        )
                        log.promised[ticket.pk] = wait_for_visit(visit=ticket) or 0
            else:
                ticket = issue_walk_in_ticket(location=centre, service=card)
                promised = wait_for_visit(visit=ticket)
                assert promised is not None
                log.promised[ticket.pk] = promised
        mark_no_shows()
        for desk in desks:
            current = Visit.objects.filter(
                desk=desk, status__in=[Visit.Status.CALLED, Visit.Status.IN_SERVICE]
            ).first()
            if current is not None and log.ends[desk.pk] <= now:
                finish_visit(visit_id=current.pk, desk=desk, outcome=Visit.Outcome.SERVED)
                current = None
            if current is None:
                called = call_next(desk=desk, staff=staff)
                if called is not None:
                    log.calls.append(called.pk)
                    start_visit(visit_id=called.pk, desk=desk)
                    minutes = service_minutes(called.service, chance)
                    log.ends[desk.pk] = now + timedelta(minutes=minutes)
        clock.advance(TICK)
    return len(bookings)


@pytest.mark.django_db
def test_a_simulated_week_calls_booked_citizens_on_time_and_forecasts_walk_ins(
    centre: Location, card: Service
) -> None:
    card.walk_in_allowed = True
    card.save()
    chance = random.Random(2026)
    staff = User.objects.create_user("s", municipality=centre.municipality, role=Role.FRONT_DESK)
    log = Log()
    bookings = sum(run_day(centre, card, staff, chance, day, log) for day in DAYS)

    # Nobody called twice; nobody who came left waiting.
    assert len(log.calls) == len(set(log.calls))
    assert not Visit.objects.exclude(pk__in=log.calls).exists()

    # On time: called by their booked time (to the simulation's tick), of
    # those who had checked in by then.
    booked = [
        (visit.called_at, visit.booking.start)
        for visit in Visit.objects.filter(booking__isnull=False).select_related("booking")
        if visit.booking is not None
        and visit.booking.status == Booking.Status.SERVED
        and visit.arrived_at <= visit.booking.start
        and visit.called_at is not None
    ]
    on_time = [called for called, due in booked if called <= due + TICK]
    within_five = [called for called, due in booked if called <= due + timedelta(minutes=5)]
    errors = []
    waits = []
    for visit in Visit.objects.filter(pk__in=log.promised):
        assert visit.called_at is not None
        waited = (visit.called_at - visit.arrived_at).total_seconds() / 60
        waits.append(waited)
        errors.append(abs(waited - log.promised[visit.pk]))
    on_time_share = len(on_time) / len(booked)
    within_five_share = len(within_five) / len(booked)
    mean_error = sum(errors) / len(errors)
    mean_wait = sum(waits) / len(waits)
    print(
        f"\nSimulated week: {bookings} bookings, {len(booked)} checked in by their time, "
        f"{len(errors)} walk-ins; booked citizens called on time: {on_time_share:.0%}, "
        f"within 5 minutes: {within_five_share:.0%}; "
        f"walk-in wait estimate mean absolute error: {mean_error:.1f} min "
        f"(mean walk-in wait {mean_wait:.1f} min)"
    )
    assert len(booked) >= bookings * 0.6
    assert len(errors) >= 40
    # Service times vary (±25 %), so a booked citizen is sometimes called a
    # little late; rarely much later.
    assert on_time_share >= 0.7
    assert within_five_share >= 0.85
    assert mean_error <= 8
