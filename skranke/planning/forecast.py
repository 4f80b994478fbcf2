"""How many citizens will come, and how many will call: per day and per
half hour, from the history.

A day's count is its shape (its weekday's factor and, from a year of
history on, the season's: forecast_shape.py) × a level that follows the
trend × the lift of any event a manager has entered (an election, a
passport wave). The level is Holt's exponential smoothing with a damped
trend (statsmodels), fitted to the history's open days with the shape
and the events divided out, so a closed holiday is not a day of low
demand, last spring's election does not raise next spring, and the
spring's passports are not taken for growth. Within the day,
each weekday's own profile of half hours spreads the count.

The backtest answers "how far off would this have been": for each of the
last weeks of the history, the forecast made the day before that week
began, against what came. Beside it stand the noise floor, the error a
forecast that knew the true mean would still have had, were the days'
counts Poisson (citizens who each decide for themselves); and the error
of "the same weekday last week", the forecast a manager makes without
one. How far the backtest's days spread around their forecasts gives
each day's interval (a negative binomial: Poisson, widened by as much
as the forecast has been off beyond chance).
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import NormalDist
from warnings import catch_warnings, simplefilter

import numpy as np

from skranke.planning.forecast_shape import YEAR_DAYS, fit_shape
from skranke.stats.local_time import local_days, local_minutes
from skranke.stats.visits import EPOCH

INTERVAL_MINUTES = 30
INTERVALS = 24 * 60 // INTERVAL_MINUTES
FEWEST_DAYS = 10  # fewer open days than this and the smoothing has nothing to follow
BACKTEST_WEEKS = 8
INTERVAL_SHARE = 0.8  # of the days whose count falls within the interval given
LAST_WEEK_LOOKBACK = 4  # weeks "the same weekday last week" may reach back over holidays
# The share of half hours whose true mean the arrivals planned for cover
# (arrivals_to_plan_for); the staff's whole numbers cover most of the rest.
PLAN_FOR_SHARE = 0.9
# Without the year's seasons only the last half year speaks: the weekdays'
# factors and the level as they are now.
RECENT_WEEKS = 26


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
    low: int  # the day's count falls within [low, high] on INTERVAL_SHARE of days
    high: int
    by_interval: np.ndarray  # INTERVALS entries, the day's expected count per half hour
    # How far each half hour's expected count may be off its true mean, as
    # a share of it (a standard error): the day's level, as far off as the
    # backtest found (its dispersion), and the half hour's share of the
    # day, estimated from the history's arrivals on that weekday.
    interval_error: np.ndarray
    actual: int | None  # once the day has passed


@dataclass(frozen=True)
class Backtest:
    """How far off the forecast a week ahead has been. Errors are the mean
    absolute difference of a day's total as a share of the mean day, 0–1:
    a closed or quiet day weighs by its count, not as a whole day."""

    error: float | None
    noise_floor: float | None  # the error a forecast knowing the true mean would have
    last_week_error: float | None  # of "the same weekday last week"
    dispersion: float  # the negative binomial's α: a day's variance is μ + αμ²
    days: int
    seasons: bool = False  # the forecast tried read the year's seasons from the history


@dataclass(frozen=True)
class Forecast:
    days: list[DayForecast]
    backtest_error: float | None  # Backtest.error
    backtest_days: int
    noise_floor: float | None
    last_week_error: float | None
    seasons: bool  # read from the history, as they forecast its last weeks better


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
    counts, profiles, weekday_arrivals = _count(arrivals=arrivals, history_days=history_days)
    known = [day for day in history_days if day < min(days, default=today)]
    tried = choose_backtest(counts=counts, lifts=lifts, weeks=backtest_weeks)
    expected = predict_days(
        counts={day: counts[day] for day in known}, days=days, lifts=lifts, seasons=tried.seasons
    )
    days_forecast = []
    for day, value in zip(days, expected, strict=True):
        low, high = predict_interval(expected=value, dispersion=tried.dispersion)
        days_forecast.append(
            DayForecast(
                day=day,
                expected=value,
                low=low,
                high=high,
                by_interval=value * profiles[day.weekday()],
                interval_error=measure_interval_error(
                    profile=profiles[day.weekday()],
                    arrivals=int(weekday_arrivals[day.weekday()]),
                    dispersion=tried.dispersion,
                ),
                actual=counts.get(day) if day < today else None,
            )
        )
    return Forecast(
        days=days_forecast,
        backtest_error=tried.error,
        backtest_days=tried.days,
        noise_floor=tried.noise_floor,
        last_week_error=tried.last_week_error,
        seasons=tried.seasons,
    )


def predict_days(
    *,
    counts: dict[date, int],
    days: Sequence[date],
    lifts: Sequence[Lift] = (),
    seasons: bool = False,
) -> list[float]:
    """The expected count on each of `days` after the open days in
    `counts`: with `seasons`, the year's as the whole history shows them;
    without, from the last half year's weekdays and level alone."""
    # A day an event closed (a lift of −100 %) says nothing of the level.
    history = sorted(day for day in counts if _lift(day, lifts) > 0)
    if history and not seasons:
        history = [day for day in history if day > history[-1] - timedelta(weeks=RECENT_WEEKS)]
    if len(history) < FEWEST_DAYS:
        raise TooLittleHistory(len(history))
    lifted = np.array([_lift(day, lifts) for day in history])
    values = np.array([counts[day] for day in history], dtype=float)
    shape = fit_shape(days=history, values=values, lifts=lifted, seasons=seasons)
    factors = shape(history)
    level = values / lifted / np.where(factors > 0, factors, 1.0)
    ahead = [day for day in days if day > history[-1]]
    steps = _smooth(level, horizon=len(ahead)) if ahead else np.zeros(0)
    step_of = dict(zip(ahead, steps, strict=True))
    last_level = float(steps[0]) if len(steps) else float(level[-1])
    return [
        max(0.0, step_of.get(day, last_level) * factor * _lift(day, lifts))
        for day, factor in zip(days, shape(days), strict=True)
    ]


def choose_backtest(
    *, counts: dict[date, int], lifts: Sequence[Lift] = (), weeks: int = BACKTEST_WEEKS
) -> Backtest:
    """The backtest of the forecast without the year's seasons, or, where
    the history holds a year before the weeks tried, of the forecast with
    them if that came nearer. Seasons that repeat (the spring's passports)
    are worth reading from last year; a year that changed (booking made
    mandatory halfway through it) would mislead, and the last weeks show
    which this centre has."""
    plain = backtest(counts=counts, lifts=lifts, weeks=weeks)
    days = sorted(counts)
    if not days or (days[-1] - days[0]).days < YEAR_DAYS + 7 * weeks:
        return plain
    seasonal = backtest(counts=counts, lifts=lifts, weeks=weeks, seasons=True)
    if seasonal.error is None or plain.error is None or seasonal.error >= plain.error:
        return plain
    return seasonal


def backtest(
    *,
    counts: dict[date, int],
    lifts: Sequence[Lift] = (),
    weeks: int = BACKTEST_WEEKS,
    seasons: bool = False,
) -> Backtest:
    """How far off forecasting each of the last `weeks` weeks of `counts`
    from the days before it has been, beside the noise floor and "the
    same weekday last week" on the same days."""
    history = sorted(counts)
    nothing = Backtest(error=None, noise_floor=None, last_week_error=None, dispersion=0.0, days=0)
    if not history:
        return nothing
    pairs: list[tuple[float, int]] = []  # (forecast, actual)
    last_week: list[tuple[int, int]] = []  # (the same weekday before, actual)
    for week in range(weeks, 0, -1):
        first = history[-1] - timedelta(days=7 * week - 1)
        before = {day: count for day, count in counts.items() if day < first}
        target = [day for day in history if first <= day < first + timedelta(days=7)]
        if len(before) < FEWEST_DAYS or not target:
            continue
        predicted = predict_days(counts=before, days=target, lifts=lifts, seasons=seasons)
        pairs += [(value, counts[day]) for day, value in zip(target, predicted, strict=True)]
        for day in target:
            earlier = _same_weekday_before(day, before)
            if earlier is not None:
                last_week.append((counts[earlier], counts[day]))
    came = sum(actual for _forecast, actual in pairs)
    if not came:  # no week to try, or nobody came in any
        return nothing
    came_last_week = sum(actual for _before, actual in last_week)
    return Backtest(
        error=sum(abs(value - actual) for value, actual in pairs) / came,
        noise_floor=sum(poisson_noise_floor(expected=value) for value, _actual in pairs) / came,
        last_week_error=sum(abs(before - actual) for before, actual in last_week) / came_last_week
        if came_last_week
        else None,
        dispersion=measure_dispersion(pairs=pairs),
        days=len(pairs),
        seasons=seasons,
    )


def poisson_noise_floor(*, expected: float) -> float:
    """E|X − λ| for a Poisson count X of mean λ: how far off a day's total
    is, on average, from a forecast that knows its true mean."""
    if expected <= 0:
        return 0.0
    # The Poisson's mean absolute deviation, 2λ·P(X = ⌊λ⌋).
    mode = math.floor(expected)
    return 2 * expected * math.exp(_log_poisson(mode, expected))


def measure_dispersion(*, pairs: Sequence[tuple[float, int]]) -> float:
    """The negative binomial's α (a day's variance μ + αμ²) of days' counts
    around their forecasts, by the method of moments; 0 when they spread
    no more than Poisson counts do."""
    squares = sum(value**2 for value, _actual in pairs)
    if not squares:
        return 0.0
    beyond = sum((actual - value) ** 2 - actual for value, actual in pairs)
    return max(0.0, beyond / squares)


def predict_interval(
    *, expected: float, dispersion: float, share: float = INTERVAL_SHARE
) -> tuple[int, int]:
    """The counts a day of mean `expected` falls between on `share` of
    days: each tail holds at most (1 − share) / 2."""
    if expected <= 0:
        return 0, 0
    tail = (1 - share) / 2
    below, count, low = 0.0, -1, None
    while below < 1 - tail:
        count += 1
        below += math.exp(_log_probability(count, expected, dispersion))
        if low is None and below >= tail:
            low = count
    return (count if low is None else low), count


def _log_probability(count: int, expected: float, dispersion: float) -> float:
    if dispersion <= 0:
        return _log_poisson(count, expected)
    size = 1 / dispersion  # the negative binomial's r
    return (
        math.lgamma(count + size)
        - math.lgamma(size)
        - math.lgamma(count + 1)
        + size * math.log(size / (size + expected))
        + count * math.log(expected / (size + expected))
    )


def _log_poisson(count: int, expected: float) -> float:
    return -expected + count * math.log(expected) - math.lgamma(count + 1)


def _same_weekday_before(day: date, counts: dict[date, int]) -> date | None:
    """The same weekday a week before, or further back over a closed one."""
    for weeks in range(1, LAST_WEEK_LOOKBACK + 1):
        earlier = day - timedelta(weeks=weeks)
        if earlier in counts:
            return earlier
    return None


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


def measure_interval_error(*, profile: np.ndarray, arrivals: int, dispersion: float) -> np.ndarray:
    """Each half hour's relative standard error as an estimate of its mean
    count: the day's (α, the variance of a day's mean over its square) and
    the half hour's share's, estimated from `arrivals` on the weekday
    ((1 − p) / (n p), a multinomial share's). A half hour nobody came in
    has no error to give: nobody is planned for it."""
    shares = np.asarray(profile, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        share_variance = np.where(shares > 0, (1 - shares) / (max(arrivals, 1) * shares), 0.0)
    return np.sqrt(dispersion + share_variance)


def arrivals_to_plan_for(*, expected: float, error: float) -> float:
    """The PLAN_FOR_SHARE quantile of a half hour's true mean, for a
    forecast of `expected` arrivals whose relative standard error is
    `error` (measure_interval_error): a forecast is a mean, and staff
    planned for the mean fall short in every half hour whose true mean is
    above it."""
    return expected * (1 + NormalDist().inv_cdf(PLAN_FOR_SHARE) * error)


def _count(
    *, arrivals: np.ndarray, history_days: Sequence[date]
) -> tuple[dict[date, int], dict[int, np.ndarray], np.ndarray]:
    """Arrivals per open day; and each weekday's share per half hour, with
    the arrivals on each weekday, over the last RECENT_WEEKS: the day's
    rhythm as it is now, not as it was before the opening hours changed."""
    day_numbers = local_days(arrivals)
    numbers, per_number = np.unique(day_numbers, return_counts=True)
    found = dict(zip(numbers.tolist(), per_number.tolist(), strict=True))
    counts = {day: int(found.get((day - EPOCH).days, 0)) for day in history_days}
    if len(day_numbers):
        recent = day_numbers > day_numbers.max() - 7 * RECENT_WEEKS
        day_numbers, arrivals = day_numbers[recent], arrivals[recent]
    slots = local_minutes(arrivals) // INTERVAL_MINUTES
    weekdays = (day_numbers + EPOCH.weekday()) % 7
    profiles = {}
    for weekday in range(7):
        histogram = np.bincount(slots[weekdays == weekday], minlength=INTERVALS).astype(float)
        total = histogram.sum()
        profiles[weekday] = histogram / total if total else histogram
    return counts, profiles, np.bincount(weekdays, minlength=7)


def _lift(day: date, lifts: Sequence[Lift]) -> float:
    factor = 1.0
    for lift in lifts:
        if lift.first <= day <= lift.last:
            factor *= lift.factor
    return factor
