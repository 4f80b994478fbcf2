"""Time figures that forgotten visits cannot move."""

import pytest

from skranke.stats.robust import OUTLIER, percentile, summarise_minutes


def test_percentiles_interpolate_as_spreadsheets_do() -> None:
    values = [1.0, 2.0, 3.0, 4.0, 5.0]
    assert percentile(sorted_values=values, share=0.5) == 3.0
    assert percentile(sorted_values=values, share=0.8) == pytest.approx(4.2)
    assert percentile(sorted_values=[7.0], share=0.9) == 7.0


def test_a_few_forgotten_visits_move_the_mean_but_not_the_robust_figures() -> None:
    # 97 visits of 10–20 minutes and three left open for hours.
    honest = [10 + (index % 11) for index in range(97)]
    forgotten = [240.0, 300.0, 420.0]
    raw_mean = sum(honest + forgotten) / 100
    figure = summarise_minutes(minutes=honest + forgotten)
    assert figure.left_out == {OUTLIER: 3}
    assert figure.count == 100
    assert figure.used == 97
    assert figure.mean == pytest.approx(sum(honest) / 97)
    assert raw_mean > 1.5 * figure.mean  # what an average of everything would have said
    assert figure.p80 == pytest.approx(percentile(sorted_values=sorted(honest), share=0.8))


def test_left_out_visits_are_counted_with_their_reasons() -> None:
    figure = summarise_minutes(
        minutes=[5.0, 6.0, 7.0], left_out={"not_ended_by_staff": 2, "times_wrong": 1}
    )
    assert figure.count == 6
    assert figure.used == 3
    assert figure.left_out_share == pytest.approx(0.5)


def test_a_wait_of_zero_is_an_honest_wait() -> None:
    figure = summarise_minutes(minutes=[0.0, 0.0, 1.0, 2.0, 3.0, 0.0])
    assert figure.used == 6
    assert figure.within_10 == 1.0


def test_no_times_give_no_figures_but_still_a_count() -> None:
    figure = summarise_minutes(minutes=[], left_out={"times_wrong": 4})
    assert figure.count == 4
    assert figure.used == 0
    assert figure.median is None
    assert figure.mean is None
