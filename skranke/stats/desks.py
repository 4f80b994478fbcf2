"""How busy the desks were: per desk and per hour of the day, the minutes a
desk was staffed (its shifts inside the opening hours) and the minutes it
had a citizen (from the call to the end), and what capacity was offered
against what was booked.

Staffed time is read from the schedule as it stands, with the dated shifts
of the period: a weekly shift changed since then changes the past figure
too (the system keeps no history of shifts). Visits whose times cannot be
trusted (statistics' robust.py reasons) add no busy minutes.
"""

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import numpy as np
from django.db.models import Count, Sum

from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.intervals import Interval
from skranke.core.models import Desk, Location, Service
from skranke.core.opening_hours import days_of
from skranke.core.schedule import read_schedule, shifts_on
from skranke.database.seconds_between import SecondsBetween
from skranke.stats.local_time import DAY, utc_offsets
from skranke.stats.visits import NONE, TRUSTED, VisitTable

HOUR = 60.0


@dataclass(frozen=True)
class Usage:
    staffed: float  # minutes
    busy: float

    @property
    def busy_share(self) -> float | None:
        return min(self.busy / self.staffed, 1.0) if self.staffed else None

    @property
    def idle_share(self) -> float | None:
        share = self.busy_share
        return None if share is None else 1 - share


@dataclass(frozen=True)
class DeskFigures:
    by_desk: dict[int, Usage]
    by_hour: dict[int, Usage]  # hour of the day (Copenhagen) → all desks
    offered_minutes: float
    booked_minutes: float
    bookings: int

    @property
    def booked_share(self) -> float | None:
        return self.booked_minutes / self.offered_minutes if self.offered_minutes else None


def measure_desks(
    *,
    locations: list[Location],
    rows: VisitTable,
    first: date,
    end: date,
    desk_ids: Collection[int] | None = None,
) -> DeskFigures:
    """The figures of the locations' counter desks, or of `desk_ids` only
    (the caller gives the rows of those desks)."""
    staffed: defaultdict[tuple[int, int], float] = defaultdict(float)
    for location in locations:
        for desk, hour, minutes in _staffed(location=location, first=first, end=end):
            if desk_ids is None or desk in desk_ids:
                staffed[(desk, hour)] += minutes
    busy = _busy_by_desk_and_hour(rows)
    desks = {desk for desk, _hour in staffed} | {desk for desk, _hour in busy}
    hours = {hour for _desk, hour in staffed} | {hour for _desk, hour in busy}
    booked = Booking.objects.filter(
        location__in=locations,
        start__gte=datetime.combine(first, time(0), tzinfo=clock.LOCAL_ZONE),
        start__lt=datetime.combine(end, time(0), tzinfo=clock.LOCAL_ZONE),
        service__kind=Service.Kind.IN_PERSON,
        desk__isnull=False,
    ).exclude(status=Booking.Status.CANCELLED)
    if desk_ids is not None:
        booked = booked.filter(desk_id__in=list(desk_ids))
    totals = booked.aggregate(seconds=Sum(SecondsBetween("start", "end")), count=Count("pk"))
    return DeskFigures(
        by_desk={
            desk: Usage(
                staffed=sum(v for (d, _h), v in staffed.items() if d == desk),
                busy=sum(v for (d, _h), v in busy.items() if d == desk),
            )
            for desk in sorted(desks)
        },
        by_hour={
            hour: Usage(
                staffed=sum(v for (_d, h), v in staffed.items() if h == hour),
                busy=sum(v for (_d, h), v in busy.items() if h == hour),
            )
            for hour in sorted(hours)
        },
        offered_minutes=sum(staffed.values()),
        booked_minutes=(totals["seconds"] or 0) / 60,
        bookings=totals["count"],
    )


def _staffed(*, location: Location, first: date, end: date) -> list[tuple[int, int, float]]:
    """(desk, hour, minutes) of counter desks' shifts inside opening hours."""
    schedule = read_schedule(location=location, since=first)
    counters = set(
        Desk.objects.filter(location=location, kind=Desk.Kind.COUNTER).values_list("pk", flat=True)
    )
    staffed: list[tuple[int, int, float]] = []
    for day in days_of(schedule=schedule, first_day=first, last_day=end - timedelta(days=1)):
        for shift in shifts_on(schedule.shifts, day=day.day):
            if shift.desk not in counters:
                continue
            for opens, closes in day.intervals:
                window = _overlap((shift.starts, shift.ends), (opens, closes))
                if window is None:
                    continue
                start = window[0].hour * HOUR + window[0].minute
                minutes = window[1].hour * HOUR + window[1].minute - start
                staffed += [
                    (shift.desk, hour, part)
                    for hour, part in _split_by_hour(start=start, minutes=minutes)
                ]
    return staffed


def _busy_by_desk_and_hour(rows: VisitTable) -> dict[tuple[int, int], float]:
    """Minutes each desk had a citizen, per hour of the day (Copenhagen):
    from the call to the end of each visit whose times can be trusted.
    Computed on arrays, hour by hour, rather than visit by visit; a visit
    running past midnight counts its minutes in the early hours."""
    counted = rows.take(
        (rows.desk_id != NONE)
        & ~np.isnan(rows.wait_seconds)
        & ~np.isnan(rows.busy_seconds)
        & (rows.reason == TRUSTED)
    )
    if not len(counted):
        return {}
    called = counted.arrived + counted.wait_seconds
    starts = ((called + utc_offsets(called)) % DAY) / 60  # minutes after local midnight
    ends = starts + np.maximum(counted.busy_seconds / 60, 0)
    desk_ids, desk_index = np.unique(counted.desk_id, return_inverse=True)
    busy: dict[tuple[int, int], float] = {}
    for hour in range(int(ends.max() // HOUR) + 1):
        overlap = np.clip(
            np.minimum(ends, (hour + 1) * HOUR) - np.maximum(starts, hour * HOUR), 0, None
        )
        if not overlap.any():
            continue
        per_desk = np.bincount(desk_index, weights=overlap, minlength=len(desk_ids))
        for index, minutes in enumerate(per_desk):
            if minutes:
                key = (int(desk_ids[index]), hour % 24)
                busy[key] = busy.get(key, 0.0) + float(minutes)
    return busy


def _overlap(first: Interval, second: Interval) -> Interval | None:
    starts, ends = max(first[0], second[0]), min(first[1], second[1])
    return (starts, ends) if starts < ends else None


def _split_by_hour(*, start: float, minutes: float) -> list[tuple[int, float]]:
    """`minutes` from `start` (minutes after local midnight) split over the
    hours of the day they fall in; arithmetic on numbers, as this runs for
    every visit (a visit does not cross a night's change of the clocks)."""
    pieces: list[tuple[int, float]] = []
    end = start + max(minutes, 0.0)
    while start < end:
        hour = int(start // HOUR)
        stop = min(end, (hour + 1) * HOUR)
        pieces.append((hour % 24, stop - start))
        start = stop
    return pieces
