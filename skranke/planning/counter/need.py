"""How many desks the counter needs in each half hour of the days ahead:
the visits forecast (planning/demand.py) turned into desks with Erlang C
on the service times measured at the location.

Erlang C rather than the simulation for the need itself: the rota solver
wants a number per half hour, and the simulation answers "what would this
week look like" for a whole week of given desks, not "how few desks does
this half hour need". Erlang C answers that directly: the fewest desks
that start WAIT_SHARE of the citizens within WAIT_MINUTES, desks busy at
most MAX_OCCUPANCY of the time. Citizens are treated as arriving at
random, booked ones too, which errs on the side of more desks (booked
citizens come spread over their times). The page then checks the rota's
week with the simulation (`simulate_rota_week`), which does know bookings,
lateness and the queue's rules.

Each half hour is planned for more citizens than its forecast by as much
as the forecast may be off, as the telephones are
(forecast.arrivals_to_plan_for): desks planned for the mean fall short
in every half hour whose true mean is above it.

An open half hour always has a desk: a centre that is open is staffed.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, time

import numpy as np

from skranke.core.models import Location
from skranke.core.opening_hours import days_of
from skranke.core.schedule import read_schedule
from skranke.planning.counter.model import CounterModel, read_counter_model
from skranke.planning.counter.simulation import DeskPlan, WeekFigures, simulate_week
from skranke.planning.demand import forecast_visits
from skranke.planning.forecast import INTERVAL_MINUTES, INTERVALS, arrivals_to_plan_for
from skranke.planning.phones.erlang import ImpossibleLoad, Load, Targets, plan_erlang_c
from skranke.planning.rota.rota import Rota

WAIT_MINUTES = 10
WAIT_SHARE = 0.80
MAX_OCCUPANCY = 0.85
# Before any visit has been measured: a citizen service errand's usual length.
FALLBACK_MINUTES = 12.0


@dataclass(frozen=True)
class CounterNeed:
    need: dict[date, list[int]]  # desks per half hour, open days only
    arrivals: dict[date, np.ndarray]  # expected citizens per half hour
    planned: dict[date, np.ndarray]  # the citizens the desks are planned for, with the margin
    mean_minutes: float  # the service time the need was computed with
    model: CounterModel  # the counter's week, for the simulation


def plan_counter_need(
    *, location: Location, today: date, days: Sequence[date]
) -> CounterNeed | None:
    """Desks needed per half hour on those of `days` the location is open
    and has a forecast for; None without enough history to forecast."""
    if not days:
        return None
    demand = forecast_visits(
        location=location, today=today, days_ahead=max((max(days) - today).days, 0)
    )
    if demand is None:
        return None
    model = read_counter_model(location=location, today=today)
    mean_minutes = _mean_minutes(model=model, shares=demand.shares)
    forecasts = {day.day: day for day in demand.forecast.days}
    schedule = read_schedule(location=location, since=min(days))
    targets = Targets(
        answer_seconds=WAIT_MINUTES * 60,
        service_level=WAIT_SHARE,
        max_occupancy=MAX_OCCUPANCY,
        shrinkage=0.0,
    )
    need: dict[date, list[int]] = {}
    arrivals: dict[date, np.ndarray] = {}
    planned: dict[date, np.ndarray] = {}
    for hours in days_of(schedule=schedule, first_day=min(days), last_day=max(days)):
        forecast = forecasts.get(hours.day)
        if hours.day not in days or not hours.intervals or forecast is None:
            continue
        open_intervals = _open_intervals(hours.intervals)
        planned[hours.day] = np.array(
            [
                arrivals_to_plan_for(expected=float(expected), error=float(error))
                for expected, error in zip(
                    forecast.by_interval, forecast.interval_error, strict=True
                )
            ]
        )
        need[hours.day] = [
            _desks(float(planned[hours.day][interval]), mean_minutes, targets)
            if interval in open_intervals
            else 0
            for interval in range(INTERVALS)
        ]
        arrivals[hours.day] = forecast.by_interval
    return CounterNeed(
        need=need, arrivals=arrivals, planned=planned, mean_minutes=mean_minutes, model=model
    )


def simulate_rota_week(*, model: CounterModel, rota: Rota, runs: int = 10) -> WeekFigures | None:
    """The counter's week with the rota's staff instead of today's weekly
    shifts: each person a desk handling every service, at the desk outside
    their break. None when the history has nothing to simulate."""
    if not model.has_history or not model.week.services:
        return None
    services = frozenset(plan.service for plan in model.week.services)
    desks = tuple(
        DeskPlan(
            handles=services,
            hours={
                day.day.weekday(): tuple(
                    (start * INTERVAL_MINUTES, end * INTERVAL_MINUTES)
                    for start, end in shift.pattern.parts
                )
            },
        )
        for day in rota.days
        for shift in day.shifts
        for _person in range(shift.staff)
    )
    if not desks:
        return None
    return simulate_week(week=replace(model.week, desks=desks), runs=runs)


def _mean_minutes(*, model: CounterModel, shares: dict[object, float]) -> float:
    """The mean time at the desk, each service weighed by its share of the
    visits."""
    means = {
        plan.service: float(np.mean(plan.times)) for plan in model.week.services if len(plan.times)
    }
    weighed = [
        (share, means[service])
        for service, share in shares.items()
        if isinstance(service, int) and service in means
    ]
    total = sum(share for share, _mean in weighed)
    if not total:
        return FALLBACK_MINUTES
    return sum(share * mean for share, mean in weighed) / total


def _open_intervals(opening: Sequence[tuple[time, time]]) -> set[int]:
    """The half hours that overlap the opening hours."""
    found: set[int] = set()
    for opens, closes in opening:
        first = (opens.hour * 60 + opens.minute) // INTERVAL_MINUTES
        last = -(-(closes.hour * 60 + closes.minute) // INTERVAL_MINUTES)
        found.update(range(first, last))
    return found


def _desks(arrivals: float, mean_minutes: float, targets: Targets) -> int:
    if arrivals <= 0:
        return 1
    try:
        load = Load(
            calls=arrivals,
            interval_seconds=INTERVAL_MINUTES * 60,
            handling_seconds=mean_minutes * 60,
        )
        return max(plan_erlang_c(load=load, targets=targets).agents, 1)
    except ImpossibleLoad:
        return 1
