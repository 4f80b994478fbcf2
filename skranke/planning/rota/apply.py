"""Putting a reviewed rota into the schedule: dated desk shifts on the
rota's days, which replace the desks' weekly shifts those days, so the
times citizens can book change at once (core/schedule.py sees the new
version).

Each staff member gets a desk. Desks that hold bookings that day are
given staff first, choosing those whose working time covers the bookings;
the rest go to the first desk free for their whole shift. A desk is given
the services of its weekly shifts that weekday, or every in-person service
the location offers when it has none.

A desk that gets nobody on a day it normally works is marked off with a
dated shift from 00:00 to 00:01 that handles no service: a desk's dated
shifts replace its weekly ones only when there are some, and this one
lies outside any opening hours, so neither booking, the queue's
forecast nor the statistics' staffed hours count it.

Everything happens in one transaction. The shifts are written first; then
the bookings on the rota's days are checked by availability's own rule
(booking.availability.find_stranded_bookings: a booking needs a shift on
its desk that handles its service for its whole time). If any booking
would lose its desk, the transaction is rolled back, so nothing is
half-applied, and the refusal lists those bookings.

The day locks are the ones every booking takes (booking/locking.py). On
PostgreSQL they give up after the lock timeout, as does every row lock
after them in the transaction: when bookings hold the days that long, the
rota is refused like any other refusal (try again in a moment), never an
error page, and nothing is written.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import OperationalError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from skranke.accounts.models import User
from skranke.booking.availability import find_stranded_bookings
from skranke.booking.locking import is_lock_timeout, lock_days
from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.models import Desk, DeskShift, Location, Service
from skranke.core.opening_hours import days_of
from skranke.core.schedule import mark_schedule_changed, read_schedule
from skranke.planning.forecast import INTERVAL_MINUTES
from skranke.planning.rota.patterns import Pattern
from skranke.planning.rota.rota import Rota

Span = tuple[int, int]  # [start, end) in minutes from local midnight
OFF_MARKER_MINUTES = 1
logger = logging.getLogger("skranke.planning")


@dataclass(frozen=True)
class HeldBooking:
    """A booking a rota would strand: no personal data, only what staff
    need to find it."""

    code: str
    start: datetime  # local
    service: str


class RotaRefused(Exception):
    def __init__(self, message: str, bookings: list[HeldBooking] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.bookings = bookings or []


@dataclass(frozen=True)
class AppliedRota:
    days: list[date]
    shifts_written: int


@dataclass
class _Person:
    pattern: Pattern
    parts: list[Span]  # worked, clipped to the opening hours


def apply_rota(*, location: Location, rota: Rota, user: User) -> AppliedRota:
    """Write the rota's days as dated desk shifts at `location`'s counter
    desks, or change nothing and raise RotaRefused. Takes the location's
    capacity lock for each of the rota's days (booking/locking.py), so no
    booking is made on them while the check and the write happen; refused
    when the locks are not had within the lock timeout."""
    days = sorted(day.day for day in rota.days)
    if not days:
        raise RotaRefused(_("The rota has no days."))
    today = clock.today()
    if days[0] <= today:
        raise RotaRefused(_("A rota can only be applied to days after today."))
    desks = list(
        Desk.objects.filter(location=location, kind=Desk.Kind.COUNTER, active=True).order_by("name")
    )
    if not desks:
        raise RotaRefused(_("The place has no desks to put the rota on."))
    try:
        written = _apply(location=location, rota=rota, desks=desks, days=days)
    except OperationalError as error:
        # Bookings (or a colleague's rota) held the days past the lock
        # timeout; the transaction was rolled back, so nothing is written.
        if is_lock_timeout(error):
            raise RotaRefused(
                _(
                    "The rota was not applied: times on those days are being booked or "
                    "changed right now. Nothing was changed; try again in a moment."
                )
            ) from error
        raise
    logger.info(
        "Rota applied at location %s for %s–%s by user %s", location.pk, days[0], days[-1], user.pk
    )
    return AppliedRota(days=days, shifts_written=written)


def _apply(*, location: Location, rota: Rota, desks: list[Desk], days: list[date]) -> int:
    """In one transaction under the days' locks: write the rota's shifts,
    or roll them back and raise RotaRefused when a booking would lose its
    desk. Past the lock timeout, OperationalError (is_lock_timeout)."""
    with transaction.atomic():
        lock_days(location=location, days=days)
        written = _write(location=location, rota=rota, desks=desks, days=days)
        mark_schedule_changed(location_ids=[location.pk])
        stranded = [
            booking
            for booking in find_stranded_bookings(location=location, now=clock.now())
            if booking.start.astimezone(clock.LOCAL_ZONE).date() in set(days)
        ]
        if stranded:
            held = [
                HeldBooking(
                    code=booking.code,
                    start=booking.start.astimezone(clock.LOCAL_ZONE),
                    service=booking.service.name,
                )
                for booking in stranded
            ]
            raise RotaRefused(
                ngettext(
                    "The rota was not applied: %(count)d booking would lose its desk.",
                    "The rota was not applied: %(count)d bookings would lose their desk.",
                    len(held),
                )
                % {"count": len(held)},
                held,
            )
    return written


def _write(*, location: Location, rota: Rota, desks: list[Desk], days: list[date]) -> int:
    schedule = read_schedule(location=location, since=days[0])
    opening = {
        hours.day: [(_minute(opens), _minute(closes)) for opens, closes in hours.intervals]
        for hours in days_of(schedule=schedule, first_day=days[0], last_day=days[-1])
    }
    weekly_services = _weekly_services(desks=desks)
    offered = list(
        Service.objects.filter(locations=location, kind=Service.Kind.IN_PERSON, active=True)
    )
    desk_ids = [desk.pk for desk in desks]
    DeskShift.objects.filter(desk_id__in=desk_ids, date__in=days).delete()
    written = 0
    for rota_day in rota.days:
        day = rota_day.day
        people = [
            _Person(shift.pattern, _clipped(shift.pattern, opening.get(day, [])))
            for shift in rota_day.shifts
            for _staff in range(shift.staff)
        ]
        people = [person for person in people if person.parts]
        seated = _seat(people=people, desks=desk_ids, bookings=_booked_spans(location, day))
        for desk in desks:
            handled = weekly_services.get((desk.pk, day.weekday()))
            spans = sorted(part for person in seated.get(desk.pk, []) for part in person.parts)
            if spans:
                for start, end in spans:
                    _create(desk, day, start, end, handled if handled is not None else offered)
                    written += 1
            elif handled is not None and opening.get(day):
                _create(desk, day, 0, OFF_MARKER_MINUTES, [])
    return written


def _create(desk: Desk, day: date, start: int, end: int, services: list[Service]) -> None:
    shift = DeskShift.objects.create(desk=desk, date=day, starts=_time(start), ends=_time(end))
    if services:
        shift.services.set(services)


def _weekly_services(*, desks: list[Desk]) -> dict[tuple[int, int], list[Service]]:
    """The services each desk handles on each weekday by its weekly shifts."""
    found: dict[tuple[int, int], dict[int, Service]] = defaultdict(dict)
    shifts = DeskShift.objects.filter(desk__in=desks, weekday__isnull=False).prefetch_related(
        "services"
    )
    for shift in shifts:
        assert shift.weekday is not None  # noqa: S101 (filtered above)
        for service in shift.services.all():
            found[(shift.desk_id, shift.weekday)][service.pk] = service
    return {key: list(services.values()) for key, services in found.items()}


def _booked_spans(location: Location, day: date) -> dict[int, list[Span]]:
    """Each desk's booked spans on `day`, the bookings that hold it."""
    spans: dict[int, list[Span]] = defaultdict(list)
    bookings = Booking.objects.filter(
        Booking.starting_on(day),
        location=location,
        status__in=Booking.OCCUPYING,
        desk__isnull=False,
    ).values_list("desk_id", "start", "end")
    for desk, start, end in bookings:
        local_start, local_end = (
            start.astimezone(clock.LOCAL_ZONE),
            end.astimezone(clock.LOCAL_ZONE),
        )
        end_minute = _minute(local_end.time()) if local_end.date() == day else 24 * 60
        spans[desk].append((_minute(local_start.time()), end_minute))
    return spans


def _seat(
    *, people: list[_Person], desks: list[int], bookings: dict[int, list[Span]]
) -> dict[int, list[_Person]]:
    """Who works at which desk. Desks with bookings first, most booked
    first: each takes, one at a time, the free person whose working time
    covers most of its still uncovered bookings. Then everyone left goes to
    the first desk free for all their working time, earliest start first."""
    seated: dict[int, list[_Person]] = defaultdict(list)
    free = list(people)
    for desk in sorted(bookings, key=lambda d: -len(bookings[d])):
        if desk not in desks:
            continue
        uncovered = list(bookings[desk])
        while uncovered:
            fits = [person for person in free if _fits(person, seated[desk])]
            best = max(
                fits,
                key=lambda person: (
                    sum(_covers(person.parts, span) for span in uncovered),
                    -person.pattern.length,
                ),
                default=None,
            )
            if best is None or not any(_covers(best.parts, span) for span in uncovered):
                break  # find_stranded_bookings names what is left
            seated[desk].append(best)
            free.remove(best)
            uncovered = [span for span in uncovered if not _covers(best.parts, span)]
    for person in sorted(free, key=lambda p: (p.parts[0][0], -p.pattern.length)):
        place = next((desk for desk in desks if _fits(person, seated[desk])), None)
        if place is None:
            raise RotaRefused(
                _("The rota needs more staff at once than the place has desks (%(desks)d).")
                % {"desks": len(desks)}
            )
        seated[place].append(person)
    return seated


def _fits(person: _Person, others: list[_Person]) -> bool:
    """Whether `person` can share a desk with `others`: no overlap in the
    time they are at it (one may cover another's break)."""
    return not any(
        start < other_end and other_start < end
        for start, end in person.parts
        for other in others
        for other_start, other_end in other.parts
    )


def _covers(parts: list[Span], span: Span) -> bool:
    return any(start <= span[0] and span[1] <= end for start, end in parts)


def _clipped(pattern: Pattern, opening: list[Span]) -> list[Span]:
    """The pattern's working parts inside the opening hours: a desk shift
    must lie within them, whatever else the staff member does before the
    doors open. Parts that touch are joined."""
    parts: list[Span] = []
    for first, last in pattern.parts:
        start, end = first * INTERVAL_MINUTES, last * INTERVAL_MINUTES
        for opens, closes in opening:
            clipped = (max(start, opens), min(end, closes))
            if clipped[0] < clipped[1]:
                parts.append(clipped)
    joined: list[Span] = []
    for start, end in sorted(parts):
        if joined and start <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(joined[-1][1], end))
        else:
            joined.append((start, end))
    return joined


def _minute(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def _time(minute: int) -> time:
    return time(minute // 60, minute % 60)
