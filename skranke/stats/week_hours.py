"""When citizens come and how long they wait, per hour of the day and day
of the week: the grid a manager staffs by.

A cell's visits are an average per day the centre was open on that
weekday, so a month with five Mondays and one with four read alike; a day
counts as open if the schedule (as it stands now, as for the desks' hours)
says so or if citizens came. Visits are counted by the hour they arrived
(Copenhagen).

A cell's wait is that of the citizens without a booking: theirs is the
queue the hour's staffing shortens, while a booked citizen's wait is
about keeping to the booked times, and where most are booked their short
waits would hide the queue. Waits are every recorded call's, as visits.py
measures them, and a cell shows its median only when it rests on
MIN_WAITS or more.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from skranke.core.models import Location
from skranke.core.opening_hours import days_of
from skranke.core.schedule import read_schedule
from skranke.stats.local_time import local_hours
from skranke.stats.visits import EPOCH, TRUSTED, VisitTable

MIN_WAITS = 5  # fewer, and one long wait is the cell's median


@dataclass(frozen=True)
class HourCell:
    visits: int
    per_day: float | None  # visits per open day of the weekday
    waits: int  # of citizens without a booking
    wait_median: float | None  # minutes; None below MIN_WAITS


@dataclass(frozen=True)
class HourRow:
    hour: int  # 0–23, Copenhagen
    cells: list[HourCell]  # one per WeekHours.weekdays


@dataclass(frozen=True)
class WeekHours:
    weekdays: list[int]  # 0 Monday … 6 Sunday: those open or with visits
    open_days: list[int]  # per weekday above
    rows: list[HourRow]  # from the first hour anyone arrived to the last

    @property
    def largest_per_day(self) -> float:
        return max((c.per_day or 0.0 for row in self.rows for c in row.cells), default=0.0)


def measure_week_hours(
    *, rows: VisitTable, locations: list[Location], first: date, end: date
) -> WeekHours:
    """The grid of `rows` (from read_visits) at `locations` on [first, end)."""
    visit_rows = rows.take(rows.is_visit)
    waited = rows.take((rows.wait_reason == TRUSTED) & ~np.isnan(rows.wait_seconds) & ~rows.booked)
    open_days = _open_days(
        locations=locations,
        first=first,
        end=end,
        visit_days={EPOCH + timedelta(days=int(day)) for day in np.unique(visit_rows.day)},
    )
    weekdays = sorted(open_days)
    if not len(visit_rows):
        return WeekHours(weekdays=weekdays, open_days=[open_days[d] for d in weekdays], rows=[])
    visit_hours = local_hours(visit_rows.arrived)
    wait_hours = local_hours(waited.arrived)
    wait_minutes = waited.wait_minutes
    grid = []
    for hour in range(int(visit_hours.min()), int(visit_hours.max()) + 1):
        cells = []
        for weekday in weekdays:
            visits = int(np.count_nonzero((visit_hours == hour) & (visit_rows.weekday == weekday)))
            waits = wait_minutes[(wait_hours == hour) & (waited.weekday == weekday)]
            cells.append(
                HourCell(
                    visits=visits,
                    per_day=visits / open_days[weekday] if open_days[weekday] else None,
                    waits=len(waits),
                    wait_median=float(np.median(waits)) if len(waits) >= MIN_WAITS else None,
                )
            )
        grid.append(HourRow(hour=hour, cells=cells))
    return WeekHours(weekdays=weekdays, open_days=[open_days[d] for d in weekdays], rows=grid)


def _open_days(
    *, locations: list[Location], first: date, end: date, visit_days: set[date]
) -> dict[int, int]:
    """Days per weekday on which any of the locations was open."""
    days = set(visit_days)
    for location in locations:
        schedule = read_schedule(location=location, since=first)
        days.update(
            hours.day
            for hours in days_of(schedule=schedule, first_day=first, last_day=end - timedelta(1))
            if hours.is_open
        )
    counts: defaultdict[int, int] = defaultdict(int)
    for day in days:
        counts[day.weekday()] += 1
    return dict(counts)
