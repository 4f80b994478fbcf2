"""The statistics as tables for spreadsheets: the statistics page's CSV
and XLSX downloads, and the annual report's workbook (a sheet per
chapter). Cells hold numbers as numbers; the CSV writer turns them into
decimal commas, the workbook keeps them numbers."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from skranke.stats.labels import GROUP_NAMES, KIND_NAMES, LEFT_OUT_NAMES, OUTCOME_NAMES
from skranke.stats.overview import Overview
from skranke.stats.report import AnnualReport
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
        )
    ]


def report_sheets(report: AnnualReport) -> list[Sheet]:
    """The annual report, a sheet per chapter, with the same numbers as
    its page and JSON."""
    year, previous = report.year, report.year - 1
    figures = report.visit_figures
    quarters = [pgettext("quarter of a year", "Q%(quarter)d") % {"quarter": q} for q in range(1, 5)]
    calls = report.calls
    within = calls.answered_within
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
                Table(
                    _("Visits per service"),
                    [[_("Service"), _("Slug"), year, previous]]
                    + [[row.name, row.slug, row.visits, row.previous] for row in report.by_service]
                    + [[_("Total"), "", report.visits, sum(report.previous_by_quarter)]],
                ),
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
                        [_("Figure"), *time_header("")[: len(REASONS) + 1], *time_header("")[-4:]],
                        [_("Wait (arrival to call)"), *time_cells(figures.wait)],
                        [_("Service time (start to end)"), *time_cells(figures.service_time)],
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
                        *[[channel, n] for channel, n in report.bookings.by_channel.items()],
                    ],
                ),
                Table(_("Satisfaction surveys"), _survey_rows(report)),
            ],
        ),
        Sheet(
            _("Telephone"),
            [
                Table(
                    _("The switchboard"),
                    [
                        [_("Figure"), year],
                        [_("Calls offered"), calls.offered],
                        [_("Answered"), calls.answered],
                        [_("Answered within 10 s"), within.get(10, 0)],
                        [_("Answered after 10–60 s"), within.get(60, 0) - within.get(10, 0)],
                        [_("Answered after more than 60 s"), calls.answered - within.get(60, 0)],
                        [_("Abandoned"), calls.abandoned],
                    ],
                ),
                Table(
                    _("Per quarter"),
                    [["", *quarters]]
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
                            _("staff on 1 January (full-time equivalents)"),
                            float(report.figures.staff_fte)
                            if report.figures and report.figures.staff_fte is not None
                            else None,
                        ],
                    ],
                )
            ],
        ),
    ]


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
