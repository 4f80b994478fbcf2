"""Which times can be booked: the read side of booking.

A time is offered for a service at a location when some desk with a shift
that handles the service is free for the whole duration, inside the opening
hours, not on a closed day, inside the booking horizon and after the lead
time, and (for citizens booking themselves) not within the share of
capacity held back for citizens without a booking.

Everything is read in a fixed number of queries and computed in Python over
intervals, however long the period and however many bookings: the
location's schedule (opening hours, special days, shifts; one small query
while it is unchanged, see core/schedule.py) and the bookings.
"""

import itertools
import math
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db import connection

from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.models import Location, Service
from skranke.core.opening_hours import days_of
from skranke.core.schedule import Schedule, read_schedule, shifts_on
from skranke.database.sql import fetch_rows


@dataclass(frozen=True)
class Slot:
    start: datetime  # aware, UTC
    end: datetime
    desks: tuple[int, ...]  # free desks, the best fit first

    @property
    def capacity(self) -> int:
        return len(self.desks)

    @property
    def local_start(self) -> datetime:
        return self.start.astimezone(clock.LOCAL_ZONE)


@dataclass(frozen=True)
class Policy:
    """The rules a booking is made under: citizens online follow all of them;
    staff booking for a citizen may use held-back capacity and short notice."""

    lead: timedelta
    horizon_days: int
    respect_hold_back: bool
    # The moment the rules are applied at: None is the clock's now, read at
    # each check. A caller that works for a given day (the demo loader)
    # pins it, so that every check of lead time, horizon and what is still
    # to come uses that one moment and none reads the real clock instead.
    at: datetime | None = None

    @classmethod
    def for_citizens(cls, location: Location, *, at: datetime | None = None) -> "Policy":
        municipality = location.municipality
        return cls(
            lead=timedelta(minutes=municipality.booking_lead_minutes),
            horizon_days=municipality.booking_horizon_days,
            respect_hold_back=True,
            at=at,
        )

    @classmethod
    def for_staff(cls, location: Location, *, at: datetime | None = None) -> "Policy":
        return cls(
            lead=timedelta(0),
            horizon_days=location.municipality.booking_horizon_days,
            respect_hold_back=False,
            at=at,
        )

    def now(self) -> datetime:
        """The moment every check under this policy is made at (UTC)."""
        return clock.now() if self.at is None else self.at.astimezone(UTC)

    def today(self) -> date:
        """The Copenhagen date of that moment."""
        return self.now().astimezone(clock.LOCAL_ZONE).date()


def find_slots(
    *,
    location: Location,
    service: Service,
    first_day: date,
    last_day: date,
    policy: Policy,
    ignore_booking: int | None = None,
    count_bookings: bool = True,
) -> list[Slot]:
    """The bookable times for `service` at `location` from `first_day` to
    `last_day` (inclusive, Copenhagen dates), in time order.

    `ignore_booking` leaves one booking's own time out of the busy times, so
    that a reschedule can move a booking to a time overlapping its old one;
    `count_bookings=False` answers what would be offered on an empty day.
    """
    now = policy.now()
    today = now.astimezone(clock.LOCAL_ZONE).date()
    first_day = max(first_day, today)
    last_day = min(last_day, today + timedelta(days=policy.horizon_days))
    if last_day < first_day:
        return []
    earliest = now + policy.lead
    schedule = read_schedule(location=location, since=first_day)
    calendar = days_of(schedule=schedule, first_day=first_day, last_day=last_day)
    shifts = _shifts(schedule=schedule, service=service, first_day=first_day, last_day=last_day)
    busy = (
        _busy(
            location=location,
            first_day=first_day,
            last_day=last_day,
            ignore_booking=ignore_booking,
            now=now,
        )
        if count_bookings
        else {}
    )
    duration = timedelta(minutes=service.duration_minutes)
    earliest_local = earliest.astimezone(clock.LOCAL_ZONE)
    slots: list[Slot] = []
    for day in calendar:
        if not day.intervals or day.day < earliest_local.date():
            continue
        # Minutes from local midnight, the day's first possible start.
        not_before = _minutes_ceil(earliest_local) if day.day == earliest_local.date() else 0
        windows = _desk_windows(day.day, day.intervals, shifts)
        held_back = (
            policy.respect_hold_back
            and service.held_back_percent > 0
            and (day.day - today).days > service.release_days_before
        )
        midnight = datetime.combine(day.day, time(0), tzinfo=clock.LOCAL_ZONE)
        for minute, desks, staffed in _day_slots(
            windows,
            busy.get(day.day, {}),
            duration=service.duration_minutes,
            step=service.slot_step,
            not_before=not_before,
        ):
            if held_back:
                # Half a desk rounds up: 50 % of one desk holds it back.
                reserved = math.floor(staffed * service.held_back_percent / 100 + 0.5)
                if len(desks) <= reserved:
                    continue
            # Wall-clock arithmetic on the local day, then UTC for storage.
            start = (midnight + timedelta(minutes=minute)).astimezone(UTC)
            slots.append(Slot(start=start, end=start + duration, desks=desks))
    return slots


def find_slot(
    *,
    location: Location,
    service: Service,
    start: datetime,
    policy: Policy,
    ignore_booking: int | None = None,
    count_bookings: bool = True,
) -> Slot | None:
    """The slot starting exactly at `start`, if it can be booked."""
    day = start.astimezone(clock.LOCAL_ZONE).date()
    for slot in find_slots(
        location=location,
        service=service,
        first_day=day,
        last_day=day,
        policy=policy,
        ignore_booking=ignore_booking,
        count_bookings=count_bookings,
    ):
        if slot.start == start:
            return slot
    return None


# --- Reading ----------------------------------------------------------------

Minutes = tuple[int, int]  # [start, end) in minutes from local midnight
MINUTES_A_DAY = 24 * 60


@dataclass(frozen=True)
class _Shift:
    desk: int
    weekday: int | None
    date: date | None
    starts: time
    ends: time
    handles: bool


def _shifts(
    *, schedule: Schedule, service: Service, first_day: date, last_day: date
) -> list[_Shift]:
    """Every shift of the location's active desks that may apply in the
    period, marked with whether it handles the service. Shifts for other
    services matter too: a dated shift replaces all the desk's weekly ones."""
    return [
        _Shift(
            shift.desk,
            shift.weekday,
            shift.date,
            shift.starts,
            shift.ends,
            service.pk in shift.services,
        )
        for shift in schedule.shifts
        if shift.date is None or first_day <= shift.date <= last_day
    ]


def _busy(
    *,
    location: Location,
    first_day: date,
    last_day: date,
    ignore_booking: int | None,
    now: datetime,
) -> dict[date, dict[int, list[Minutes]]]:
    """Each day's booked spans per desk, in minutes from local midnight,
    sorted: grouped by day so a day's work never looks at another day. A
    hold whose code did not come back in time (holds.py) holds nothing."""
    period_start = datetime.combine(first_day, time(0), tzinfo=clock.LOCAL_ZONE)
    period_end = datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=clock.LOCAL_ZONE)
    # A booking on a desk lies inside its day's opening hours, which never
    # run past midnight, so the bookings of the period are those starting in
    # it, and the partial index on (location, start) reads just those,
    # however long the history of bookings grows.
    where = (
        f" FROM {Booking._meta.db_table}"
        " WHERE location_id = %s AND desk_id IS NOT NULL AND status IN (%s, %s)"
        " AND start >= %s AND start < %s AND (held_until IS NULL OR held_until > %s)"
    )
    params: list[object] = [
        location.pk,
        *Booking.OCCUPYING,
        period_start.astimezone(UTC),
        period_end.astimezone(UTC),
        now,
    ]
    if ignore_booking is not None:
        where += " AND id <> %s"
        params.append(ignore_booking)
    # The database turns each moment into the local wall clock's day and
    # minutes (the zone's offset added in SQL: it changes at most once in a
    # period of weeks), so Python only files each row under its day and
    # desk: converting hundreds of moments in Python cost more than
    # everything else here (docs/benchmarks.md).
    start_wall, start_params = _wall_seconds_sql("start", period_start, period_end)
    end_wall, end_params = _wall_seconds_sql('"end"', period_start, period_end)
    # (%% is SQL's remainder, written so beside the parameters.)
    rows = fetch_rows(
        f"SELECT desk_id, ({start_wall}) / {SECONDS_A_DAY},"
        f" (({start_wall}) %% {SECONDS_A_DAY}) / 60,"
        # A booking ending on a later day holds the rest of its day.
        f" CASE WHEN ({end_wall}) / {SECONDS_A_DAY} > ({start_wall}) / {SECONDS_A_DAY}"
        f" THEN {MINUTES_A_DAY} ELSE ((({end_wall}) %% {SECONDS_A_DAY}) + 59) / 60 END"
        + where
        + " ORDER BY start",
        [*start_params, *start_params, *end_params, *start_params, *end_params, *params],
    )
    busy: dict[date, dict[int, list[Minutes]]] = defaultdict(lambda: defaultdict(list))
    days: dict[int, date] = {}
    for desk, day_number, start_minute, end_minute in rows:
        day = days.get(day_number)
        if day is None:
            day = days[day_number] = WALL_CLOCK_EPOCH + timedelta(days=day_number)
        busy[day][desk].append((start_minute, end_minute))
    return busy


SECONDS_A_DAY = 24 * 60 * 60
WEEK_SECONDS = 7 * SECONDS_A_DAY
WALL_CLOCK_EPOCH = date(1970, 1, 1)


def _wall_seconds_sql(column: str, start: datetime, end: datetime) -> tuple[str, list[object]]:
    """SQL for the seconds from 1970-01-01 00:00 to the moment in `column`
    as Copenhagen's wall clock shows it (summer time included), for moments
    from `start` until `end`; and its parameters."""
    if connection.vendor == "postgresql":
        # date_part gives a float; extract, since PostgreSQL 14, a numeric,
        # which cost a third of the query.
        epoch = f"CAST(floor(date_part('epoch', {column})) AS bigint)"
    elif sqlite3.sqlite_version_info >= (3, 38):  # SQLite keeps moments as UTC text
        epoch = f"unixepoch({column})"  # twice as fast as strftime's
    else:
        epoch = f"CAST(strftime('%%s', {column}) AS INTEGER)"
    (_, first_offset), *later = zone_offsets(start=start, end=end)
    if not later:
        return f"{epoch} + %s", [first_offset]
    # The latest change first: the first WHEN that holds is the offset.
    cases = " ".join(f"WHEN {epoch} >= %s THEN {epoch} + %s" for _ in later)
    params: list[object] = []
    for since, offset in reversed(later):
        params += [since, offset]
    return f"CASE {cases} ELSE {epoch} + %s END", [*params, first_offset]


def zone_offsets(*, start: datetime, end: datetime) -> list[tuple[int, int]]:
    """Copenhagen's offset from UTC, in seconds, from `start` until `end`:
    (from when, in seconds since 1970 UTC; the offset), the first from
    `start`. Summer time begins and ends once a year each, so a period of
    weeks has one offset or two."""

    def offset_at(second: int) -> int:
        found = datetime.fromtimestamp(second, tz=clock.LOCAL_ZONE).utcoffset()
        return int(found.total_seconds()) if found is not None else 0

    first, last = int(start.timestamp()), int(end.timestamp())
    changes = [(first, offset_at(first))]
    # Looked at a week apart (the clocks change months apart), and between
    # two looks that differ, the second of the change found by halving.
    looks = [*range(first, last, WEEK_SECONDS), last]
    for earlier, later in itertools.pairwise(looks):
        if offset_at(later) == changes[-1][1]:
            continue
        low, high = earlier, later
        while high - low > 1:
            middle = (low + high) // 2
            if offset_at(middle) == changes[-1][1]:
                low = middle
            else:
                high = middle
        changes.append((high, offset_at(high)))
    return changes


# --- Computing --------------------------------------------------------------
# A day is computed in whole minutes from local midnight: integer arithmetic
# is what keeps a month of availability within a few milliseconds.


def _minutes_ceil(moment: datetime) -> int:
    return moment.hour * 60 + moment.minute + (1 if moment.second or moment.microsecond else 0)


def _of(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def _desk_windows(
    day: date, opening: list[tuple[time, time]], shifts: list[_Shift]
) -> dict[int, list[Minutes]]:
    """When each desk is staffed for the service on `day`, clipped to the
    opening hours. A desk's dated shifts on the day replace its weekly ones."""
    windows: dict[int, list[Minutes]] = defaultdict(list)
    for shift in shifts_on(shifts, day=day):
        if not shift.handles:
            continue
        for opens, closes in opening:
            start, end = max(_of(opens), _of(shift.starts)), min(_of(closes), _of(shift.ends))
            if start < end:
                windows[shift.desk].append((start, end))
    # Touching windows (opening hours 10-12 and 12-15, or back-to-back
    # shifts) are one stretch of time: a visit may run across 12:00.
    return {desk: _merged(spans) for desk, spans in windows.items()}


def _merged(spans: list[Minutes]) -> list[Minutes]:
    merged: list[Minutes] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _subtract(window: Minutes, busy: Iterable[Minutes]) -> list[Minutes]:
    """The free parts of `window` once the (sorted) busy spans are taken out."""
    free = []
    cursor, end = window
    for busy_start, busy_end in busy:
        if busy_end <= cursor or busy_start >= end:
            continue
        if busy_start > cursor:
            free.append((cursor, busy_start))
        cursor = max(cursor, busy_end)
    if cursor < end:
        free.append((cursor, end))
    return free


def _first_on_grid(minute: int, step: int) -> int:
    """The first start at or after `minute` on the grid of `step` minutes
    from local midnight."""
    return -(-minute // step) * step


def _day_slots(
    windows: dict[int, list[Minutes]],
    busy: dict[int, list[Minutes]],
    *,
    duration: int,
    step: int,
    not_before: int,
) -> list[tuple[int, tuple[int, ...], int]]:
    """(start minute, free desks best fit first, desks staffed) for each
    start time of the day where at least one desk is free for the whole
    duration.

    Best fit: the desk whose free gap is the smallest that still holds the
    visit, so that a short errand does not cut up time a long one needs;
    then the desk where the visit starts the gap, leaving no sliver before.
    """
    candidates: dict[int, list[tuple[int, bool, int]]] = defaultdict(list)
    staffed: dict[int, int] = defaultdict(int)
    for desk, desk_windows in windows.items():
        for window_start, window_end in desk_windows:
            for start in range(_first_on_grid(window_start, step), window_end - duration + 1, step):
                staffed[start] += 1
            for gap_start, gap_end in _subtract((window_start, window_end), busy.get(desk, ())):
                first = _first_on_grid(max(gap_start, not_before), step)
                fit = (gap_end - gap_start, first != gap_start, desk)
                for start in range(first, gap_end - duration + 1, step):
                    candidates[start].append(fit if start == first else (fit[0], True, desk))
    return [
        (start, tuple(desk for *_, desk in sorted(fits)), staffed[start])
        for start, fits in sorted(candidates.items())
    ]


# --- Bookings the schedule no longer holds ------------------------------------


def find_stranded_bookings(*, location: Location, now: datetime) -> list[Booking]:
    """Active bookings from `now` on that the schedule no longer holds: on a
    day now closed, outside the opening hours, or on a desk whose shifts no
    longer cover the service for the whole time (a squeezed-in booking, on
    no desk, only needs the opening hours). What a manager must see after
    closing a day, shortening hours or removing a shift: these citizens
    would come to a closed door unless they are told."""
    bookings = list(
        Booking.objects.filter(location=location, status=Booking.Status.BOOKED, end__gt=now)
        .select_related("service")
        .order_by("start")
    )
    if not bookings:
        return []
    local_days = [booking.start.astimezone(clock.LOCAL_ZONE).date() for booking in bookings]
    first_day, last_day = min(local_days), max(local_days)
    schedule = read_schedule(location=location, since=first_day)
    opening = {
        day.day: day.intervals
        for day in days_of(schedule=schedule, first_day=first_day, last_day=last_day)
    }
    windows: dict[tuple[int, date], dict[int, list[Minutes]]] = {}
    stranded = []
    for booking, day in zip(bookings, local_days, strict=True):
        start = booking.start.astimezone(clock.LOCAL_ZONE)
        end = booking.end.astimezone(clock.LOCAL_ZONE)
        span = (start.hour * 60 + start.minute, end.hour * 60 + end.minute)
        if end.date() != day:
            stranded.append(booking)
            continue
        if booking.desk_id is None:
            spans = _merged([(_of(opens), _of(closes)) for opens, closes in opening[day]])
        else:
            key = (booking.service_id, day)
            if key not in windows:
                shifts = _shifts(
                    schedule=schedule, service=booking.service, first_day=day, last_day=day
                )
                windows[key] = _desk_windows(day, opening[day], shifts)
            spans = windows[key].get(booking.desk_id, [])
        if not any(opens <= span[0] and span[1] <= closes for opens, closes in spans):
            stranded.append(booking)
    return stranded
