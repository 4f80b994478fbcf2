"""What a week at the counter would look like: a discrete-event simulation
that a manager runs before changing minutes, desks or opening hours.

Each day of the week is played out minute by minute, as events:

- Times are offered by filling each desk's hours with the services it
  handles, in the proportions citizens ask for them, every time on the
  service's slot grid (as booking offers them). A service's share of the
  times held back for the same day stays free.
- Citizens book as many of those times as the demand for the service
  that day (a Poisson draw around its mean); the rest stay empty. Some
  never come (the measured no-show share); the others arrive as late or
  as early as booked citizens measurably do.
- Citizens without a booking arrive at random through the opening hours.
- A desk that is free calls whoever `queueing.policy.next_visit` says:
  the policy the desks use, not a copy of it. Serving takes a time drawn
  from the service's measured times. Nobody present is sent home: a desk
  whose hours have ended serves those still waiting (overtime).

One run is one random week; `simulate_week` plays many and reports each
figure's mean with the spread between runs (the 10th and 90th
percentile), so a manager can tell a real difference from chance.

Nothing here reads the database or the clock (planning/counter/model.py
builds the week from the history).
"""

import heapq
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

import numpy as np

from skranke.core.models import slot_step_for
from skranke.queueing.policy import Waiting, next_visit

Window = tuple[int, int]  # [start, end) in minutes from midnight
# The policy reasons in moments; the simulated day's midnight is this one.
MIDNIGHT = datetime(2001, 1, 1, tzinfo=UTC)
OVERTIME_LIMIT = 120  # minutes a desk goes on past its hours for those still waiting


@dataclass(frozen=True)
class ServicePlan:
    service: int
    minutes: int  # the length a booking is given
    slot_step: int  # minutes between the times offered
    times: np.ndarray  # measured minutes at the desk, drawn from
    bookings_per_day: Mapping[int, float]  # weekday → citizens who want a time
    walk_ins_per_day: Mapping[int, float]  # weekday → citizens who come without one
    held_back_share: float = 0.0  # of its times, kept free for the same day
    explicit_step: int | None = None  # the grid set by hand, which other lengths keep


@dataclass(frozen=True)
class DeskPlan:
    handles: frozenset[int]
    hours: Mapping[int, tuple[Window, ...]]  # weekday → the desk's shifts
    name: str = ""  # for the manager reading a scenario, not the simulation


@dataclass(frozen=True)
class CounterWeek:
    opening: Mapping[int, tuple[Window, ...]]  # weekday → opening hours
    services: tuple[ServicePlan, ...]
    desks: tuple[DeskPlan, ...]
    lateness: np.ndarray  # minutes booked citizens arrived after their time (negative: before)
    no_show_share: float
    on_time_minutes: int  # as the statistics count "served on time"

    def with_minutes(self, minutes: Mapping[int, int]) -> "CounterWeek":
        """The same week with other lengths for some services."""
        return replace(
            self,
            services=tuple(
                replace(
                    plan,
                    minutes=minutes[plan.service],
                    slot_step=slot_step_for(
                        minutes=minutes[plan.service], explicit=plan.explicit_step
                    ),
                )
                if plan.service in minutes
                else plan
                for plan in self.services
            ),
        )


@dataclass
class WeekRun:
    """One simulated week, added up day by day as it is played."""

    times_offered: int = 0
    booked: int = 0
    came_in_time: int = 0
    on_time: int = 0
    walk_in_waits: list[float] = field(default_factory=list)
    desk_minutes: float = 0.0  # inside the desks' hours
    busy_minutes: float = 0.0  # of those, with a citizen at the desk
    overtime_minutes: float = 0.0
    days: int = 0

    @property
    def idle_minutes(self) -> float:
        return self.desk_minutes - self.busy_minutes

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.came_in_time if self.came_in_time else None

    @property
    def idle_share(self) -> float | None:
        return self.idle_minutes / self.desk_minutes if self.desk_minutes else None


@dataclass(frozen=True)
class Spread:
    mean: float | None
    low: float | None  # 10th percentile over runs
    high: float | None  # 90th

    @classmethod
    def of(cls, values: Sequence[float | None]) -> "Spread":
        known = np.array([value for value in values if value is not None], dtype=float)
        if not len(known):
            return cls(None, None, None)
        return cls(
            float(known.mean()), float(np.percentile(known, 10)), float(np.percentile(known, 90))
        )


@dataclass(frozen=True)
class WeekFigures:
    """A scenario's figures over many runs."""

    runs: int
    on_time_share: Spread
    walk_in_wait_median: Spread
    walk_in_wait_p90: Spread
    idle_share: Spread
    times_offered_per_day: Spread
    booked_per_day: Spread
    overtime_minutes_per_day: Spread

    def as_dict(self) -> dict[str, object]:
        return {
            "runs": self.runs,
            **{
                name: {"mean": spread.mean, "low": spread.low, "high": spread.high}
                for name, spread in vars(self).items()
                if isinstance(spread, Spread)
            },
        }


def simulate_week(*, week: CounterWeek, runs: int = 30, seed: int = 1) -> WeekFigures:
    """`runs` random weeks of `week`, summed up. The same seed gives the
    same figures, so two scenarios compared with one seed differ by what
    was changed, not by the dice (common random numbers)."""
    results = [
        simulate_one_week(week=week, rng=np.random.default_rng([seed, run])) for run in range(runs)
    ]

    def per_day(value: float, run: WeekRun) -> float | None:
        return value / run.days if run.days else None

    return WeekFigures(
        runs=runs,
        on_time_share=Spread.of([run.on_time_share for run in results]),
        walk_in_wait_median=Spread.of([_percentile(run.walk_in_waits, 50) for run in results]),
        walk_in_wait_p90=Spread.of([_percentile(run.walk_in_waits, 90) for run in results]),
        idle_share=Spread.of([run.idle_share for run in results]),
        times_offered_per_day=Spread.of([per_day(run.times_offered, run) for run in results]),
        booked_per_day=Spread.of([per_day(run.booked, run) for run in results]),
        overtime_minutes_per_day=Spread.of([per_day(run.overtime_minutes, run) for run in results]),
    )


def simulate_one_week(*, week: CounterWeek, rng: np.random.Generator) -> WeekRun:
    run = WeekRun()
    for weekday in sorted(week.opening):
        if week.opening[weekday]:
            _simulate_day(week=week, weekday=weekday, rng=rng, run=run)
    return run


@dataclass(frozen=True)
class _Citizen:
    waiting: Waiting
    arrives: float  # minutes from midnight
    due: float | None
    serving: float  # minutes it will take


def _simulate_day(
    *, week: CounterWeek, weekday: int, rng: np.random.Generator, run: WeekRun
) -> None:
    opening = week.opening[weekday]
    windows = [_inside(desk.hours.get(weekday, ()), opening) for desk in week.desks]
    plans = {plan.service: plan for plan in week.services}
    slots = _offer_times(week=week, weekday=weekday, windows=windows, rng=rng)
    run.days += 1
    run.times_offered += sum(len(desk_slots) for desk_slots in slots)
    citizens: list[_Citizen] = []
    wanted = {
        plan.service: int(rng.poisson(plan.bookings_per_day.get(weekday, 0.0)))
        for plan in week.services
    }
    for service, plan in plans.items():
        times = [start for desk_slots in slots for start, booked in desk_slots if booked == service]
        chosen = rng.permutation(len(times))[: wanted[service]]
        run.booked += len(chosen)
        for index in chosen:
            if rng.random() < week.no_show_share:
                continue
            due = float(times[index])
            late = float(rng.choice(week.lateness)) if len(week.lateness) else 0.0
            citizens.append(_citizen(len(citizens), plan, due + late, due, rng))
    for plan in week.services:
        mean = plan.walk_ins_per_day.get(weekday, 0.0)
        open_minutes = sum(end - start for start, end in opening)
        for _ in range(int(rng.poisson(mean))):
            at = rng.uniform(0, open_minutes)
            for start, end in opening:
                if at < end - start:
                    citizens.append(_citizen(len(citizens), plan, start + at, None, rng))
                    break
                at -= end - start
    _play_day(week=week, citizens=citizens, windows=windows, closing=opening[-1][1], run=run)


def _citizen(
    number: int, plan: ServicePlan, arrives: float, due: float | None, rng: np.random.Generator
) -> _Citizen:
    serving = float(rng.choice(plan.times)) if len(plan.times) else float(plan.minutes)
    return _Citizen(
        waiting=Waiting(
            visit=number,
            service=plan.service,
            arrived_at=MIDNIGHT + timedelta(minutes=arrives),
            minutes=plan.minutes,
            due_at=None if due is None else MIDNIGHT + timedelta(minutes=due),
        ),
        arrives=arrives,
        due=due,
        serving=max(serving, 0.5),
    )


def _offer_times(
    *,
    week: CounterWeek,
    weekday: int,
    windows: list[list[Window]],
    rng: np.random.Generator,
) -> list[list[tuple[int, int | None]]]:
    """Each desk's times that day, as (start, service), in the proportions
    citizens ask for the services; None marks a time held back for the
    same day."""
    demand = {
        plan.service: plan.bookings_per_day.get(weekday, 0.0)
        for plan in week.services
        if plan.bookings_per_day.get(weekday, 0.0) > 0
    }
    plans = {plan.service: plan for plan in week.services}
    offered: list[list[tuple[int, int | None]]] = []
    for desk, desk_windows in zip(week.desks, windows, strict=True):
        mine = [service for service in demand if service in desk.handles]
        weights = np.array([demand[service] for service in mine])
        desk_slots: list[tuple[int, int | None]] = []
        for start, end in desk_windows:
            moment = start
            while mine:
                # The next time goes to a service in proportion to its demand,
                # among those that still fit before the shift ends.
                fits = [
                    index
                    for index, service in enumerate(mine)
                    if _on_grid(moment, plans[service].slot_step) + plans[service].minutes <= end
                ]
                if not fits:
                    break
                chance = weights[fits] / weights[fits].sum()
                plan = plans[mine[int(rng.choice(fits, p=chance))]]
                begins = _on_grid(moment, plan.slot_step)
                held = rng.random() < plan.held_back_share
                desk_slots.append((begins, None if held else plan.service))
                moment = begins + plan.minutes
        offered.append(desk_slots)
    return offered


def _play_day(
    *,
    week: CounterWeek,
    citizens: list[_Citizen],
    windows: list[list[Window]],
    closing: int,
    run: WeekRun,
) -> None:
    arrivals = sorted(citizens, key=lambda citizen: (citizen.arrives, citizen.waiting.visit))
    by_visit = {citizen.waiting.visit: citizen for citizen in citizens}
    present: list[Waiting] = []
    admitted = 0
    events: list[tuple[float, int]] = []  # (moment, desk) a desk looks for someone to call
    for desk, desk_windows in enumerate(windows):
        if desk_windows:
            heapq.heappush(events, (float(desk_windows[0][0]), desk))
            run.desk_minutes += sum(end - start for start, end in desk_windows)
    while events:
        moment, desk = heapq.heappop(events)
        while admitted < len(arrivals) and arrivals[admitted].arrives <= moment:
            present.append(arrivals[admitted].waiting)
            admitted += 1
        handles = week.desks[desk].handles
        desk_windows = windows[desk]
        last_end = desk_windows[-1][1]
        if moment >= last_end:
            # After its hours a desk leaves, unless it is among the last
            # and citizens are still waiting: they are served (overtime).
            if last_end < closing or moment >= last_end + OVERTIME_LIMIT:
                continue
        elif not any(start <= moment < end for start, end in desk_windows):
            following = next(start for start, _end in desk_windows if start > moment)
            heapq.heappush(events, (float(following), desk))
            continue
        chosen = next_visit(
            handles=handles, now=MIDNIGHT + timedelta(minutes=moment), waiting=present
        )
        if chosen is None:
            # Nobody to call: look again when the next citizen it could
            # call arrives.
            later = next(
                (c.arrives for c in arrivals[admitted:] if c.waiting.service in handles), None
            )
            if later is not None and moment < last_end:
                heapq.heappush(events, (max(later, moment), desk))
            continue
        present.remove(chosen)
        citizen = by_visit[chosen.visit]
        done = moment + citizen.serving
        run.busy_minutes += _overlap((moment, done), desk_windows)
        run.overtime_minutes += max(0.0, done - max(moment, last_end))
        if citizen.due is None:
            run.walk_in_waits.append(moment - citizen.arrives)
        elif citizen.arrives <= citizen.due:
            run.came_in_time += 1
            run.on_time += moment <= citizen.due + week.on_time_minutes
        heapq.heappush(events, (done, desk))


def _inside(shifts: Sequence[Window], opening: Sequence[Window]) -> list[Window]:
    """The parts of a desk's shifts inside the opening hours, in order."""
    parts = [(max(a, c), min(b, d)) for a, b in shifts for c, d in opening if max(a, c) < min(b, d)]
    return sorted(parts)


def _overlap(span: tuple[float, float], windows: Sequence[Window]) -> float:
    return sum(max(0.0, min(span[1], end) - max(span[0], start)) for start, end in windows)


def _on_grid(moment: int, step: int) -> int:
    return math.ceil(moment / step) * step


def _percentile(values: list[float], share: float) -> float | None:
    return float(np.percentile(values, share)) if values else None
