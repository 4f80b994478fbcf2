"""Survey results: shares with Wilson intervals; small groups hidden."""

from datetime import datetime

import pytest

from skranke.core import clock
from skranke.surveys.results import (
    AnswerRow,
    summarise_answers,
    summarise_answers_by,
    wilson_interval,
)

WHEN = datetime(2025, 6, 10, 12, 0, tzinfo=clock.LOCAL_ZONE)


def row(satisfaction: int | None, on_time: str = "", location: int = 1) -> AnswerRow:
    return AnswerRow(location, None, WHEN, satisfaction, on_time, "", "", "", False)


def test_the_wilson_interval_matches_the_textbook() -> None:
    low, high = wilson_interval(positive=8, count=10) or (0, 0)
    assert (round(low, 4), round(high, 4)) == (0.4902, 0.9433)
    low, high = wilson_interval(positive=282, count=320) or (0, 0)
    assert low < 282 / 320 < high
    assert high - low < 0.08
    assert wilson_interval(positive=0, count=0) is None
    assert wilson_interval(positive=5, count=5) == (pytest.approx(0.5655, abs=1e-4), 1.0)


def test_satisfied_is_four_or_five_of_those_who_answered() -> None:
    figures = summarise_answers(
        [row(5, "yes"), row(4, "no"), row(3, "yes"), row(1, "dont_know"), row(None, "yes")]
    )
    assert figures is not None
    assert (figures.satisfied.count, figures.satisfied.positive) == (4, 2)
    assert (figures.on_time.count, figures.on_time.positive) == (5, 3)


def test_groups_under_five_answers_are_not_shown() -> None:
    rows = [row(5, location=1) for _ in range(5)] + [row(1, location=2) for _ in range(4)]
    assert summarise_answers(rows[5:]) is None
    groups = summarise_answers_by(rows, key=lambda answer: answer.location_id)
    assert list(groups) == [1]
