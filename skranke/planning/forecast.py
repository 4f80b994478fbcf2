"""How many citizens will come, and how many will call: per day and per
half hour, from the history.

A day's count is its weekday's factor × a level that follows the trend ×
the lift of any event a manager has entered (an election, a passport
wave). The level is Holt's exponential smoothing with a damped trend
(statsmodels), fitted to the history's open days with the weekday and
the events divided out, so a closed holiday is not a day of low demand
and last spring's election does not raise next spring. Within the day,
each weekday's own profile of half hours spreads the count.

The backtest answers "how far off would this have been": for each of the
last weeks of the history, the forecast made the day before that week
began, against what came.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from warnings import catch_warnings, simplefilter

import numpy as np

from skranke.stats.local_time import local_days, local_minutes
from skranke.stats.visits import EPOCH

INTERVAL_MINUTES = 30
INTERVALS = 24 * 60 // INTERVAL_MINUTES
FEWEST_DAYS = 10  # fewer open days than this and the smoothing has nothing to follow
BACKTEST_WEEKS = 8


@dataclass(frozen=True)
class Lift:
    """An event's expected effect: counts on [first, last] times `factor`."""

    first: date
    last: date
    factor: float


@dataclass(frozen=True)
class DayForecast:
    day: date
    expected: float
    by_interval: np.ndarray  # INTERVALS entries, the day's expected count per half hour
    actual: int | None  # once the day has passed


@dataclass(frozen=True)
class Forecast:
    days: list[DayForecast]
    backtest_error: float | None  # mean absolute percentage error of daily totals, 0–1
    backtest_days: int


class TooLittleHistory(ValueError):
    pass


def forecast_arrivals(
    *,
    arrivals: np.ndarray,
    history_days: Sequence[date],
    days: Sequence[date],
    lifts: Sequence[Lift] = (),
    today: date,
    backtest_weeks: int = BACKTEST_WEEKS,
) -> Forecast:
    """The expected arrivals on each of `days` (open days to come or gone),
    from `arrivals` (moments, seconds since the epoch) on the open
    `history_days`. Days before `today` also get what actually came."""
    counts, profiles = _count(arrivals=arrivals, history_days=history_days)
    known = [day for day in history_days if day < min(days, default=today)]
    expected = predict_days(counts={day: counts[day] for day in known}, days=days, lifts=lifts)
    error, tried = backtest(counts=counts, lifts=lifts, weeks=backtest_weeks)
    return Forecast(
        days=[
            DayForecast(
                day=day,
                expected=value,
                by_interval=value * profiles[day.weekday()],
                actual=counts.get(day) if day < today else None,
            )
            for day, value in zip(days, expected, strict=True)
        ],
        backtest_error=error,
        backtest_days=tried,
    )


def predict_days(
    *, counts: dict[date, int], days: Sequence[date], lifts: Sequence[Lift] = ()
) -> list[float]:
    """The expected count on each of `days` after the open days in `counts`."""
    # A day an event closed (a lift of −100 %) says nothing of the level.
    history = sorted(day for day in counts if _lift(day, lifts) > 0)
    if len(history) < FEWEST_DAYS:
        raise TooLittleHistory(len(history))
    values = np.array([counts[day] / _lift(day, lifts) for day in history], dtype=float)
    weekdays = np.array([day.weekday() for day in history])
    overall = values.mean()
    factors = {
        weekday: values[weekdays == weekday].mean() / overall if overall else 1.0
        for weekday in range(7)
        if np.any(weekdays == weekday)
    }
    level = values / np.array([factors[day] or 1.0 for day in weekdays])
    ahead = [day for day in days if day > history[-1]]
    steps = _smooth(level, horizon=len(ahead)) if ahead else np.zeros(0)
    step_of = dict(zip(ahead, steps, strict=True))
    last_level = float(steps[0]) if len(steps) else float(level[-1])
    return [
        max(0.0, step_of.get(day, last_level) * factors.get(day.weekday(), 0.0) * _lift(day, lifts))
        for day in days
    ]


def backtest(
    *, counts: dict[date, int], lifts: Sequence[Lift] = (), weeks: int = BACKTEST_WEEKS
) -> tuple[float | None, int]:
    """The mean absolute percentage error of forecasting each of the last
    `weeks` weeks of `counts` from the days before it, and how many days
    it was measured on."""
    history = sorted(counts)
    if not history:
        return None, 0
    errors = []
    for week in range(weeks, 0, -1):
        first = history[-1] - timedelta(days=7 * week - 1)
        before = {day: count for day, count in counts.items() if day < first}
        target = [day for day in history if first <= day < first + timedelta(days=7)]
        if len(before) < FEWEST_DAYS or not target:
            continue
        predicted = predict_days(counts=before, days=target, lifts=lifts)
        errors += [
            abs(value - counts[day]) / counts[day]
            for day, value in zip(target, predicted, strict=True)
            if counts[day]
        ]
    return (float(np.mean(errors)) if errors else None), len(errors)


def _smooth(level: np.ndarray, *, horizon: int) -> np.ndarray:
    # statsmodels is imported here: it takes a second to load, and only
    # the planning pages need it.
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    with catch_warnings():
        # A short or flat history gives "optimisation did not converge"
        # warnings; the fit is still the best it found.
        simplefilter("ignore")
        model = ExponentialSmoothing(
            level, trend="add", damped_trend=True, initialization_method="estimated"
        )
        fitted = model.fit()
    return np.asarray(fitted.forecast(horizon), dtype=float)


def _count(
    *, arrivals: np.ndarray, history_days: Sequence[date]
) -> tuple[dict[date, int], dict[int, np.ndarray]]:
    """Arrivals per open day, and each weekday's share per half hour."""
    day_numbers = local_days(arrivals)
    slots = local_minutes(arrivals) // INTERVAL_MINUTES
    numbers, per_number = np.unique(day_numbers, return_counts=True)
    found = dict(zip(numbers.tolist(), per_number.tolist(), strict=True))
    counts = {day: int(found.get((day - EPOCH).days, 0)) for day in history_days}
    weekdays = (day_numbers + EPOCH.weekday()) % 7
    profiles = {}
    for weekday in range(7):
        histogram = np.bincount(slots[weekdays == weekday], minlength=INTERVALS).astype(float)
        total = histogram.sum()
        profiles[weekday] = histogram / total if total else histogram
    return counts, profiles


def _lift(day: date, lifts: Sequence[Lift]) -> float:
    factor = 1.0
    for lift in lifts:
        if lift.first <= day <= lift.last:
            factor *= lift.factor
    return factor
