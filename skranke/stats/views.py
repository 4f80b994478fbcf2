"""The statistics page and the annual report, for managers and
administrators, over the locations they may see."""

from collections.abc import Mapping
from typing import Any, TypeVar

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
from skranke.core.models import Desk, Location, Service
from skranke.core.periods import KINDS, Period, period_containing
from skranke.stats import labels, report_charts
from skranke.stats.chapter_texts import chapter_text_links
from skranke.stats.comparison import CHOICES, YEAR_BEFORE, compare_period
from skranke.stats.counting_week import count_week, week_filename
from skranke.stats.desks import Usage
from skranke.stats.export import (
    as_percent,
    overview_rows,
    overview_sheets,
    report_filename,
    report_sheets,
)
from skranke.stats.headlines import list_headlines
from skranke.stats.overview import GROUPINGS, Overview, read_overview
from skranke.stats.overview_tables import (
    drill_down_link,
    heat_rows,
    query_without,
    wait_marks,
    wait_rows,
)
from skranke.stats.pdf import render_report_pdf
from skranke.stats.report import AnnualReport, build_annual_report
from skranke.stats.report_tables import answer_bands, service_rows
from skranke.stats.spreadsheet import write_workbook
from skranke.stats.wait_chart import draw_wait_chart
from skranke.stats.wait_distribution import (
    BOOKED,
    EVERYONE,
    TABLE_MINUTES,
    UNBOOKED,
    UNBOOKED_MARK_MINUTES,
)
from skranke.stats.week_hours import MIN_WAITS
from skranke.surveys.results import Share, SurveyFigures, survey_questions
from skranke.web.chart import draw_chart
from skranke.web.csv_export import csv_response
from skranke.web.date_parameters import read_date_parameter

T = TypeVar("T")

FIRST_YEAR, LAST_YEAR = 2000, 2100


def _manager(request: HttpRequest) -> User:
    return staff_of_a_municipality(user=request.user, action="view_statistics")


def _locations(user: User) -> list[Location]:
    return list(visible_locations(user=user).filter(municipality=user.municipality))


@login_required
@require_GET
def overview_page(request: HttpRequest) -> HttpResponse:
    user = _manager(request)
    locations = _locations(user)
    chosen_place = next((loc for loc in locations if str(loc.pk) == request.GET.get("sted")), None)
    services = list(
        Service.objects.filter(municipality=user.municipality, kind=Service.Kind.IN_PERSON)
    )
    service = next((s for s in services if str(s.pk) == request.GET.get("ydelse")), None)
    desks = list(
        Desk.objects.filter(
            location__in=[chosen_place] if chosen_place else locations, kind=Desk.Kind.COUNTER
        ).select_related("location")
    )
    desk = next((d for d in desks if str(d.pk) == request.GET.get("skranke")), None)
    compare_with = request.GET.get("sammenlign", YEAR_BEFORE)
    compare_with = compare_with if compare_with in CHOICES else YEAR_BEFORE
    kind = request.GET.get("periode", "month")
    kind = kind if kind in KINDS else "month"
    today = clock.today()
    day = read_date_parameter(request.GET.get("dato"), today=today, request=request) or today
    group_by = request.GET.get("gruppering", "service")
    group_by = group_by if group_by in GROUPINGS else "service"
    period = period_containing(kind=kind, day=day)
    on_time_minutes = user.municipality.on_time_minutes  # type: ignore[union-attr]
    if desk is not None:
        location_ids = [desk.location_id]
    else:
        location_ids = [chosen_place.pk] if chosen_place else [loc.pk for loc in locations]

    def overview_of(chosen: Period) -> Overview:
        return read_overview(
            location_ids=location_ids,
            period=chosen,
            service_ids=[service.pk] if service else None,
            group_by=group_by,
            on_time_minutes=on_time_minutes,
            desk_ids=[desk.pk] if desk else None,
        )

    overview = overview_of(period)
    names = labels.group_labels(group_by=group_by, keys=list(overview.groups))
    filename = f"statistik-{period.kind}-{period.first.isoformat()}"
    if request.GET.get("format") == "csv":
        return csv_response(filename=f"{filename}.csv", rows=overview_rows(overview, names=names))
    if request.GET.get("format") == "xlsx":
        return _download(
            write_workbook(sheets=overview_sheets(overview, names=names)), f"{filename}.xlsx"
        )
    earlier_period = compare_period(period=period, choice=compare_with)
    earlier = None if earlier_period is None else overview_of(earlier_period)
    wait_names = {
        BOOKED: _("With a booking"),
        UNBOOKED: _("Without a booking"),
        EVERYONE: _("Everyone"),
    }
    return render(
        request,
        "stats/overview.html",
        {
            "overview": overview,
            "period": period,
            "kinds": KINDS,
            "kind": kind,
            "day": day,
            "locations": locations,
            "place": chosen_place,
            "services": services,
            "service": service,
            "desk_choices": desks,
            "desk": desk,
            "comparisons": CHOICES,
            "compare_with": compare_with,
            "earlier_period": earlier_period,
            "headlines": list_headlines(overview=overview, earlier=earlier),
            "groupings": {key: labels.GROUP_NAMES[key] for key in GROUPINGS},
            "group_by": group_by,
            "groups": [
                (names[key], figures, drill_down_link(request.GET, group_by=group_by, key=key))
                for key, figures in overview.groups.items()
            ],
            "kinds_of_visit": [
                (labels.KIND_NAMES[key], count) for key, count in overview.visits.by_kind.items()
            ],
            "outcomes": [
                (labels.OUTCOME_NAMES[key], count)
                for key, count in overview.visits.by_outcome.items()
            ],
            "times": labels.name_time_figures(overview.visits),
            "wait_chart": draw_wait_chart(
                groups=[(wait_names[key], overview.wait_shares[key]) for key in (BOOKED, UNBOOKED)],
                marks=wait_marks(on_time_minutes=on_time_minutes),
            ),
            "wait_minutes": TABLE_MINUTES,
            "wait_rows": wait_rows(overview=overview, earlier=earlier, names=wait_names),
            "booked_within": as_percent(overview.wait_shares[BOOKED].share_within(on_time_minutes)),
            "unbooked_within": as_percent(
                overview.wait_shares[UNBOOKED].share_within(UNBOOKED_MARK_MINUTES)
            ),
            "on_time_minutes": on_time_minutes,
            "unbooked_mark": UNBOOKED_MARK_MINUTES,
            "week_hours": overview.week_hours,
            "weekday_names": [
                labels.group_labels(group_by="weekday", keys=[day])[day]
                for day in overview.week_hours.weekdays
            ],
            "heat_rows": heat_rows(week_hours=overview.week_hours),
            "min_waits": MIN_WAITS,
            "left_out_names": labels.LEFT_OUT_NAMES,
            "lateness": _banded(overview.bookings.lateness, labels.LATENESS_NAMES),
            "arrival": _banded(overview.bookings.arrival, labels.ARRIVAL_NAMES),
            "lead_median": None
            if overview.bookings.lead_days.median is None
            else round(overview.bookings.lead_days.median),
            "lead": _banded(overview.bookings.lead, labels.LEAD_NAMES),
            "channels": _channels(overview.bookings.by_channel),
            "topics": _by_service_name(overview.phone_meetings.by_topic),
            "group_name": labels.GROUP_NAMES[group_by],
            "chart": draw_chart(
                labels=[step.label for step in overview.steps],
                values=[step.visits for step in overview.steps],
                target=None,
                counts=True,
            ),
            "on_time_percent": as_percent(overview.bookings.on_time_share),
            "desks": overview.desks,
            "offered_hours": overview.desks.offered_minutes / 60,
            "booked_hours": overview.desks.booked_minutes / 60,
            "booked_percent": as_percent(overview.desks.booked_share),
            "desk_usage": _usage(
                overview.desks.by_desk,
                labels.group_labels(group_by="desk", keys=list(overview.desks.by_desk)),
                links={
                    key: drill_down_link(request.GET, group_by="desk", key=key)
                    for key in overview.desks.by_desk
                },
            ),
            "hour_usage": _usage(
                overview.desks.by_hour,
                labels.group_labels(group_by="hour", keys=list(overview.desks.by_hour)),
            ),
            "survey_shares": survey_shares(overview.survey),
            "survey_rows": _by_service_name(overview.survey_by_service),
            "query": request.GET.urlencode(),
            "all_services": query_without(request.GET, "ydelse"),
            "all_desks": query_without(request.GET, "skranke"),
        },
    )


def _usage(
    usage: dict[int, Usage],
    names: dict[object, str],
    *,
    links: Mapping[int, str | None] | None = None,
) -> list[tuple[str, float, float | None, float | None, str | None]]:
    """Rows for the staffed desks and hours only: a visit forgotten into
    the evening makes an hour busy that nobody staffed, which says nothing
    about idle time. `links`: each row's drill-down, if it has one."""
    return [
        (
            names[key],
            figures.staffed / 60,
            as_percent(figures.busy_share),
            as_percent(figures.idle_share),
            (links or {}).get(key),
        )
        for key, figures in usage.items()
        if figures.staffed
    ]


def survey_shares(
    figures: SurveyFigures | None,
) -> list[tuple[str, Share, float | None, float | None]]:
    """Each question's share, and its 95 % interval in percent."""
    if figures is None:
        return []
    percent: list[tuple[str, Share, float | None, float | None]] = []
    for name, share in survey_questions(figures):
        low, high = share.interval or (None, None)
        percent.append((name, share, as_percent(low), as_percent(high)))
    return percent


def _by_service_name(by_service: Mapping[Any, T]) -> list[tuple[str, T]]:
    """Figures keyed by a service's id, as (the service's name, figures) in
    the order of the names."""
    names = labels.group_labels(group_by="service", keys=list(by_service))
    return sorted(((names[key], value) for key, value in by_service.items()), key=lambda r: r[0])


Banded = list[tuple[object, int, float | None]]


def _banded(counts: dict[str, int], names: Mapping[str, object]) -> Banded:
    """Each band's name, count and percentage of the whole."""
    total = sum(counts.values())
    return [
        (names[key], count, 100 * count / total if total else None) for key, count in counts.items()
    ]


def _channels(counts: dict[str, int]) -> Banded:
    return _banded(counts, dict(Booking.Channel.choices))


@login_required
@require_GET
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
