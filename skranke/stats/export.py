"""The statistics as rows for a spreadsheet: the CSV download of the
statistics page (and, in the same shape, its other formats)."""

from collections.abc import Iterator

from django.utils.translation import gettext as _

from skranke.core.csv_export import decimal_comma
from skranke.stats.labels import GROUP_NAMES, LEFT_OUT_NAMES
from skranke.stats.overview import Overview
from skranke.stats.report import AnnualReport
from skranke.stats.robust import REASONS, TimeFigure


def report_filename(report: AnnualReport, extension: str) -> str:
    return f"borgerservicerapport-{report.year}.{extension}"


def time_header(name: str) -> list[str]:
    return [
        _("%(figure)s: times used") % {"figure": name},
        *[
            _("%(figure)s: left out, %(reason)s") % {"figure": name, "reason": LEFT_OUT_NAMES[r]}
            for r in REASONS
        ],
        _("%(figure)s: median, minutes") % {"figure": name},
        _("%(figure)s: 80th percentile, minutes") % {"figure": name},
        _("%(figure)s: 90th percentile, minutes") % {"figure": name},
        _("%(figure)s: mean, minutes") % {"figure": name},
    ]


def time_cells(figure: TimeFigure) -> list[object]:
    return [
        figure.used,
        *[figure.left_out.get(reason, 0) for reason in REASONS],
        decimal_comma(figure.median),
        decimal_comma(figure.p80),
        decimal_comma(figure.p90),
        decimal_comma(figure.mean),
    ]


def overview_rows(overview: Overview, *, names: dict[object, str]) -> Iterator[list[object]]:
    """One row per group and a total row, with counts and time figures."""
    wait, service = _("Wait"), _("Service time")
    yield [
        str(GROUP_NAMES[overview.group_by]),
        _("Visits"),
        _("Waited at most 10 minutes, %"),
        _("Waited at most 20 minutes, %"),
        *time_header(wait),
        *time_header(service),
    ]
    rows = [(names[key], figures) for key, figures in overview.groups.items()]
    rows.append((_("Total"), overview.visits))
    for name, figures in rows:
        yield [
            name,
            figures.visits,
            decimal_comma(as_percent(figures.wait.within_10)),
            decimal_comma(as_percent(figures.wait.within_20)),
            *time_cells(figures.wait),
            *time_cells(figures.service_time),
        ]


def as_percent(share: float | None) -> float | None:
    """A share (0–1) as a percentage."""
    return None if share is None else 100 * share
