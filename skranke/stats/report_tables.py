"""Rows of the annual report's tables that set a count beside its share:
each service's visits in the years Skranke counted and its share of this
year's, and the answered calls by how soon they were answered. The charts
beside them draw the same figures (report_charts.py)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from skranke.stats.report import AnnualReport


@dataclass(frozen=True)
class ServiceLine:
    name: str
    by_year: list[int]  # visits in each of report.counted_years
    percent: float | None  # of this year's visits


def service_rows(report: AnnualReport) -> list[ServiceLine]:
    years = report.counted_years
    positions = [index for index, totals in enumerate(report.series) if totals.year in years]
    return [
        ServiceLine(
            name=row.name,
            by_year=[report.service_series[row.slug][position] for position in positions],
            percent=100 * row.visits / report.visits if report.visits else None,
        )
        for row in report.by_service
    ]


def answer_bands(report: AnnualReport) -> list[tuple[str, int, float | None]]:
    """(name, calls, percent of the answered calls) for within 10 s,
    after 10–60 s and after more than 60 s."""
    answered = report.calls.answered
    names = [
        _("Answered within 10 s"),
        _("Answered after 10–60 s"),
        _("Answered after more than 60 s"),
    ]
    return [
        (name, calls, 100 * calls / answered if answered else None)
        for name, calls in zip(names, report.answer_bands, strict=True)
    ]
