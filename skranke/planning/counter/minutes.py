"""How many minutes each service needs: from the cleaned service times of
the last months (statistics' robust figures), the percentile at which a
minute of a citizen's waiting and a minute of an idle desk cost the same,
placed on the slot grid.

Booking a service for its median leaves half the citizens running over
into the next booked time; booking it for its longest leaves the desk
idle. If a minute of waiting costs `wait_cost` and an idle minute
`idle_cost`, the expected cost of a length L is lowest where the share of
visits longer than L is idle_cost / (wait_cost + idle_cost), the
newsvendor's critical fractile: at the p-th percentile with
p = wait_cost / (wait_cost + idle_cost). Four to one gives the 80th.

What a length costs the desk is not the length, though, but the desk time
the slot grid makes of it (slot_grid.py): 13 minutes on a 10-minute grid
hold the desk for 20, as 20 minutes do. So the recommendation weighs each
length's waiting past its end against its idle time up to its desk time
(choose_minutes), and 13 minutes are never recommended where 20 cost the
desk no more: the percentile is where the weighing starts, the grid
decides where it ends.

A service with few times of its own rests on what service_times.py says
(a wider window, its ticket group's times, its own shrunk toward the
group's, or nothing), and the advice says which.
"""

import functools
import math
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import NormalDist

import numpy as np

from skranke.core.models import Service
from skranke.planning.counter.minutes_change import MOST_MINUTES
from skranke.planning.counter.service_times import (
    FEWEST_VISITS,
    NONE,
    SHRUNK,
    TICKET_GROUP,
    WIDER_WEEKS,
    MeasuredTimes,
    collect_service_times,
    measure_service_times,
    short_of_times,
)
from skranke.planning.counter.simulation import CounterWeek
from skranke.planning.counter.slot_grid import SlotFit, desk_minutes_for, fit_on_grid
from skranke.stats.robust import TimeFigure
from skranke.stats.visits import VisitTable, read_visits

DEFAULT_WAIT_COST = 4.0
DEFAULT_IDLE_COST = 1.0
CONFIDENCE = 0.9  # of the interval shown around the percentile
# A fit shrunk toward the group advises only when 19 of 20 such fits land
# within 15 % of the service's true percentile: else a manager is better
# served by "no advice" than by a guess. (A service with FEWEST_VISITS of
# its own times rests on them whatever their spread.)
ADVICE_WITHIN = 0.15
ADVICE_SHARE = 0.95


@dataclass(frozen=True)
class MinutesAdvice:
    service: Service
    figure: TimeFigure  # the service's own cleaned times over `weeks`
    weeks: int  # of its own history looked at
    share: float  # the percentile recommended, 0–1
    # What it rests on (service_times.py): "service", "wider_window",
    # "ticket_group", "shrunk" or "none".
    based_on: str
    percentile_minutes: float | None  # the estimate of that percentile of its times
    low: float | None  # the CONFIDENCE interval of the estimate; None: unbounded or unknown
    high: float | None
    used: int  # the times the estimate rests on: its own, or its group's when borrowed
    median_ratio: float | None  # its median over its group's, when it was compared
    recommended_minutes: int | None  # whole minutes, on the grid
    today: SlotFit  # the minutes it is booked for now, on their grid
    recommended: SlotFit | None

    @property
    def too_few(self) -> bool:
        return self.figure.used < FEWEST_VISITS

    @property
    def change(self) -> int | None:
        if self.recommended_minutes is None:
            return None
        return self.recommended_minutes - self.service.duration_minutes


def recommended_share(*, wait_cost: float, idle_cost: float) -> float:
    if wait_cost <= 0 or idle_cost <= 0:
        raise ValueError("both costs must be positive")
    return wait_cost / (wait_cost + idle_cost)


def advise_minutes(
    *,
    location_ids: list[int],
    services: list[Service],
    first: date,
    end: date,
    wait_cost: float = DEFAULT_WAIT_COST,
    idle_cost: float = DEFAULT_IDLE_COST,
) -> list[MinutesAdvice]:
    """Advice for each of `services` from their visits at the locations on
    the days [first, end), and over WIDER_WEEKS before `end` for those
    with too few (recommend_minutes)."""
    rows = read_visits(location_ids=location_ids, first=first, end=end)
    short = short_of_times(collect_service_times(rows=rows, services=services))
    return recommend_minutes(
        rows=rows,
        services=services,
        wait_cost=wait_cost,
        idle_cost=idle_cost,
        wider_rows=read_visits(
            location_ids=location_ids,
            first=end - timedelta(weeks=WIDER_WEEKS),
            end=end,
            service_ids=short,
        )
        if short
        else None,
        recent_weeks=(end - first).days // 7,
    )


def recommend_minutes(
    *,
    rows: VisitTable,
    services: list[Service],
    wait_cost: float = DEFAULT_WAIT_COST,
    idle_cost: float = DEFAULT_IDLE_COST,
    wider_rows: VisitTable | None = None,
    week: CounterWeek | None = None,
    recent_weeks: int = 0,
) -> list[MinutesAdvice]:
    """Advice for each of `services` from the visit rows (and `wider_rows`,
    the visits over WIDER_WEEKS of the services short of times). With the
    place's `week`, each length's times a day per desk."""
    measured = measure_service_times(
        services=services,
        recent=collect_service_times(rows=rows, services=services),
        wider=None
        if wider_rows is None
        else collect_service_times(rows=wider_rows, services=services),
        recent_weeks=recent_weeks,
    )
    return advise_on_times(
        services=services, measured=measured, wait_cost=wait_cost, idle_cost=idle_cost, week=week
    )


def advise_on_times(
    *,
    services: list[Service],
    measured: dict[int, MeasuredTimes],
    wait_cost: float = DEFAULT_WAIT_COST,
    idle_cost: float = DEFAULT_IDLE_COST,
    week: CounterWeek | None = None,
) -> list[MinutesAdvice]:
    """Advice for each of `services` from what its times rest on."""
    share = recommended_share(wait_cost=wait_cost, idle_cost=idle_cost)
    advice = []
    for service in services:
        times = measured[service.pk]
        value, low, high = estimate_percentile(times=times, share=share)
        # A fit too uncertain to advise on is no advice, and says so.
        based_on = NONE if value is None else times.based_on
        minutes = (
            None
            if value is None
            else choose_minutes(
                times=times.times,
                wait_cost=wait_cost,
                idle_cost=idle_cost,
                explicit_step=service.slot_step_minutes,
            )
        )
        advice.append(
            MinutesAdvice(
                service=service,
                figure=times.own.figure,
                weeks=times.weeks,
                share=share,
                based_on=based_on,
                percentile_minutes=value,
                low=low,
                high=high,
                used=times.group_used if times.based_on == TICKET_GROUP else times.own.used,
                median_ratio=times.median_ratio,
                recommended_minutes=minutes,
                today=fit_on_grid(
                    minutes=service.duration_minutes,
                    explicit_step=service.slot_step_minutes,
                    week=week,
                    service=service.pk,
                ),
                recommended=None
                if minutes is None
                else fit_on_grid(
                    minutes=minutes,
                    explicit_step=service.slot_step_minutes,
                    week=week,
                    service=service.pk,
                ),
            )
        )
    return advice


def estimate_percentile(
    *, times: MeasuredTimes, share: float
) -> tuple[float | None, float | None, float | None]:
    """The `share` percentile of the service's times and its CONFIDENCE
    interval: from the order statistics of its own times, from the fit
    when shrunk; a borrowed percentile is the group's, with no interval
    for the service. None for a service without advice, and for a fit
    less precise than the percentile of FEWEST_VISITS of its own times
    or than ADVICE_WITHIN in ADVICE_SHARE of cases."""
    if times.based_on == NONE:
        return None, None, None
    if times.based_on == SHRUNK and times.fit is not None:
        fit = times.fit
        log_value = math.log(fit.quantile(share))
        # The level's variance, and the spread's (s² / 2ν) times z².
        z_share = _normal_quantile(share)
        error = math.sqrt(
            fit.level_variance + z_share**2 * fit.spread**2 / (2 * fit.spread_freedom)
        )
        if error > min(
            percentile_error(share=share, spread=fit.spread, count=FEWEST_VISITS),
            math.log(1 + ADVICE_WITHIN) / _normal_quantile((1 + ADVICE_SHARE) / 2),
        ):
            return None, None, None
        z = _normal_quantile((1 + CONFIDENCE) / 2)
        return (
            math.exp(log_value),
            math.exp(log_value - z * error),
            math.exp(log_value + z * error),
        )
    value = float(np.percentile(times.times, share * 100))
    if times.based_on == TICKET_GROUP:
        return value, None, None
    low, high = percentile_interval(sorted_times=times.times, share=share)
    return value, low, high


def percentile_error(*, share: float, spread: float, count: int) -> float:
    """The standard error, on the log scale, of the `share` percentile of
    `count` times whose logarithms are normal with `spread`: the
    percentile's usual large-sample variance, p(1 - p) / (n f(q)²)."""
    density = NormalDist().pdf(_normal_quantile(share))
    return math.sqrt(share * (1 - share)) / density * spread / math.sqrt(count)


def percentile_interval(
    *, sorted_times: np.ndarray, share: float, confidence: float = CONFIDENCE
) -> tuple[float | None, float | None]:
    """The interval between two of the sorted times that holds the true
    `share` percentile with at least `confidence`, whatever the
    distribution: the number of times below it is binomial (n, share).
    None for an end the times cannot bound."""
    count = len(sorted_times)
    if not count:
        return None, None
    below = _binomial_cdf(count=count, share=share)  # P(at most k of them below it)
    tail = (1 - confidence) / 2
    # The lowest time bounds it when at most `lower` of the others can be
    # below it by chance; the highest likewise from above.
    lower = int(np.searchsorted(below, tail, side="right")) - 1
    upper = int(np.searchsorted(below, 1 - tail, side="left"))
    return (
        float(sorted_times[lower]) if lower >= 0 else None,
        float(sorted_times[upper]) if upper < count else None,
    )


def choose_minutes(
    *, times: np.ndarray, wait_cost: float, idle_cost: float, explicit_step: int | None
) -> int:
    """The length from 1 to MOST_MINUTES with the lowest expected cost over
    `times`: waiting past the length at `wait_cost` (on a desk shared with
    other services the next booking may start right at its end), idle up
    to its desk time on the grid at `idle_cost` (the rest of the grid's
    step is idle at worst). Of lengths with the same desk time the longest
    costs least, so only those are weighed."""
    lengths, desk = _longest_per_desk_time(explicit_step)
    over = np.maximum(times[np.newaxis, :] - lengths[:, np.newaxis], 0.0)
    under = np.maximum(desk[:, np.newaxis] - times[np.newaxis, :], 0.0)
    cost = (wait_cost * over + idle_cost * under).mean(axis=1)
    # Costs equal but for rounding count as equal: the shortest length wins.
    return int(lengths[int(np.argmin(np.round(cost, 9)))])


@functools.cache
def _longest_per_desk_time(explicit_step: int | None) -> tuple[np.ndarray, np.ndarray]:
    """For each desk time some length from 1 to MOST_MINUTES has on its
    grid, the longest such length, and that desk time, by length."""
    longest: dict[int, int] = {}
    for minutes in range(1, MOST_MINUTES + 1):
        longest[desk_minutes_for(minutes=minutes, explicit_step=explicit_step)] = minutes
    lengths = sorted(longest.values())
    desk = [desk_minutes_for(minutes=minutes, explicit_step=explicit_step) for minutes in lengths]
    return np.array(lengths, dtype=float), np.array(desk, dtype=float)


def _binomial_cdf(*, count: int, share: float) -> np.ndarray:
    """P(X ≤ k) for k = 0 … count - 1, X binomial (count, share), summed in
    logarithms: a year of passports is thousands of terms."""
    k = np.arange(count + 1)
    steps = np.log(np.arange(count, 0, -1)) - np.log(np.arange(1, count + 1))
    log_choose = np.concatenate([[0.0], np.cumsum(steps)])
    log_pmf = log_choose + k * math.log(share) + (count - k) * math.log1p(-share)
    pmf = np.exp(log_pmf - log_pmf.max())
    return np.cumsum(pmf / pmf.sum())[:-1]


def _normal_quantile(share: float) -> float:
    return NormalDist().inv_cdf(share)
