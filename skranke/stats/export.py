"""The statistics as tables for spreadsheets: the statistics page's CSV
and XLSX downloads, and the annual report's workbook (a sheet per
chapter). Cells hold numbers as numbers; the CSV writer turns them into
decimal commas, the workbook keeps them numbers."""

from django.utils.translation import gettext as _

from skranke.booking.models import Booking
from skranke.stats.labels import (
    GROUP_NAMES,
    KIND_NAMES,
    LEFT_OUT_NAMES,
    OUTCOME_NAMES,
    name_time_figures,
)
from skranke.stats.overview import Overview
from skranke.stats.report import AnnualReport
from skranke.stats.report_charts import quarter_names
from skranke.stats.report_tables import answer_bands, service_rows
from skranke.stats.robust import REASONS, TimeFigure
from skranke.stats.spreadsheet import Sheet, Table
from skranke.surveys.results import survey_questions

Row = list[object]


def report_filename(report: AnnualReport, extension: str) -> str:
    return f"borgerservicerapport-{report.year}.{extension}"


def as_percent(share: float | None) -> float | None:
    """A share (0–1) as a percentage."""
    return None if share is None else 100 * share


def time_header(name: str) -> list[object]:
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


def time_columns() -> list[object]:
    """time_header's columns for a table whose rows name the figure."""
    return [
        _("Times used"),
        *[_("Left out, %(reason)s") % {"reason": LEFT_OUT_NAMES[r]} for r in REASONS],
        _("Median, minutes"),
        _("80th percentile, minutes"),
        _("90th percentile, minutes"),
        _("Mean, minutes"),
    ]


def time_cells(figure: TimeFigure) -> Row:
    return [
        figure.used,
        *[figure.left_out.get(reason, 0) for reason in REASONS],
        _rounded(figure.median),
        _rounded(figure.p80),
        _rounded(figure.p90),
        _rounded(figure.mean),
    ]


def overview_rows(overview: Overview, *, names: dict[object, str]) -> list[Row]:
    """One row per group and a total row, with counts and time figures."""
    wait, service = _("Wait"), _("Service time")
    rows: list[Row] = [
        [
            str(GROUP_NAMES[overview.group_by]),
            _("Visits"),
            _("Waited at most 10 minutes, %"),
            _("Waited at most 20 minutes, %"),
            *time_header(wait),
            *time_header(service),
        ]
    ]
    groups = [(names[key], figures) for key, figures in overview.groups.items()]
    for name, figures in [*groups, (_("Total"), overview.visits)]:
        rows.append(
            [
                name,
                figures.visits,
                _rounded(as_percent(figures.wait.within_10)),
                _rounded(as_percent(figures.wait.within_20)),
                *time_cells(figures.wait),
                *time_cells(figures.service_time),
            ]
        )
    return rows


def overview_sheets(overview: Overview, *, names: dict[object, str]) -> list[Sheet]:
    group = str(GROUP_NAMES[overview.group_by])
    return [
        Sheet(
            _("Visits"),
            [
                Table(f"{overview.period.label}: {group}", overview_rows(overview, names=names)),
                Table(
                    _("Visits over the period"),
                    [[_("From"), _("Visits")]]
                    + [[step.label, step.visits] for step in overview.steps],
                ),
            ],
            title=f"{_('Statistics')}: {overview.period.label}",
        )
    ]


def report_title(report: AnnualReport) -> str:
    return _("Citizen service annual report %(year)s, %(name)s") % {
        "year": report.year,
        "name": report.municipality.name,
    }


def report_sheets(report: AnnualReport) -> list[Sheet]:
    """The annual report, a sheet per chapter, with the same numbers as
    its page and JSON, each under the report's title."""
    title = report_title(report)
    return [
        Sheet(sheet.name, sheet.tables, title=f"{title}: {sheet.name}")
        for sheet in _chapters(report)
    ]


def _chapters(report: AnnualReport) -> list[Sheet]:
    year, previous = report.year, report.year - 1
    figures = report.visit_figures
    quarters = quarter_names()
    calls = report.calls
    channels = dict(Booking.Channel.choices)
    return [
        Sheet(
            _("Overall figures"),
            [
                Table(
                    _("Contacts by channel over four years"),
                    [
                        [
                            _("Year"),
                            _("Personal visits"),
                            _("Information desk"),
                            _("Cash desk"),
                            _("Calls to the switchboard"),
                        ]
                    ]
                    + [
                        [
                            totals.year,
                            totals.visits,
                            totals.information_desk,
                            totals.cash_desk,
                            totals.phone_calls,
                        ]
                        for totals in report.series
                    ],
                )
            ],
        ),
        Sheet(
            _("Personal visits"),
            [
                Table(
                    _("Visits per quarter, against the year before"),
                    [[_("Quarter"), previous, year]]
                    + [
                        [name, report.previous_by_quarter[index], report.by_quarter[index]]
                        for index, name in enumerate(quarters)
                    ]
                    + [[_("Total"), sum(report.previous_by_quarter), sum(report.by_quarter)]],
                ),
                Table(_("Visits per service"), _service_rows(report)),
                Table(
                    _("Beside the visits"),
                    [
                        [_("Figure"), year],
                        [_("Visits on Saturdays"), figures.saturday],
                        [_("Assisted self-service"), report.assisted_self_service],
                        [_("Information desk"), report.information_desk],
                        [_("Cash desk"), report.cash_desk],
                        *[[KIND_NAMES[kind], n] for kind, n in figures.by_kind.items()],
                        *[[OUTCOME_NAMES[key], n] for key, n in figures.by_outcome.items()],
                    ],
                ),
                Table(
                    _("Waiting and service times, in minutes"),
                    [
                        [_("Figure"), *time_columns()],
                        *[
                            [name, *time_cells(figure)]
                            for name, figure in name_time_figures(figures)
                        ],
                    ],
                ),
            ],
        ),
        Sheet(
            _("Booking"),
            [
                Table(
                    _("Bookings"),
                    [
                        [_("Figure"), year],
                        [_("Bookings"), report.bookings.bookings],
                        [
                            _("Served on time, %"),
                            _rounded(as_percent(report.bookings.on_time_share)),
                        ],
                        [_("Came in time"), report.bookings.arrived_in_time],
                        [_("Did not come"), report.bookings.by_status.get("no_show", 0)],
                        *[
                            [_("Booked via: %(channel)s") % {"channel": channels.get(key, key)}, n]
                            for key, n in report.bookings.by_channel.items()
                        ],
                    ],
                ),
                Table(_("Satisfaction surveys"), _survey_rows(report)),
            ],
        ),
        Sheet(
            _("Telephone"),
            [
                Table(
                    _("Key figures against their targets"),
                    [[_("Key figure"), _("Result, %"), _("Target, %"), _("Met")]]
                    + [
                        [
                            figure.name,
                            _rounded(figure.value),
                            figure.target,
                            _("not measured")
                            if figure.met is None
                            else _("met")
                            if figure.met
                            else _("not met"),
                        ]
                        for figure in report.key_figures
                    ],
                ),
                Table(
                    _("The switchboard"),
                    [
                        [_("Figure"), year, _("Of the answered, %")],
                        [_("Calls offered"), calls.offered],
                        [_("Answered"), calls.answered],
                        *[
                            [name, count, _rounded(percent)]
                            for name, count, percent in answer_bands(report)
                        ],
                        [_("Abandoned"), calls.abandoned],
                    ],
                ),
                Table(
                    _("Per quarter"),
                    [[_("Key figure"), *quarters]]
                    + [
                        [
                            _("First-contact resolution, %(name)s") % {"name": name},
                            *[_rounded(share) for share in shares],
                        ]
                        for name, shares in report.first_contact_by_quarter.items()
                    ]
                    + [
                        [
                            _("Failed transfers (department closed)"),
                            *report.failed_transfers_by_quarter,
                        ],
                        [_("Bounced back unanswered"), *report.bounced_by_quarter],
                    ],
                ),
                Table(
                    _("Telephone meetings"),
                    [
                        [_("Booked"), _("Reached"), _("Not reached")],
                        [
                            report.phone_meetings.booked,
                            report.phone_meetings.reached,
                            report.phone_meetings.not_reached,
                        ],
                    ],
                ),
                Table(
                    _("E-mails and text messages"),
                    [
                        [
                            _("Channel"),
                            _("Received"),
                            _("Answered"),
                            _("Answered within %(days)s opening days, %%")
                            % {"days": report.written_answer_days},
                            _("Time to answer, median, hours"),
                            _("Time to answer, 8 in 10 within, hours"),
                            _("Settled at first contact, %"),
                        ]
                    ]
                    + [
                        [
                            _("SMS") if channel.channel == "sms" else _("E-mail"),
                            channel.received,
                            channel.answered,
                            _rounded(as_percent(channel.within_target_share)),
                            _rounded(channel.median_hours),
                            _rounded(channel.p80_hours),
                            _rounded(as_percent(channel.first_contact_share)),
                        ]
                        for channel in report.written
                    ],
                ),
            ],
        ),
        Sheet(
            _("Digital self-service"),
            [
                Table(
                    _("Done online, per area"),
                    [[_("Area"), "%"]]
                    + [
                        [area, percent]
                        for area, percent in (report.figures.shares if report.figures else [])
                    ],
                )
            ],
        ),
        Sheet(
            _("Key figures and staff"),
            [
                Table(
                    _("Key figures and staff"),
                    [
                        [_("Figure"), year],
                        [
                            _("Staff on 1 January (full-time equivalents)"),
                            # A Decimal: the workbook keeps its two decimals.
                            report.figures.staff_fte if report.figures else None,
                        ],
                    ],
                )
            ],
        ),
    ]


def _service_rows(report: AnnualReport) -> list[Row]:
    """This year and the year before, then the earlier years Skranke
    counted (newest first), and this year's share."""
    year, previous = report.year, report.year - 1
    earlier = [counted for counted in reversed(report.counted_years) if counted < previous]
    rows: list[Row] = [
        [
            _("Service"),
            _("Slug"),
            year,
            previous,
            *earlier,
            _("Share of %(year)s, %%") % {"year": year},
        ]
    ]
    for row, line in zip(report.by_service, service_rows(report), strict=True):
        counted = dict(zip(report.counted_years, line.by_year, strict=True))
        rows.append(
            [
                row.name,
                row.slug,
                row.visits,
                row.previous,
                *[counted[before] for before in earlier],
                _rounded(line.percent),
            ]
        )
    totals = {totals.year: totals.visits for totals in report.series}
    rows.append(
        [
            _("Total"),
            "",
            report.visits,
            sum(report.previous_by_quarter),
            *[totals[before] for before in earlier],
        ]
    )
    return rows


def _survey_rows(report: AnnualReport) -> list[Row]:
    rows: list[Row] = [[_("Question"), _("Share, %"), _("Answers")]]
    survey = report.survey
    if survey is None:
        return rows
    return rows + [
        [name, _rounded(as_percent(share.share)), share.count]
        for name, share in survey_questions(survey)
    ]


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
