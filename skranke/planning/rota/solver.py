"""The rota with the fewest hours that covers the need: how many staff
work each shift pattern on each day, so that every half hour has the
staff it needs. The solver knows neither the counter nor the telephones;
it covers numbers.

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

Days are independent, so each is solved on its own within its share of
the time limit; a week of a town hall's patterns solves in milliseconds
(bench/rota.py measures it).

A manager may accept a little less than full cover (`cover_share`, say
98 % of the half hours): a second model over the whole week then finds
the fewest hours with at least that share of half hours fully covered
and none more than one desk short, starting from the full-cover rota.
"""

import math
import time as timer
from datetime import date
from typing import TYPE_CHECKING

from skranke.planning.forecast import INTERVALS
from skranke.planning.rota.patterns import Pattern, RotaInputError
from skranke.planning.rota.rota import NeedByDay, Rota, build_rota

if TYPE_CHECKING:
    from ortools.sat.python import cp_model


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
