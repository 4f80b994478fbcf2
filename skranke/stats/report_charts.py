"""The annual report's charts, as Hvidovre's report has them: the channels
over four years, the quarters beside the year before, each service over
the years Skranke counted, how soon the calls were answered, and the
contact centre's key figures against their targets. Each is drawn from
the AnnualReport by the one bar-chart piece (web/chart.py), so the page
and the PDF show the same bars as the tables beside them."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from skranke.stats.report import AnnualReport
from skranke.stats.report_tables import answer_bands
from skranke.web.chart import Chart, Series, draw_grouped_chart


@dataclass(frozen=True)
class ReportCharts:
    channels: Chart  # contacts by channel over the four years
    quarters: Chart  # visits per quarter, this year beside the year before
    services: Chart | None  # visits per service in each counted year; None: no visits
    answer_bands: Chart | None  # shares of the answered calls; None: no calls
    key_figures: Chart | None  # None: no calls and no contacts
    self_service: Chart | None  # None: no shares entered


def quarter_names() -> list[str]:
    return [
        str(pgettext("quarter of a year", "Q%(quarter)d") % {"quarter": quarter})
        for quarter in range(1, 5)
    ]


def draw_report_charts(report: AnnualReport) -> ReportCharts:
    return ReportCharts(
        channels=_channels(report),
        quarters=draw_grouped_chart(
            labels=quarter_names(),
            series=[
                Series(str(report.year - 1), list(report.previous_by_quarter)),
                Series(str(report.year), list(report.by_quarter)),
            ],
            counts=True,
        ),
        services=_services(report),
        answer_bands=_answer_bands(report),
        key_figures=_key_figures(report),
        self_service=draw_grouped_chart(
            labels=[area for area, _percent in report.figures.shares],
            series=[Series("", [percent for _area, percent in report.figures.shares])],
            show_values=True,
            horizontal=True,
        )
        if report.figures and report.figures.shares
        else None,
    )


def _channels(report: AnnualReport) -> Chart:
    """The counter's channels, year by year. The switchboard's calls stay
    in the table: tens of times the visits, they would flatten the rest."""
    return draw_grouped_chart(
        labels=[f"{totals.year}{' *' if totals.entered else ''}" for totals in report.series],
        series=[
            Series(_("Personal visits"), [totals.visits for totals in report.series], tone=0),
            Series(
                _("Information desk"), [totals.information_desk for totals in report.series], tone=1
            ),
            Series(_("Cash desk"), [totals.cash_desk for totals in report.series], tone=2),
        ],
        counts=True,
    )


def _services(report: AnnualReport) -> Chart | None:
    """Each service's visits in the years Skranke counted, lying down so
    that the services' names can be read in full."""
    if not report.by_service:
        return None
    years = report.counted_years
    positions = [index for index, totals in enumerate(report.series) if totals.year in years]
    return draw_grouped_chart(
        labels=[row.name for row in report.by_service],
        series=[
            Series(
                str(report.series[position].year),
                [report.service_series[row.slug][position] for row in report.by_service],
            )
            for position in positions
        ],
        counts=True,
        show_values=True,
        horizontal=True,
    )


def _answer_bands(report: AnnualReport) -> Chart | None:
    if not report.calls.answered:
        return None
    bands = answer_bands(report)
    return draw_grouped_chart(
        labels=[name for name, _calls, _percent in bands],
        series=[Series("", [percent for _name, _calls, percent in bands])],
        show_values=True,
        horizontal=True,
    )


def _key_figures(report: AnnualReport) -> Chart | None:
    """Each key figure's bar, its target drawn across it."""
    figures = report.key_figures
    if all(figure.value is None for figure in figures):
        return None
    return draw_grouped_chart(
        labels=[figure.name for figure in figures],
        series=[Series("", [figure.value for figure in figures])],
        targets=[float(figure.target) for figure in figures],
        show_values=True,
        horizontal=True,
    )
