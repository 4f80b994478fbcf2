"""The forecast judged on known truth: synthetic centres whose mean per day
is known, their days drawn as Poisson counts (bench/known_truth_forecast.py
measures a whole year of each; here a few months, seeded).

The oracle knows each day's true mean: its error is the noise floor. The
forecast should come near it (at most 1.1 × on a steady centre) and beat
"the same weekday last week" (at most 0.85 ×). On a centre with seasons
as strong as Hvidovre's the forecast, which knows only the last half year
and no yearly pattern, lags behind the season and misses the 1.1 (about
1.17 × over a year, see the bench); it still beats last week."""

import pytest

from bench.known_truth_forecast import CENTRES, Centre, Score, score_forecast

WEEKS = 16  # forecast weeks per centre, from January of the second year


@pytest.fixture(scope="module")
def steady() -> Score:
    return score_forecast(centre=_centre("counter, steady"), seed=11, weeks=WEEKS)


@pytest.fixture(scope="module")
def seasons() -> Score:
    return score_forecast(centre=_centre("counter, seasons"), seed=11, weeks=WEEKS)


def _centre(name: str) -> Centre:
    return next(centre for centre in CENTRES if centre.name == name)


def test_on_a_steady_centre_the_forecast_is_within_a_tenth_of_the_noise_floor(
    steady: Score,
) -> None:
    assert steady.days >= 5 * WEEKS - 5  # a few public holidays closed
    assert steady.against_oracle <= 1.1
    assert steady.against_last_week <= 0.85


def test_with_strong_seasons_the_forecast_still_beats_last_week(seasons: Score) -> None:
    assert seasons.against_last_week <= 0.85
    # It lags behind the season: worse than on a steady centre, not lost.
    assert seasons.against_oracle <= 1.25


def test_the_noise_floor_the_page_shows_is_the_oracles_error(steady: Score, seasons: Score) -> None:
    # The page knows no true mean: it takes the forecast's as one, and comes
    # within a few per cent of the floor the true means give. The oracle's
    # error as it fell on these days is a draw around that floor.
    for score in (steady, seasons):
        assert score.floor_estimate_mae == pytest.approx(score.floor_mae, rel=0.03)
        assert score.oracle_mae == pytest.approx(score.floor_mae, rel=0.15)


def test_eight_days_in_ten_fall_within_the_interval(steady: Score, seasons: Score) -> None:
    for score in (steady, seasons):
        assert 0.75 <= score.interval_share <= 0.92, score.centre
