"""A rota: how many staff work each shift pattern on each day, and what
that gives: staff at the desk in each half hour against the need, the half
hours left short, the hours worked, and the hours a centre without a rota
would staff (every open half hour for the day's peak), which the page
shows the saving against.

The need comes from elsewhere as `NeedByDay`, the staff wanted in each of
a day's 48 half hours: the counter's from planning/counter/need.py, the
telephones' from Erlang A (planning/phones/need.py). The solver
(solver.py) finds a rota for it; a rota a manager reviewed is rebuilt
from its counts (`build_day`).

Hours count the whole shift, break included, as a paid break is usual
in a municipal office; the saving against staffing for the peak is then
a lower bound.
"""

from dataclasses import dataclass
from datetime import date

from skranke.core.intervals import format_minutes
from skranke.planning.forecast import INTERVAL_MINUTES, INTERVALS
from skranke.planning.rota.patterns import Pattern

NeedByDay = dict[date, list[int]]


@dataclass(frozen=True)
class PlannedShift:
    pattern: Pattern
    staff: int


@dataclass(frozen=True)
class RotaDay:
    day: date
    need: tuple[int, ...]
    planned: tuple[int, ...]  # staff at the desk per half hour
    shifts: tuple[PlannedShift, ...]

    @property
    def hours(self) -> float:
        return sum(shift.pattern.hours * shift.staff for shift in self.shifts)


@dataclass(frozen=True)
class Uncovered:
    day: date
    interval: int
    missing: int

    @property
    def label(self) -> str:
        return interval_label(self.interval)


@dataclass(frozen=True)
class Rota:
    days: tuple[RotaDay, ...]
    solved_optimally: bool
    solve_seconds: float

    @property
    def hours(self) -> float:
        return sum(day.hours for day in self.days)

    @property
    def uncovered(self) -> list[Uncovered]:
        return [
            Uncovered(day.day, interval, need - planned)
            for day in self.days
            for interval, (need, planned) in enumerate(zip(day.need, day.planned, strict=True))
            if planned < need
        ]

    @property
    def required_intervals(self) -> int:
        return sum(1 for day in self.days for need in day.need if need > 0)

    @property
    def covered_share(self) -> float:
        """The share of the half hours with a need that have all of it."""
        required = self.required_intervals
        return 1.0 if not required else 1 - len(self.uncovered) / required

    @property
    def peak_hours(self) -> float:
        return peak_hours({day.day: list(day.need) for day in self.days})


def interval_label(interval: int) -> str:
    """ "10:00–10:30" for the half hour starting at 10:00."""
    return format_minutes(interval * INTERVAL_MINUTES, (interval + 1) * INTERVAL_MINUTES)


def peak_hours(need: NeedByDay) -> float:
    """The hours of staffing every open half hour of a day for that day's
    peak, as a centre without a rota would: open being from the first half
    hour with a need to the last."""
    total = 0.0
    for counts in need.values():
        open_intervals = [index for index, count in enumerate(counts) if count > 0]
        if open_intervals:
            span = open_intervals[-1] - open_intervals[0] + 1
            total += max(counts) * span * INTERVAL_MINUTES / 60
    return total


def build_rota(*, need: NeedByDay, counts: dict[date, dict[Pattern, int]]) -> Rota:
    return Rota(
        days=tuple(
            build_day(day=day, need=need[day], counts=counts.get(day, {})) for day in sorted(need)
        ),
        solved_optimally=True,
        solve_seconds=0.0,
    )


def build_day(*, day: date, need: list[int], counts: dict[Pattern, int]) -> RotaDay:
    """A day of a rota from how many staff work each pattern: what the
    solver returns, and what a reviewed rota is rebuilt from."""
    planned = [
        sum(staff for pattern, staff in counts.items() if pattern.works(interval))
        for interval in range(INTERVALS)
    ]
    shifts = tuple(
        PlannedShift(pattern, staff)
        for pattern, staff in sorted(counts.items(), key=lambda item: _order(item[0]))
        if staff > 0
    )
    return RotaDay(day=day, need=tuple(need), planned=tuple(planned), shifts=shifts)


def _order(pattern: Pattern) -> tuple[int, int, str]:
    return pattern.start, pattern.length, pattern.name
