"""The rota: how many staff work each shift pattern on each day, so that
every half hour has the staff it needs, with as few hours as possible.

The need comes from elsewhere as `dict[date, list[int]]`, the staff
wanted in each of a day's 48 half hours: the counter's from
planning/counter_need.py, the telephones' from Erlang A (phones.py).
The solver knows neither; it covers numbers.

Each day is one small integer programme, solved with OR-Tools CP-SAT:

- a variable per usable pattern (its weekday allows it), bounded by the
  staff available for it that day;
- for each half hour, staff whose pattern works it (not on a break) plus
  the shortfall reach the need;
- when the number of desks is given, no more shifts than desks run at
  once (a shift holds its desk through its break);
- the objective is the hours worked plus a penalty for each missing
  staff member in each half hour, larger than the longest shift, so that
  any shift that fills a gap is worth its hours: the rota covers all it
  can, and among those that do, it is the one with the fewest hours.

Hours count the whole shift, break included, as a paid break is usual
in a municipal office; the saving against staffing for the peak is then
a lower bound.

Days are independent, so each is solved on its own within its share of
the time limit; a week of a town hall's patterns solves in milliseconds.

A manager may accept a little less than full cover (`cover_share`, say
98 % of the half hours): a second model over the whole week then finds
the fewest hours with at least that share of half hours fully covered
and none more than one desk short, starting from the full-cover rota.
"""

import math
import time as timer
from dataclasses import dataclass
from datetime import date, time
from typing import TYPE_CHECKING

from skranke.core.intervals import format_minutes
from skranke.planning.forecast import INTERVAL_MINUTES, INTERVALS

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

NeedByDay = dict[date, list[int]]


class RotaInputError(ValueError):
    """The need or the patterns cannot be planned with (wrong shape)."""


@dataclass(frozen=True)
class Pattern:
    """A shift pattern in half hours (planning.models.ShiftPattern, or a
    test's own)."""

    key: str
    name: str
    start: int  # the half hour it starts in, 0 = 00:00–00:30
    length: int  # half hours, the break included
    break_start: int = 0  # half hours after the start
    break_length: int = 0
    weekdays: frozenset[int] = frozenset(range(7))
    most_staff: int = 1
    # Patterns of one group (one ShiftPattern's start times) share its
    # staff: at most `most_staff` of them all on a day. Empty: on its own.
    group: str = ""

    def __post_init__(self) -> None:
        if self.length < 1 or self.start < 0 or self.start + self.length > INTERVALS:
            raise RotaInputError(f"pattern {self.name!r} does not fit in a day")
        if self.break_length and not (
            self.break_start > 0 and self.break_start + self.break_length < self.length
        ):
            raise RotaInputError(f"the break of pattern {self.name!r} is not inside it")

    @classmethod
    def variants(
        cls,
        *,
        key: int,
        name: str,
        starts: time,
        latest_start: time | None,
        length_minutes: int,
        break_minutes: int,
        break_after_minutes: int,
        weekdays: frozenset[int],
        most_staff: int,
    ) -> list["Pattern"]:
        """A ShiftPattern's fields as patterns, one per start time it
        allows (every half hour from `starts` to `latest_start`), all of
        one group. Its times must fall on half hours."""
        half = INTERVAL_MINUTES
        first = starts.hour * 60 + starts.minute
        last = first if latest_start is None else latest_start.hour * 60 + latest_start.minute
        if any(value % half for value in (first, last, length_minutes, break_minutes)) or (
            break_minutes and break_after_minutes % half
        ):
            raise RotaInputError(f"pattern {name!r} is not on the half hours")
        return [
            cls(
                key=f"{key}@{start // half}",
                name=name,
                start=start // half,
                length=length_minutes // half,
                break_start=break_after_minutes // half if break_minutes else 0,
                break_length=break_minutes // half,
                weekdays=weekdays,
                most_staff=most_staff,
                group=str(key),
            )
            for start in range(first, max(first, last) + 1, half)
            if start + length_minutes <= 24 * 60
        ]

    @property
    def end(self) -> int:
        return self.start + self.length

    @property
    def label(self) -> str:
        """ "08:00–16:00"."""
        return format_minutes(self.start * INTERVAL_MINUTES, self.end * INTERVAL_MINUTES)

    @property
    def break_label(self) -> str:
        """ "12:00–12:30", or empty without a break."""
        if not self.break_length:
            return ""
        first = self.start + self.break_start
        return format_minutes(
            first * INTERVAL_MINUTES, (first + self.break_length) * INTERVAL_MINUTES
        )

    @property
    def hours(self) -> float:
        return self.length * INTERVAL_MINUTES / 60

    def works(self, interval: int) -> bool:
        """Whether someone on this pattern is at the desk in `interval`."""
        if not self.start <= interval < self.end:
            return False
        offset = interval - self.start
        return not (self.break_start <= offset < self.break_start + self.break_length)

    @property
    def parts(self) -> list[tuple[int, int]]:
        """The half hours worked, [start, end), before and after the break."""
        if not self.break_length:
            return [(self.start, self.end)]
        resumes = self.start + self.break_start + self.break_length
        return [(self.start, self.start + self.break_start), (resumes, self.end)]


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


def plan_rota(
    *,
    need: NeedByDay,
    patterns: list[Pattern],
    desks: int | None = None,
    cover_share: float = 1.0,
    time_limit_seconds: float = 10,
) -> Rota:
    """The rota with the fewest hours that covers as much of `need` as
    the patterns allow (see the module's docstring). `desks`, if given, is
    the most shifts that may run at once.

    With `cover_share` below 1, a second step trades a few half hours for
    hours: the fewest hours such that at least that share of the half
    hours with a need are fully covered, and none is more than one desk
    short. When even the first step covers less, its rota stands."""
    _check_need(need)
    if not 0 < cover_share <= 1:
        raise RotaInputError("the share to cover is between 0 and 1")
    began = timer.perf_counter()
    days = sorted(need)
    usable = {
        day: [
            pattern
            for pattern in patterns
            if day.weekday() in pattern.weekdays and pattern.most_staff > 0
        ]
        for day in days
    }
    first_step = time_limit_seconds if cover_share == 1 else time_limit_seconds / 2
    optimal = True
    counts_by_day: dict[date, dict[Pattern, int]] = {}
    for index, day in enumerate(days):
        # Each day gets an equal share of what is left of the step's time.
        left = first_step - (timer.perf_counter() - began)
        share = max(left / (len(days) - index), 0.05)
        counts, solved_optimally = _solve_day(
            need=need[day], patterns=usable[day], desks=desks, seconds=share
        )
        optimal = optimal and solved_optimally
        counts_by_day[day] = counts
    if cover_share < 1:
        full = build_rota(need=need, counts=counts_by_day)
        required = full.required_intervals
        covered = required - len(full.uncovered)
        wanted = min(math.ceil(cover_share * required - 1e-9), covered)
        if wanted < covered:
            traded = _trade_half_hours(
                need=need,
                usable=usable,
                desks=desks,
                covered=wanted,
                hint=counts_by_day,
                seconds=max(time_limit_seconds - (timer.perf_counter() - began), 0.1),
            )
            if traded is not None:
                counts_by_day, optimal = traded[0], optimal and traded[1]
    rota = build_rota(need=need, counts=counts_by_day)
    return Rota(
        days=rota.days,
        solved_optimally=optimal,
        solve_seconds=timer.perf_counter() - began,
    )


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


def _check_need(need: NeedByDay) -> None:
    for day, counts in need.items():
        if len(counts) != INTERVALS or any(count < 0 for count in counts):
            raise RotaInputError(f"the need on {day} is not {INTERVALS} counts of zero or more")


def _solve_day(
    *, need: list[int], patterns: list[Pattern], desks: int | None, seconds: float
) -> tuple[dict[Pattern, int], bool]:
    if not any(need) or not patterns:
        return {}, True
    # OR-Tools is imported when a rota is solved, not with the module: it
    # takes ~80 MB and ~0.4 s, which every app process would otherwise pay
    # on its first request, whatever page that is.
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    staff = {
        pattern: model.new_int_var(0, pattern.most_staff, f"staff_{pattern.key}")
        for pattern in patterns
    }
    _share_staff(model, staff)
    # Larger than any shift's cost in half hours: a shift that fills even
    # one missing half hour is always worth taking.
    penalty = max(pattern.length for pattern in patterns) + 1
    shortfalls = []
    for interval, wanted in enumerate(need):
        at_desk = [staff[pattern] for pattern in patterns if pattern.works(interval)]
        if wanted > 0:
            short = model.new_int_var(0, wanted, f"short_{interval}")
            model.add(sum(at_desk) + short >= wanted)
            shortfalls.append(short)
        if desks is not None:
            holding = [
                staff[pattern] for pattern in patterns if pattern.start <= interval < pattern.end
            ]
            if holding:
                model.add(sum(holding) <= desks)
    model.minimize(
        sum(pattern.length * variable for pattern, variable in staff.items())
        + penalty * sum(shortfalls)
    )
    solver = _solver(seconds)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        # Zero staff is always feasible, so this is a solver failure.
        return {}, False
    counts = {pattern: int(solver.value(variable)) for pattern, variable in staff.items()}
    return counts, status == cp_model.OPTIMAL


def _trade_half_hours(
    *,
    need: NeedByDay,
    usable: dict[date, list[Pattern]],
    desks: int | None,
    covered: int,
    hint: dict[date, dict[Pattern, int]],
    seconds: float,
) -> tuple[dict[date, dict[Pattern, int]], bool] | None:
    """The fewest hours over the whole week with at least `covered` half
    hours fully covered and none more than one desk short; None if the
    solver finds no such rota in time. The full-cover rota is the hint."""
    from ortools.sat.python import cp_model  # see _solve_day

    model = cp_model.CpModel()
    staff: dict[tuple[date, Pattern], cp_model.IntVar] = {}
    for day, patterns in usable.items():
        for pattern in patterns:
            variable = model.new_int_var(0, pattern.most_staff, f"staff_{day}_{pattern.key}")
            model.add_hint(variable, hint.get(day, {}).get(pattern, 0))
            staff[(day, pattern)] = variable
        _share_staff(model, {pattern: staff[(day, pattern)] for pattern in patterns})
    fully: list[cp_model.IntVar] = []
    shortfalls: list[cp_model.IntVar] = []
    for day, wanted_by_interval in need.items():
        for interval, wanted in enumerate(wanted_by_interval):
            at_desk = [staff[(day, p)] for p in usable[day] if p.works(interval)]
            if desks is not None:
                holding = [staff[(day, p)] for p in usable[day] if p.start <= interval < p.end]
                if holding:
                    model.add(sum(holding) <= desks)
            if wanted <= 0:
                continue
            short = model.new_int_var(0, 1, f"short_{day}_{interval}")
            model.add(sum(at_desk) + short >= wanted)
            whole = model.new_bool_var(f"full_{day}_{interval}")
            model.add(short == 0).only_enforce_if(whole)
            fully.append(whole)
            shortfalls.append(short)
    model.add(sum(fully) >= covered)
    # Hours first; among rotas of equal hours, the one with fewest gaps.
    model.minimize(
        2 * sum(pattern.length * variable for (_day, pattern), variable in staff.items())
        + sum(shortfalls)
    )
    solver = _solver(seconds)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    chosen: dict[date, dict[Pattern, int]] = {day: {} for day in need}
    for (day, pattern), variable in staff.items():
        chosen[day][pattern] = int(solver.value(variable))
    return chosen, status == cp_model.OPTIMAL


def _share_staff(model: "cp_model.CpModel", staff: dict[Pattern, "cp_model.IntVar"]) -> None:
    """At most a group's `most_staff` on all its start times together."""
    groups: dict[str, list[Pattern]] = {}
    for pattern in staff:
        if pattern.group:
            groups.setdefault(pattern.group, []).append(pattern)
    for members in groups.values():
        if len(members) > 1:
            model.add(sum(staff[pattern] for pattern in members) <= members[0].most_staff)


def _solver(seconds: float) -> "cp_model.CpSolver":
    """A solver stopped after `seconds`, with one worker and a fixed seed:
    the same input gives the same rota."""
    from ortools.sat.python import cp_model  # see _solve_day

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 1
    return solver
