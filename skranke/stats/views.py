"""The statistics page and the annual report, for managers and
administrators, over the locations they may see."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from skranke.accounts.models import User
from skranke.accounts.permissions import staff_of_a_municipality
from skranke.accounts.scoping import visible_locations
from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.models import Location
from skranke.database.replica import reads_from_replica
from skranke.stats import labels, report_charts
from skranke.stats.chapter_texts import chapter_text_links
from skranke.stats.comparison import compare_period
from skranke.stats.counting_week import count_week, week_filename
from skranke.stats.export import (
    as_percent,
    overview_rows,
    overview_sheets,
    report_filename,
    report_sheets,
)
from skranke.stats.overview_page import (
    overview_context,
    read_chosen_overview,
    read_overview_choice,
    survey_shares,
)
from skranke.stats.pdf import render_report_pdf
from skranke.stats.report import AnnualReport, build_annual_report
from skranke.stats.report_tables import answer_bands, service_rows
from skranke.stats.spreadsheet import write_workbook
from skranke.web.csv_export import csv_response
from skranke.web.date_parameters import read_date_parameter

FIRST_YEAR, LAST_YEAR = 2000, 2100


def _manager(request: HttpRequest) -> User:
    return staff_of_a_municipality(user=request.user, action="view_statistics")


def _locations(user: User) -> list[Location]:
    return list(visible_locations(user=user).filter(municipality=user.municipality))


@login_required
@require_GET
@reads_from_replica
def overview_page(request: HttpRequest) -> HttpResponse:
    user = _manager(request)
    today = clock.today()
    day = read_date_parameter(request.GET.get("dato"), today=today, request=request) or today
    choice = read_overview_choice(user=user, locations=_locations(user), query=request.GET, day=day)
    period = choice.period
    overview = read_chosen_overview(choice=choice, period=period)
    filename = f"statistik-{period.kind}-{period.first.isoformat()}"
    if request.GET.get("format") in ("csv", "xlsx"):
        names = labels.group_labels(group_by=choice.group_by, keys=list(overview.groups))
        if request.GET["format"] == "csv":
            rows = overview_rows(overview, names=names)
            return csv_response(filename=f"{filename}.csv", rows=rows)
        sheets = overview_sheets(overview, names=names)
        return _download(write_workbook(sheets=sheets), f"{filename}.xlsx")
    earlier_period = compare_period(period=period, choice=choice.compare_with)
    earlier = (
        None
        if earlier_period is None
        else read_chosen_overview(choice=choice, period=earlier_period)
    )
    context = overview_context(
        choice=choice,
        overview=overview,
        earlier=earlier,
        earlier_period=earlier_period,
        query=request.GET,
    )
    return render(request, "stats/overview.html", context)


@login_required
@require_GET
@reads_from_replica
def counting_week(request: HttpRequest) -> HttpResponse:
    """KL's counting week (KOMHEN) as CSV: the week of `dato`."""
    user = _manager(request)
    today = clock.today()
    day = read_date_parameter(request.GET.get("dato"), today=today, request=request) or today
    rows = count_week(
        municipality=user.municipality,  # type: ignore[arg-type]
        location_ids=[location.pk for location in _locations(user)],
        day=day,
    )
    return csv_response(
        filename=week_filename(day=day),
        rows=[
            [_("Channel"), _("KLE number"), _("Area"), _("Kind"), _("Contacts")],
            *([row.channel, row.kle_number, row.area, row.kind, row.count] for row in rows),
        ],
    )


@login_required
@require_GET
def latest_report(request: HttpRequest) -> HttpResponse:
    """Last year's report, the one a centre writes in January."""
    _manager(request)
    return redirect("stats:report", year=clock.today().year - 1)


@login_required
@require_GET
@reads_from_replica
def report_page(request: HttpRequest, year: int, extension: str = "") -> HttpResponse:
    user = _manager(request)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    report = build_annual_report(
        municipality=user.municipality,  # type: ignore[arg-type]
        year=year,
        location_ids=[location.pk for location in _locations(user)],
    )
    if extension == "json":
        response = JsonResponse(report.as_json(), json_dumps_params={"ensure_ascii": False})
        response["Content-Disposition"] = f'inline; filename="{report_filename(report, "json")}"'
        return response
    if extension == "xlsx":
        return _download(
            write_workbook(sheets=report_sheets(report)), report_filename(report, "xlsx")
        )
    if extension == "pdf":
        pdf = render_report_pdf(request=request, context=_report_context(report))
        return _download(pdf, report_filename(report, "pdf"))
    context = _report_context(report)
    context["chapter_links"] = chapter_text_links(user=user, year=year)
    return render(request, "stats/report.html", context)


def _report_context(report: AnnualReport) -> dict[str, object]:
    year = report.year
    as_json = report.as_json()
    quarter_names = report_charts.quarter_names()
    bookings = report.bookings
    kept = sum(bookings.by_channel.values())
    return {
        "report": report,
        "report_json": as_json,
        "year": year,
        "quarter_names": quarter_names,
        "quarters": list(
            zip(quarter_names, report.previous_by_quarter, report.by_quarter, strict=True)
        ),
        "charts": report_charts.draw_report_charts(report),
        "service_rows": service_rows(report),
        "answer_bands": answer_bands(report),
        "times": labels.name_time_figures(report.visit_figures),
        "on_time_percent": as_percent(bookings.on_time_share),
        "survey_shares": survey_shares(report.survey),
        "survey_rows": [],
        "web_percent": 100 * bookings.by_channel.get(Booking.Channel.WEB, 0) / kept
        if kept
        else None,
    }


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {"xlsx": XLSX, "pdf": "application/pdf"}


def _download(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[filename.rsplit(".", 1)[1]])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
