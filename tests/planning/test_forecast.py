"""The forecast of citizens and calls: weekday × trend × events, per day
and per half hour, with its backtest."""

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest

from skranke.core import clock
from skranke.planning.forecast import (
    INTERVALS,
    Lift,
    TooLittleHistory,
    backtest,
    forecast_arrivals,
    measure_dispersion,
    poisson_noise_floor,
    predict_days,
    predict_interval,
)

WEEKDAY_SHAPE = [1.3, 1.1, 0.9, 1.2, 0.6]  # Monday is busy, Friday short
FIRST = date(2026, 6, 1)  # a Monday


def open_days(first: date, weeks: int) -> list[date]:
    return [
        first + timedelta(days=offset)
        for offset in range(7 * weeks)
        if (first + timedelta(days=offset)).weekday() < 5
    ]


def history(*, weeks: int = 20, level: float = 60, growth: float = 0.0) -> dict[date, int]:
    """Counts with a weekday shape and a level growing by `growth` a day."""
    rng = np.random.default_rng(4)
    return {
        day: int(rng.poisson((level + growth * (day - FIRST).days) * WEEKDAY_SHAPE[day.weekday()]))
        for day in open_days(FIRST, weeks)
    }


def test_a_week_ahead_follows_the_weekdays() -> None:
    counts = history()
    week_after = open_days(max(counts) + timedelta(days=3), 1)
    predicted = dict(zip(week_after, predict_days(counts=counts, days=week_after), strict=True))
    by_weekday = {day.weekday(): value for day, value in predicted.items()}
    assert by_weekday[0] == pytest.approx(60 * 1.3, rel=0.1)
    assert by_weekday[4] == pytest.approx(60 * 0.6, rel=0.1)


def test_the_level_follows_a_trend() -> None:
    counts = history(growth=0.5)  # half a citizen more every day
    later = open_days(max(counts) + timedelta(days=3), 1)
    monday = predict_days(counts=counts, days=later)[0]
    # 20 weeks on, a Monday's level has grown by ~70 from 60.
    assert monday > 1.3 * 110


def test_the_backtest_measures_the_error_of_each_week_ahead_beside_the_noise_floor() -> None:
    counts = history(weeks=20)
    tried = backtest(counts=counts, weeks=8)
    assert tried.days == 40
    assert tried.error is not None
    assert tried.noise_floor is not None
    assert tried.last_week_error is not None
    # Poisson days of 36–78 are off their mean by ~10 % even for a forecast
    # that knows it (on these 40 days, by chance, 12 %); this one adds
    # little to that, and beats "the same weekday last week", which
    # carries last week's chance along too.
    tried_days = sorted(counts)[-40:]
    oracle = sum(abs(60 * WEEKDAY_SHAPE[day.weekday()] - counts[day]) for day in tried_days) / sum(
        counts[day] for day in tried_days
    )
    assert tried.noise_floor == pytest.approx(0.10, abs=0.01)
    assert tried.noise_floor == pytest.approx(oracle, rel=0.25)
    assert oracle < tried.error < 1.15 * oracle
    assert tried.error < 0.85 * tried.last_week_error


def test_the_noise_floor_is_how_far_off_knowing_the_true_mean_leaves_a_forecast() -> None:
    rng = np.random.default_rng(7)
    for mean in (0.4, 3.5, 12.0, 65.0, 400.0):
        drawn = rng.poisson(mean, 200_000)
        assert poisson_noise_floor(expected=mean) == pytest.approx(
            np.abs(drawn - mean).mean(), rel=0.01
        ), mean
    assert poisson_noise_floor(expected=0.0) == 0.0


def test_eight_days_in_ten_fall_within_the_interval_poisson_or_wider() -> None:
    rng = np.random.default_rng(8)
    means = rng.uniform(20, 120, 4_000)
    for dispersion in (0.0, 0.03):
        # Counts that spread as a negative binomial of this α (Poisson at 0).
        rates = means * (rng.gamma(1 / dispersion, dispersion, means.size) if dispersion else 1)
        counts = rng.poisson(rates)
        pairs = list(zip(means.tolist(), counts.tolist(), strict=True))
        measured = measure_dispersion(pairs=pairs)
        assert measured == pytest.approx(dispersion, abs=0.006)
        inside = [
            low <= count <= high
            for mean, count in pairs
            for low, high in [predict_interval(expected=mean, dispersion=measured)]
        ]
        # Whole counts: each tail holds at most a tenth, so a little more
        # than 80 % fall within.
        assert 0.8 <= np.mean(inside) <= 0.86, dispersion
    assert predict_interval(expected=0.0, dispersion=0.0) == (0, 0)
    assert predict_interval(expected=60.0, dispersion=0.0) == (50, 70)


def test_an_event_lifts_its_days_and_is_divided_out_of_the_history() -> None:
    counts = history()
    # The history's last week was an election week.
    election = Lift(first=max(counts) - timedelta(days=4), last=max(counts), factor=1.5)
    lifted = {
        day: round(count * 1.5) if election.first <= day <= election.last else count
        for day, count in counts.items()
    }
    next_week = open_days(max(counts) + timedelta(days=3), 1)
    without = predict_days(counts=lifted, days=next_week)
    with_event = predict_days(counts=lifted, days=next_week, lifts=[election])
    plain = predict_days(counts=counts, days=next_week)
    # Knowing the lift, the election does not raise the week after it…
    assert sum(without) > 1.1 * sum(plain)
    assert sum(with_event) == pytest.approx(sum(plain), rel=0.03)
    passport_wave = Lift(first=next_week[0], last=next_week[-1], factor=1.3)
    # …and a coming wave raises its days.
    raised = predict_days(counts=counts, days=next_week, lifts=[passport_wave])
    assert raised == pytest.approx([value * 1.3 for value in plain])


def test_too_little_history_is_said() -> None:
    with pytest.raises(TooLittleHistory):
        predict_days(counts=history(weeks=1), days=[date(2026, 6, 15)])


def test_arrivals_are_spread_by_their_half_hours_and_compared_once_past() -> None:
    # Everyone arrives 10:00–11:00 Copenhagen time (08:00–09:00 UTC in summer).
    counts = history(weeks=10)
    moments = []
    for day, count in counts.items():
        morning = datetime(day.year, day.month, day.day, 8, tzinfo=UTC).timestamp()
        moments += list(morning + np.linspace(0, 3599, count))
    days = open_days(date(2026, 8, 3), 2)
    clock.set_now(datetime(2026, 8, 10, 8, tzinfo=clock.LOCAL_ZONE))
    forecast = forecast_arrivals(
        arrivals=np.array(moments),
        history_days=sorted(counts),
        days=days,
        today=date(2026, 8, 10),
    )
    first = forecast.days[0]
    assert first.low < first.expected < first.high
    assert first.by_interval.shape == (INTERVALS,)
    assert first.by_interval.sum() == pytest.approx(first.expected)
    assert first.by_interval[20] + first.by_interval[21] == pytest.approx(first.expected)
    # The week of 3 August has passed: what came is shown beside the
    # forecast, which was made without it.
    assert first.actual == counts[date(2026, 8, 3)]
    assert all(day.actual is None for day in forecast.days if day.day >= date(2026, 8, 10))


def test_a_year_of_history_carries_the_seasons_forward() -> None:
    # Two years of a centre whose spring brings half as many again as its
    # autumn (passports before the summer holidays). A forecast made at
    # the end of February, when the days are still at the year's mean,
    # expects the rise that came in March both years before.
    rng = np.random.default_rng(8)

    def mean(day: date) -> float:
        spring = 1 + 0.5 * np.cos(2 * np.pi * (day.timetuple().tm_yday - 100) / 365.25)
        return 60 * WEEKDAY_SHAPE[day.weekday()] * spring

    days = open_days(date(2024, 3, 4), 104)
    counts = {day: int(rng.poisson(mean(day))) for day in days if day < date(2026, 3, 2)}
    april = open_days(date(2026, 4, 6), 1)
    predicted = predict_days(counts=counts, days=april, seasons=True)
    for day, value in zip(april, predicted, strict=True):
        assert value == pytest.approx(mean(day), rel=0.05)
    # Half a year of history has seen no spring: following the winter's
    # climb, it falls a tenth short on the Monday.
    recent = {day: count for day, count in counts.items() if day >= date(2025, 9, 1)}
    half_year = predict_days(counts=recent, days=april, seasons=True)
    assert half_year[0] < 0.95 * mean(april[0])
