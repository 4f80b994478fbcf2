"""The forecast judged on known truth (`.venv/bin/python -m bench.known_truth_forecast`).

F1  synthetic centres whose mean per day is known (a weekday pattern,
    seasons over the year, growth), their days drawn as Poisson counts,
    Danish public holidays closed. Each week of the second year is
    forecast the day before it begins from the history before it (up to
    the two years the planning page reads), and set against what was
    drawn. The seasons are a yearly wave, repeated; the forecast reads
    their shape from the history (skranke.planning.forecast_shape), not
    knowing it is a wave. Three forecasts
    of the same days:

    - the forecast (skranke.planning.forecast.predict_days);
    - the oracle, which knows the true mean: its error is the noise floor,
      what no forecast can beat;
    - "the same weekday last week" (the last open one), the forecast a
      manager makes without one.

    The target (issue 31): the forecast's mean absolute error at most
    1.1 × the oracle's and at most 0.85 × the naive one's. One more
    centre, outside the target, steps up by a quarter for good in May of
    the year forecast (a service moved in): no forecast from the past
    sees that coming; it shows how soon the forecast follows. Also measured:
    how often the 80 % interval the page gives holds what came (dispersion
    from the 8 weeks forecast before, as the page's backtest has it), how
    often the backtest chose to read the seasons, and
    the noise floor the page computes (from its forecast, knowing no true
    mean) against the true one and the oracle's error as it fell.

No database. Results are printed and written to
bench/results/known_truth_forecast.json.
"""

import json
import math
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path

import django

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skranke.settings")
    django.setup()

import holidays
import numpy as np

from skranke.planning.demand import HISTORY_WEEKS
from skranke.planning.forecast import (
    INTERVAL_SHARE,
    choose_backtest,
    poisson_noise_floor,
    predict_days,
    predict_interval,
)

RESULTS = Path(__file__).resolve().parent / "results" / "known_truth_forecast.json"
FIRST = date(2024, 1, 1)  # a Monday; the first year is history only
YEARS = 2
TARGET_AGAINST_ORACLE = 1.1
TARGET_AGAINST_LAST_WEEK = 0.85


@dataclass(frozen=True)
class Centre:
    """A synthetic centre: its mean on a day is `level` × its weekday's
    factor × the season × the growth since FIRST."""

    name: str
    level: float  # citizens (or calls) on an average open day
    weekdays: tuple[float, ...]  # Monday to Friday, averaging 1
    season: float  # amplitude of the yearly wave, ±share of the level
    peak_day: int  # day of the year the wave peaks on
    growth: float  # per year
    step: float = 0.0  # a lasting rise from STEP_DAY on, as a share of the mean


STEP_DAY = date(2025, 5, 1)
COUNTER_WEEK = (1.3, 1.1, 0.9, 1.1, 0.6)
PHONES_WEEK = (1.3, 1.05, 1.0, 1.0, 0.65)
# The seasons' amplitude of 0.3 is Hvidovre's: its busiest quarter of 2018
# had 1.7 times the visits of its quietest. 0.1 is a centre whose year is
# nearly flat.
CENTRES = [
    Centre("counter, steady", 60, COUNTER_WEEK, 0.0, 0, 0.0),
    Centre("counter, gentle seasons", 60, COUNTER_WEEK, 0.1, 60, 0.0),
    Centre("counter, seasons", 60, COUNTER_WEEK, 0.3, 60, 0.0),
    Centre("small counter, seasons", 15, COUNTER_WEEK, 0.3, 60, 0.0),
    Centre("telephones, seasons and growth", 400, PHONES_WEEK, 0.2, 30, 0.15),
]
STEP_CENTRE = Centre("counter, seasons, a step in May", 60, COUNTER_WEEK, 0.3, 60, 0.0, step=0.25)


@dataclass(frozen=True)
class Score:
    centre: str
    seed: int
    days: int
    forecast_mae: float
    oracle_mae: float
    last_week_mae: float
    against_oracle: float
    against_last_week: float
    interval_share: float  # of the days whose count fell within the 80 % interval
    floor_mae: float  # the oracle's expected error, E|X − λ| from the true means
    floor_estimate_mae: float  # the noise floor as the page computes it, from the forecast
    forecast_wape: float  # mean absolute error ÷ mean count, as the page shows it
    oracle_wape: float
    seasons_share: float  # of the weeks forecast with the year's seasons


def open_days(*, first: date, end: date) -> list[date]:
    """Monday to Friday, public holidays closed."""
    closed = holidays.country_holidays("DK", years=range(first.year, end.year + 1))
    days = (first + timedelta(days=offset) for offset in range((end - first).days))
    return [day for day in days if day.weekday() < 5 and day not in closed]


def true_means(*, centre: Centre, days: Sequence[date]) -> dict[date, float]:
    def mean(day: date) -> float:
        years = (day - FIRST).days / 365.25
        wave = 1 + centre.season * math.cos(
            2 * math.pi * (day.timetuple().tm_yday - centre.peak_day) / 365.25
        )
        step = 1 + centre.step if day >= STEP_DAY else 1.0
        return (
            centre.level
            * centre.weekdays[day.weekday()]
            * wave
            * (1 + centre.growth * years)
            * step
        )

    return {day: mean(day) for day in days}


def draw_counts(*, means: dict[date, float], seed: int) -> dict[date, int]:
    rng = np.random.default_rng(seed)
    return {day: int(rng.poisson(mean)) for day, mean in means.items()}


def score_forecast(*, centre: Centre, seed: int, weeks: int, first_week: int = 0) -> Score:
    """The forecast of `weeks` weeks from week `first_week` of the second
    year, each made from the HISTORY_WEEKS weeks before it."""
    days = open_days(first=FIRST, end=FIRST + timedelta(weeks=52 * YEARS))
    means = true_means(centre=centre, days=days)
    counts = draw_counts(means=means, seed=seed)
    start = FIRST + timedelta(weeks=52 + first_week)
    forecast: list[float] = []
    oracle: list[float] = []
    last_week: list[float] = []
    actual: list[int] = []
    covered: list[bool] = []
    floors: list[float] = []
    true_floors: list[float] = []
    seasons: list[bool] = []  # per week, whether the forecast read the seasons
    for week in range(weeks):
        first = start + timedelta(weeks=week)
        target = [day for day in days if first <= day < first + timedelta(days=7)]
        if not target:
            continue
        history = {
            day: count
            for day, count in counts.items()
            if first - timedelta(weeks=HISTORY_WEEKS) <= day < first
        }
        # As the page does: the seasons are read from the history if they
        # forecast its last weeks better, and the interval's dispersion is
        # the backtest's of those weeks.
        tried = choose_backtest(counts=history)
        seasons.append(tried.seasons)
        predicted = predict_days(counts=history, days=target, seasons=tried.seasons)
        for day, value in zip(target, predicted, strict=True):
            low, high = predict_interval(expected=value, dispersion=tried.dispersion)
            covered.append(low <= counts[day] <= high)
            forecast.append(value)
            oracle.append(means[day])
            last_week.append(float(counts[_same_weekday_before(day, counts)]))
            actual.append(counts[day])
            floors.append(poisson_noise_floor(expected=value))
            true_floors.append(poisson_noise_floor(expected=means[day]))
    came = np.array(actual, dtype=float)

    def mae(values: list[float]) -> float:
        return float(np.mean(np.abs(np.array(values) - came)))

    return Score(
        centre=centre.name,
        seed=seed,
        days=len(actual),
        forecast_mae=round(mae(forecast), 3),
        oracle_mae=round(mae(oracle), 3),
        last_week_mae=round(mae(last_week), 3),
        against_oracle=round(mae(forecast) / mae(oracle), 4),
        against_last_week=round(mae(forecast) / mae(last_week), 4),
        interval_share=round(float(np.mean(covered)), 4),
        floor_mae=round(float(np.mean(true_floors)), 3),
        floor_estimate_mae=round(float(np.mean(floors)), 3),
        forecast_wape=round(mae(forecast) / float(came.mean()), 4),
        oracle_wape=round(mae(oracle) / float(came.mean()), 4),
        seasons_share=round(float(np.mean(seasons)), 3),
    )


def _same_weekday_before(day: date, counts: dict[date, int]) -> date:
    """The same weekday a week before, or the one before that if the
    centre was closed (a holiday)."""
    before = day - timedelta(weeks=1)
    while before not in counts:
        before -= timedelta(weeks=1)
    return before


def main() -> None:
    weeks = int(sys.argv[1]) if len(sys.argv) > 1 else 52
    seeds = (1, 2)
    started = time.perf_counter()
    print(f"\nF1 the forecast on known truth ({weeks} weeks forecast per centre and seed)")
    print(
        f"  {'centre':32} {'seed':>4} {'days':>5} {'MAE':>7} {'oracle':>7} {'last wk':>7}"
        f" {'÷oracle':>8} {'÷last wk':>8} {'80 % int.':>9} {'floor':>6} {'floor est.':>10}"
        f" {'seasons':>7}"
    )
    scores = []
    for centre in [*CENTRES, STEP_CENTRE]:
        for seed in seeds:
            score = score_forecast(centre=centre, seed=seed, weeks=weeks)
            scores.append(score)
            print(
                f"  {score.centre:32} {score.seed:>4} {score.days:>5} {score.forecast_mae:>7.2f}"
                f" {score.oracle_mae:>7.2f} {score.last_week_mae:>7.2f}"
                f" {score.against_oracle:>8.3f} {score.against_last_week:>8.3f}"
                f" {score.interval_share:>9.3f} {score.floor_mae:>6.2f}"
                f" {score.floor_estimate_mae:>10.2f} {score.seasons_share:>7.2f}"
            )
    targeted = [score for score in scores if score.centre != STEP_CENTRE.name]
    worst_oracle = max(score.against_oracle for score in targeted)
    worst_last_week = max(score.against_last_week for score in targeted)
    met = worst_oracle <= TARGET_AGAINST_ORACLE and worst_last_week <= TARGET_AGAINST_LAST_WEEK
    print(
        f"  worst: {worst_oracle:.3f} × the oracle (target ≤ {TARGET_AGAINST_ORACLE}),"
        f" {worst_last_week:.3f} × last week (target ≤ {TARGET_AGAINST_LAST_WEEK}):"
        f" {'met' if met else 'NOT met'} (the step in May left out);"
        f" {time.perf_counter() - started:.0f} s"
    )
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "weeks_per_centre": weeks,
                "history_weeks": HISTORY_WEEKS,
                "interval_share_wanted": INTERVAL_SHARE,
                "target_against_oracle": TARGET_AGAINST_ORACLE,
                "target_against_last_week": TARGET_AGAINST_LAST_WEEK,
                "worst_against_oracle": worst_oracle,
                "worst_against_last_week": worst_last_week,
                "met": met,
                "scores": [asdict(score) for score in scores],
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
