"""Figures of visits at the counter: how many, of which kind, how they
ended, and how long citizens waited and were served.

One citizen's errand is counted once, however often it was transferred:
a transfer makes a new Visit row for the next desk, and only the first row
counts as a visit (its service is the errand the citizen came for). Times
are kept per row, so the minutes at each desk count under the service
handled there.

A booked citizen who comes early is not waiting for the centre: their wait
counts from the later of their arrival and their booked time. Waits of
citizens with and without a booking are reported apart as well as
together, since a centre's booked waits are short and its walk-in waits
are what its planning is for.

Visits belong to the day they arrived (Copenhagen time), so a visit that
crosses midnight counts on the day it began. Durations are differences of
stored UTC times, so a DST day's hour that does not exist (or exists twice)
neither adds nor loses minutes.
"""

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from skranke.database.seconds_between import EpochDays, EpochSeconds, SecondsBetween
from skranke.database.sql import fetch_columns
from skranke.queueing.models import Visit
from skranke.stats.local_time import local_hours
from skranke.stats.robust import NOT_ENDED_BY_STAFF, TIMES_WRONG, TimeFigure, summarise_minutes

NO_OUTCOME = "no_outcome"  # still open, or closed by the end-of-day job
SATURDAY = 5
EPOCH = date(1970, 1, 1)
NONE = -1  # an id column's "no such row"

BOOKED = "booked"
WALK_IN = "walk_in"  # an errand that needs a booking, squeezed in without one
WITHOUT_BOOKING = "without_booking"  # an errand that needs none (postal vote, locker)
KINDS = (BOOKED, WALK_IN, WITHOUT_BOOKING)
# Outcomes as numbers: a row's code is its place here (NO_OUTCOME last).
OUTCOMES = (*Visit.Outcome.values, NO_OUTCOME)

# Why a row's times are left out, as numbers for the arrays below.
TRUSTED, NOT_ENDED, WRONG = 0, 1, 2


@dataclass(frozen=True)
class VisitTable:
    """Visit rows as columns: one numpy array per field, one entry per row,
    in order of arrival. A year at a town hall is 25,000 rows; measured
    one Python object at a time, they cost most of a second, as arrays a
    few milliseconds. Ids that may be missing hold NONE, times that may be
    missing NaN; durations are seconds computed by the database."""

    location_id: np.ndarray
    service_id: np.ndarray
    desk_id: np.ndarray
    day: np.ndarray  # days since 1970-01-01 (the Copenhagen day of arrival)
    arrived: np.ndarray  # seconds since the epoch
    wait_seconds: np.ndarray  # arrival (or transfer), or the booked time if later, to the call
    since_arrival_seconds: np.ndarray  # arrival (or transfer) to the call: what the kiosk promised
    service_seconds: np.ndarray  # start to end at the desk
    busy_seconds: np.ndarray  # call to end: the desk's time with the citizen
    outcome: np.ndarray  # index into OUTCOMES
    booked: np.ndarray
    is_visit: np.ndarray  # the row that counts as the citizen's visit (not a transfer)
    booking_required: np.ndarray
    reason: np.ndarray  # TRUSTED, NOT_ENDED or WRONG
    expected_wait_minutes: np.ndarray

    def __len__(self) -> int:
        return len(self.arrived)

    def take(self, index: np.ndarray) -> "VisitTable":
        """The rows at `index` (positions or a mask), in that order."""
        return VisitTable(
            **{field.name: getattr(self, field.name)[index] for field in dataclasses.fields(self)}
        )

    @property
    def kind(self) -> np.ndarray:
        """0, 1, 2 for BOOKED, WALK_IN, WITHOUT_BOOKING."""
        return np.where(self.booked, 0, np.where(self.booking_required, 1, 2))

    @property
    def wait_minutes(self) -> np.ndarray:
        return self.wait_seconds / 60

    @property
    def wait_reason(self) -> np.ndarray:
        """Why a row's wait is left out: only a desk's "the times are
        wrong". A visit nobody ended still had its call recorded by the
        system, so its wait is as true as any."""
        return np.where(self.reason == NOT_ENDED, TRUSTED, self.reason)

    @property
    def since_arrival_minutes(self) -> np.ndarray:
        return self.since_arrival_seconds / 60

    @property
    def service_minutes(self) -> np.ndarray:
        """Time at the desk; none for a citizen who did not come."""
        no_show = self.outcome == OUTCOMES.index(Visit.Outcome.NO_SHOW)
        return np.where(no_show, np.nan, self.service_seconds / 60)

    @property
    def weekday(self) -> np.ndarray:
        return (self.day + EPOCH.weekday()) % 7


def read_visits(
    *,
    location_ids: Iterable[int],
    first: date,
    end: date,
    service_ids: Iterable[int] | None = None,
) -> VisitTable:
    """The visit rows of the locations on the days [first, end), in one
    query, in order of arrival. `service_ids` keeps those services' rows."""
    rows = Visit.objects.filter(location_id__in=list(location_ids), day__gte=first, day__lt=end)
    if service_ids is not None:
        rows = rows.filter(service_id__in=list(service_ids))
    fields = (
        "location_id",
        "service_id",
        "desk_id",
        "day_number",
        "arrived",
        "wait",
        "booked_to_call",
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
    (
        location,
        service,
        desk,
        day,
        arrived,
        wait,
        booked_to_call,
        at_desk,
        busy,
        outcome,
        booking,
        transferred_from,
        not_ended,
        wrong,
        expected,
        booking_required,
    ) = fetch_columns(
        rows.annotate(
            day_number=EpochDays("day"),
            arrived=EpochSeconds("arrived_at"),
            wait=SecondsBetween("arrived_at", "called_at"),
            booked_to_call=SecondsBetween("booking__start", "called_at"),
            at_desk=SecondsBetween("started_at", "ended_at"),
            busy=SecondsBetween("called_at", "ended_at"),
        )
        .order_by()
        .values_list(*fields),
        width=len(fields),
    )
    codes = {value: code for code, value in enumerate(OUTCOMES)}
    table = VisitTable(
        location_id=np.array(location, dtype=np.int64),
        service_id=np.array(service, dtype=np.int64),
        desk_id=_ids(desk),
        day=np.array(day, dtype=np.int64),
        arrived=np.array(arrived, dtype=float),
        wait_seconds=_wait_from_due(
            since_arrival=np.array(wait, dtype=float),
            since_booked_time=np.array(booked_to_call, dtype=float),
        ),
        since_arrival_seconds=np.array(wait, dtype=float),
        service_seconds=np.array(at_desk, dtype=float),
        busy_seconds=np.array(busy, dtype=float),
        outcome=np.array([codes[value or NO_OUTCOME] for value in outcome], dtype=np.int8),
        booked=np.array([value is not None for value in booking], dtype=bool),
        is_visit=np.array([value is None for value in transferred_from], dtype=bool),
        booking_required=np.array(booking_required, dtype=bool),
        reason=np.where(
            np.array(not_ended, dtype=bool),
            NOT_ENDED,
            np.where(np.array(wrong, dtype=bool), WRONG, TRUSTED),
        ).astype(np.int8),
        expected_wait_minutes=np.array(expected, dtype=float),
    )
    # Sorted here rather than by the database, which spills a year's rows
    # to disk to sort them.
    return table.take(np.argsort(table.arrived, kind="stable"))


def _wait_from_due(*, since_arrival: np.ndarray, since_booked_time: np.ndarray) -> np.ndarray:
    """Seconds from the later of arrival and booked time to the call (the
    lesser of the two spans); none below zero, for a citizen called before
    their time. NaN (no booking, or not called) leaves the other span."""
    wait = np.fmin(since_arrival, since_booked_time)
    return np.where(np.isnan(since_arrival), np.nan, np.maximum(wait, 0.0))


def _ids(column: tuple[int | None, ...]) -> np.ndarray:
    return np.array([NONE if value is None else value for value in column], dtype=np.int64)


@dataclass(frozen=True)
class VisitFigures:
    visits: int
    by_kind: dict[str, int]
    by_outcome: dict[str, int]
    saturday: int
    wait: TimeFigure
    wait_booked: TimeFigure
    wait_unbooked: TimeFigure
    service_time: TimeFigure
    expected_wait_error: TimeFigure  # minutes between what the kiosk told and what came

    def as_dict(self) -> dict[str, object]:
        return {
            "visits": self.visits,
            "by_kind": self.by_kind,
            "by_outcome": self.by_outcome,
            "saturday": self.saturday,
            "wait": self.wait.as_dict(),
            "wait_booked": self.wait_booked.as_dict(),
            "wait_unbooked": self.wait_unbooked.as_dict(),
            "service_time": self.service_time.as_dict(),
            "expected_wait_error": self.expected_wait_error.as_dict(),
        }


def measure_visits(rows: VisitTable, *, with_promises: bool = True) -> VisitFigures:
    """Counts and time figures of `rows` (from read_visits); the kiosk's
    promises against the waits only `with_promises`."""
    visits = rows.take(rows.is_visit)
    kinds = np.bincount(visits.kind, minlength=len(KINDS))
    outcomes = np.bincount(visits.outcome, minlength=len(OUTCOMES))
    by_outcome = {value: int(outcomes[code]) for code, value in enumerate(OUTCOMES)}
    if not by_outcome[NO_OUTCOME]:
        del by_outcome[NO_OUTCOME]
    waits = rows.wait_minutes
    # Waits are measured by the system (the call is a button in it), so
    # they are never fenced; service times are fenced per service.
    return VisitFigures(
        visits=len(visits),
        by_kind={kind: int(kinds[code]) for code, kind in enumerate(KINDS)},
        by_outcome=by_outcome,
        saturday=int(np.count_nonzero(visits.weekday == SATURDAY)),
        wait=_time_figure(waits, rows.wait_reason),
        wait_booked=_time_figure(np.where(rows.booked, waits, np.nan), rows.wait_reason),
        wait_unbooked=_time_figure(np.where(rows.booked, np.nan, waits), rows.wait_reason),
        service_time=_time_figure(rows.service_minutes, rows.reason, fence_within=rows.service_id),
        expected_wait_error=_time_figure(
            np.abs(rows.since_arrival_minutes - rows.expected_wait_minutes), rows.wait_reason
        )
        if with_promises
        else summarise_minutes(minutes=[]),
    )


def _time_figure(
    minutes: np.ndarray, reasons: np.ndarray, *, fence_within: np.ndarray | None = None
) -> TimeFigure:
    """The figure of the rows that have a time, the untrusted ones counted
    as left out by reason; fenced for outliers within each group of
    `fence_within`, if given."""
    present = ~np.isnan(minutes)
    trusted = present & (reasons == TRUSTED)
    return summarise_minutes(
        minutes=minutes[trusted],
        left_out={
            NOT_ENDED_BY_STAFF: int(np.count_nonzero(present & (reasons == NOT_ENDED))),
            TIMES_WRONG: int(np.count_nonzero(present & (reasons == WRONG))),
        },
        fence=fence_within is not None,
        groups=None if fence_within is None else fence_within[trusted],
    )


def _by_day(key_of_day: Callable[[date], object]) -> Callable[[VisitTable], list[object]]:
    """A grouping by something of the day: worked out once per distinct day."""

    def keys(rows: VisitTable) -> list[object]:
        days, position = np.unique(rows.day, return_inverse=True)
        of_day = [key_of_day(EPOCH + timedelta(days=int(day))) for day in days]
        return [of_day[index] for index in position]

    return keys


def _by_number(column: Callable[[VisitTable], np.ndarray]) -> Callable[[VisitTable], list[object]]:
    def keys(rows: VisitTable) -> list[object]:
        return [None if value == NONE else value for value in column(rows).tolist()]

    return keys


# How rows are grouped: each gives the key of every row. Counting groups
# use the visit's own row; time figures use every row of the group.
GROUPINGS: dict[str, Callable[[VisitTable], list[object]]] = {
    "location": _by_number(lambda rows: rows.location_id),
    "service": _by_number(lambda rows: rows.service_id),
    "desk": _by_number(lambda rows: rows.desk_id),
    "day": _by_day(lambda day: day),
    "week": _by_day(lambda day: day.isocalendar()[:2]),
    "month": _by_day(lambda day: (day.year, day.month)),
    "quarter": _by_day(lambda day: (day.year, (day.month - 1) // 3 + 1)),
    "year": _by_day(lambda day: day.year),
    "weekday": _by_number(lambda rows: rows.weekday),
    "hour": _by_number(lambda rows: local_hours(rows.arrived)),
}


def measure_visits_by(rows: VisitTable, *, group_by: str) -> dict[object, VisitFigures]:
    """The figures of each group, in the order of their keys. Only a
    visit's first row counts it, so a transferred citizen counts once, in
    the group of the errand they came for; each row's times stay in the
    group of that row."""
    groups: dict[object, list[int]] = {}
    for position, key in enumerate(GROUPINGS[group_by](rows)):
        groups.setdefault(key, []).append(position)
    return {
        key: measure_visits(rows.take(np.array(groups[key], dtype=np.intp)), with_promises=False)
        for key in sorted(groups, key=_sort_key)
    }


def _sort_key(key: object) -> tuple[int, object]:
    return (1, 0) if key is None else (0, key)
