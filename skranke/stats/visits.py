"""Figures of visits at the counter: how many, of which kind, how they
ended, and how long citizens waited and were served.

One citizen's errand is counted once, however often it was transferred:
a transfer makes a new Visit row for the next desk, and only the first row
counts as a visit (its service is the errand the citizen came for). Times
are kept per row, so the minutes at each desk count under the service
handled there.

Visits belong to the day they arrived (Copenhagen time), so a visit that
crosses midnight counts on the day it began. Durations are differences of
stored UTC times, so a DST day's hour that does not exist (or exists twice)
neither adds nor loses minutes.
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple

import numpy as np

from skranke.core import clock
from skranke.core.seconds_between import EpochSeconds, SecondsBetween
from skranke.queueing.models import Visit
from skranke.stats.robust import NOT_ENDED_BY_STAFF, TIMES_WRONG, TimeFigure, summarise_minutes

NO_OUTCOME = "no_outcome"  # still open, or closed by the end-of-day job
SATURDAY = 5

BOOKED = "booked"
WALK_IN = "walk_in"  # an errand that needs a booking, squeezed in without one
WITHOUT_BOOKING = "without_booking"  # an errand that needs none (postal vote, locker)
KINDS = (BOOKED, WALK_IN, WITHOUT_BOOKING)


class VisitRow(NamedTuple):
    """One Visit row, as the statistics need it. Durations come from the
    database as seconds: parsing four timestamps per row was most of a
    year's cost. A named tuple: made straight from the database's row."""

    id: int
    location_id: int
    service_id: int
    desk_id: int | None
    day: date
    arrived: float  # seconds since the epoch
    wait_seconds: float | None  # arrival (or transfer) to the call
    service_seconds: float | None  # start to end at the desk
    busy_seconds: float | None  # call to end: the desk's time with the citizen
    outcome: str
    booking_id: int | None
    transferred_from_id: int | None
    not_ended_by_staff: bool
    times_wrong: bool
    expected_wait_minutes: int | None
    booking_required: bool

    @property
    def is_visit(self) -> bool:
        """The row that counts as the citizen's visit (not a transfer)."""
        return self.transferred_from_id is None

    @property
    def kind(self) -> str:
        if self.booking_id is not None:
            return BOOKED
        return WALK_IN if self.booking_required else WITHOUT_BOOKING

    @property
    def left_out_because(self) -> str | None:
        """Why its times cannot be trusted, if they cannot."""
        if self.not_ended_by_staff:
            return NOT_ENDED_BY_STAFF
        if self.times_wrong:
            return TIMES_WRONG
        return None

    @property
    def wait_minutes(self) -> float | None:
        return None if self.wait_seconds is None else self.wait_seconds / 60

    @property
    def service_minutes(self) -> float | None:
        if self.service_seconds is None or self.outcome == "no_show":
            return None
        return self.service_seconds / 60

    @property
    def arrived_at(self) -> datetime:
        return datetime.fromtimestamp(self.arrived, tz=UTC)

    @property
    def called_at(self) -> datetime | None:
        if self.wait_seconds is None:
            return None
        return self.arrived_at + timedelta(seconds=self.wait_seconds)

    @property
    def ended_at(self) -> datetime | None:
        called = self.called_at
        if called is None or self.busy_seconds is None:
            return None
        return called + timedelta(seconds=self.busy_seconds)

    @property
    def local_arrival(self) -> datetime:
        return self.arrived_at.astimezone(clock.LOCAL_ZONE)


def read_visits(
    *,
    location_ids: Iterable[int],
    first: date,
    end: date,
    service_ids: Iterable[int] | None = None,
) -> list[VisitRow]:
    """The visit rows of the locations on the days [first, end), in one
    query, in order of arrival. `service_ids` keeps those services' rows."""
    rows = Visit.objects.filter(location_id__in=list(location_ids), day__gte=first, day__lt=end)
    if service_ids is not None:
        rows = rows.filter(service_id__in=list(service_ids))
    values = (
        rows.annotate(
            arrived=EpochSeconds("arrived_at"),
            wait=SecondsBetween("arrived_at", "called_at"),
            at_desk=SecondsBetween("started_at", "ended_at"),
            busy=SecondsBetween("called_at", "ended_at"),
        )
        .order_by("arrived_at", "id")
        .values_list(
            "id",
            "location_id",
            "service_id",
            "desk_id",
            "day",
            "arrived",
            "wait",
            "at_desk",
            "busy",
            "outcome",
            "booking_id",
            "transferred_from_id",
            "not_ended_by_staff",
            "times_wrong",
            "expected_wait_minutes",
            "service__booking_required",
        )
    )
    return list(map(VisitRow._make, values))


@dataclass(frozen=True)
class VisitFigures:
    visits: int
    by_kind: dict[str, int]
    by_outcome: dict[str, int]
    saturday: int
    wait: TimeFigure
    service_time: TimeFigure
    expected_wait_error: TimeFigure  # minutes between what the kiosk told and what came

    def as_dict(self) -> dict[str, object]:
        return {
            "visits": self.visits,
            "by_kind": self.by_kind,
            "by_outcome": self.by_outcome,
            "saturday": self.saturday,
            "wait": self.wait.as_dict(),
            "service_time": self.service_time.as_dict(),
            "expected_wait_error": self.expected_wait_error.as_dict(),
        }


def measure_visits(rows: list[VisitRow], *, with_promises: bool = True) -> VisitFigures:
    """Counts and time figures of `rows` (from read_visits); the kiosk's
    promises against the waits only `with_promises`."""
    visits = [row for row in rows if row.is_visit]
    by_kind = Counter(dict.fromkeys(KINDS, 0))
    by_kind.update(row.kind for row in visits)
    by_outcome = Counter(dict.fromkeys(Visit.Outcome.values, 0))
    by_outcome.update(row.outcome or NO_OUTCOME for row in visits)
    reasons = np.fromiter(
        (
            NOT_ENDED if row.not_ended_by_staff else WRONG if row.times_wrong else TRUSTED
            for row in rows
        ),
        dtype=np.int8,
    )
    waits = _column(row.wait_minutes for row in rows)
    return VisitFigures(
        visits=len(visits),
        by_kind=dict(by_kind),
        by_outcome=dict(by_outcome),
        saturday=sum(1 for row in visits if row.day.weekday() == SATURDAY),
        wait=_time_figure(waits, reasons),
        service_time=_time_figure(_column(row.service_minutes for row in rows), reasons),
        expected_wait_error=_time_figure(
            np.abs(waits - _column(row.expected_wait_minutes for row in rows)),
            reasons,
            fence=False,
        )
        if with_promises
        else summarise_minutes(minutes=[]),
    )


# Why a row's times are left out, as numbers for the arrays below.
TRUSTED, NOT_ENDED, WRONG = 0, 1, 2


def _column(values: Iterable[float | None]) -> np.ndarray:
    """A column of minutes; NaN where a row has none."""
    return np.fromiter((np.nan if value is None else value for value in values), dtype=float)


def _time_figure(minutes: np.ndarray, reasons: np.ndarray, *, fence: bool = True) -> TimeFigure:
    """The figure of the rows that have a time, the untrusted ones counted
    as left out by reason (one pass over arrays, not over rows)."""
    present = ~np.isnan(minutes)
    return summarise_minutes(
        minutes=minutes[present & (reasons == TRUSTED)],
        left_out={
            NOT_ENDED_BY_STAFF: int(np.count_nonzero(present & (reasons == NOT_ENDED))),
            TIMES_WRONG: int(np.count_nonzero(present & (reasons == WRONG))),
        },
        fence=fence,
    )


# How rows are grouped: each gives the key of a row. Counting groups use
# the visit's own row; time figures use every row of the group.
GROUPINGS: dict[str, Callable[[VisitRow], object]] = {
    "location": lambda row: row.location_id,
    "service": lambda row: row.service_id,
    "desk": lambda row: row.desk_id,
    "day": lambda row: row.day,
    "week": lambda row: row.day.isocalendar()[:2],
    "month": lambda row: (row.day.year, row.day.month),
    "quarter": lambda row: (row.day.year, (row.day.month - 1) // 3 + 1),
    "year": lambda row: row.day.year,
    "weekday": lambda row: row.day.weekday(),
    "hour": lambda row: row.local_arrival.hour,
}


def measure_visits_by(rows: list[VisitRow], *, group_by: str) -> dict[object, VisitFigures]:
    """The figures of each group, in the order of their keys. Only a
    visit's first row counts it, so a transferred citizen counts once, in
    the group of the errand they came for; each row's times stay in the
    group of that row."""
    key_of = GROUPINGS[group_by]
    groups: dict[object, list[VisitRow]] = defaultdict(list)
    for row in rows:
        groups[key_of(row)].append(row)
    return {
        key: measure_visits(groups[key], with_promises=False)
        for key in sorted(groups, key=_sort_key)
    }


def _sort_key(key: object) -> tuple[int, object]:
    return (1, 0) if key is None else (0, key)
