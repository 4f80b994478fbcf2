"""The demo's year of calls varies from day to day as a real one does,
while the year and each quarter keep exactly the figures the source
documents report (so the key figures give them back)."""

from collections import Counter
from statistics import mean, variance

from skranke.demo.contact_year import (
    CALLS_PER_YEAR,
    QUARTER_SHARE,
    plan_year,
    weekday_weight,
    working_days,
)


def test_no_two_weeks_of_a_quarter_are_the_same_and_the_totals_stand() -> None:
    plan = plan_year(year=2025)
    counts = {day: len(calls) for day, calls in plan.calls_by_day.items()}
    assert sum(counts.values()) == CALLS_PER_YEAR
    mondays = [
        count for day, count in sorted(counts.items()) if day.weekday() == 0 and day.month <= 3
    ]
    assert len(set(mondays)) >= len(mondays) // 2, mondays  # not one count repeated
    weeks: Counter[tuple[int, ...]] = Counter()
    for day in sorted(counts):
        if day.month <= 3 and day.weekday() == 0:
            week = tuple(counts.get(day.fromordinal(day.toordinal() + n), 0) for n in range(5))
            weeks[week] += 1
    assert max(weeks.values()) == 1  # every week of the quarter differs
    # Each quarter keeps the share it had without the day-to-day variation.
    quarters = Counter((day.month - 1) // 3 for day, count in counts.items() for _ in range(count))
    plain = [
        QUARTER_SHARE[quarter]
        * sum(weekday_weight(day) for day in working_days(2025) if (day.month - 1) // 3 == quarter)
        for quarter in range(4)
    ]
    for quarter in range(4):
        wanted = round(CALLS_PER_YEAR * plain[quarter] / sum(plain))
        assert abs(quarters[quarter] - wanted) <= 2, (quarter, quarters[quarter], wanted)


def test_a_small_centres_days_vary_at_least_as_chance_makes_them() -> None:
    # At a twentieth of the calls (about 20 a day), days of the same weekday
    # in a quarter vary as Poisson counts do, or more: a variance at least
    # their mean. Dealing the calls out by each day's weight alone gave
    # 0.3 of it, and a forecast that looked better than any could be.
    plan = plan_year(year=2025, scale=0.05)
    groups: dict[tuple[int, int], list[int]] = {}
    for day, calls in plan.calls_by_day.items():
        groups.setdefault(((day.month - 1) // 3, day.weekday()), []).append(len(calls))
    dispersion = [variance(counts) / mean(counts) for counts in groups.values()]
    assert mean(dispersion) >= 1.0, dispersion
