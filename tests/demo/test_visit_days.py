"""The demo's visits per day: exactly the report's totals per quarter and
on Saturdays, and between them days that vary as citizens' visits do."""

from collections import Counter, defaultdict
from statistics import mean, variance

from skranke.demo.visit_history import LIKE_2018, LIKE_2019, plan_days


def test_days_vary_as_poisson_counts_around_the_exact_totals() -> None:
    for year, shape in ((2025, LIKE_2019), (2024, LIKE_2018)):
        days = plan_days(year=year, shape=shape)
        assert days == plan_days(year=year, shape=shape)  # the demo loads the same every time
        quarters: Counter[int] = Counter()
        for day, count in days.items():
            quarters[(day.month - 1) // 3] += count
        assert [quarters[quarter] for quarter in range(4)] == shape.quarters
        assert sum(count for day, count in days.items() if day.weekday() == 5) == shape.saturday
        # The same weekday in the same quarter has the same mean; around it
        # the counts spread as Poisson counts do, their variance as large
        # as their mean (0 when each got exactly its share, as before).
        groups: defaultdict[tuple[int, int], list[int]] = defaultdict(list)
        for day, count in days.items():
            groups[(day.month - 1) // 3, day.weekday()].append(count)
        dispersion = [variance(counts) / mean(counts) for counts in groups.values()]
        assert 0.8 <= mean(dispersion) <= 1.2, (year, dispersion)
        assert min(len(set(counts)) for counts in groups.values()) >= 5
