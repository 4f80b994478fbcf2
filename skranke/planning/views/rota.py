"""The rota: the counter's or the telephones' need per half hour for a
week ahead, the rota with the fewest hours that covers it from the place's
shift patterns for it, what it saves against staffing every hour for its
peak, and applying the counter's as dated desk shifts.

The telephones' rota is shown, not applied: the contact centre's agents
are not desks in Skranke, so there is nothing here to write it to, and
Erlang A already says what each half hour's staff achieves.

The rota a manager applies is the one they reviewed: the page signs it
(need, patterns and staff per pattern per day) into the form, and the
apply view rebuilds it from that instead of solving again.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from skranke.core import clock
from skranke.core.models import Desk, Location
from skranke.planning.counter.need import (
    MAX_OCCUPANCY,
    WAIT_MINUTES,
    WAIT_SHARE,
    plan_counter_need,
    simulate_rota_week,
)
from skranke.planning.counter.simulation import simulate_week
from skranke.planning.forecast import INTERVAL_MINUTES
from skranke.planning.models import ShiftPattern, hourly_cost_of
from skranke.planning.phones.need import plan_phone_need
from skranke.planning.phones.plan import PhonePlanRefused
from skranke.planning.rota.apply import RotaRefused, apply_rota
from skranke.planning.rota.patterns import Pattern, read_patterns
from skranke.planning.rota.rota import Rota, RotaDay, build_day, interval_label
from skranke.planning.rota.solver import plan_rota
from skranke.planning.views.access import chosen_place, planning_manager
from skranke.planning.views.comparison import compare_weeks
from skranke.planning.views.phones import DEFAULT_OCCUPANCY, DEFAULT_SHRINKAGE
from skranke.web.chart import PLOT_HEIGHT, TOP, Chart, draw_chart, round_top

# The page answers within a few seconds whatever the patterns: the solver
# stops here with the best rota found (a town hall's week takes far less).
PAGE_TIME_LIMIT = 3.0
WEEKS_AHEAD = 2
SIMULATED_RUNS = 10
SIGNING_SALT = "skranke.planning.rota"
REFUSED_SHOWN = 10
# The share of half hours a rota must cover in full: below 100 %, a few
# half hours may be one desk short if that saves hours.
COVER_CHOICES = {"100": 1.0, "98": 0.98, "95": 0.95}
DEFAULT_COVER = "98"
# Whose rota the page plans, by the `for` parameter's value.
FOR_COUNTER = "skranke"
FOR_PHONES = "telefoner"


@login_required
@require_GET
def rota_page(request: HttpRequest) -> HttpResponse:
    user = planning_manager(request)
    locations, place = chosen_place(user=user, chosen=request.GET.get("sted"))
    weeks = _weeks_ahead(clock.today())
    week = next((monday for monday in weeks if monday.isoformat() == request.GET.get("uge")), None)
    week = week or weeks[0]
    cover = request.GET.get("daekning", DEFAULT_COVER)
    cover = cover if cover in COVER_CHOICES else DEFAULT_COVER
    rota_for = FOR_PHONES if request.GET.get("for") == FOR_PHONES else FOR_COUNTER
    context: dict[str, object] = {
        "covers": list(COVER_CHOICES),
        "cover": cover,
        "rota_for": rota_for,
        "for_choices": [(FOR_COUNTER, _("the counter")), (FOR_PHONES, _("the telephones"))],
        "locations": locations,
        "place": place,
        "weeks": [(monday, monday + timedelta(days=6)) for monday in weeks],
        "week": week,
        "wait_minutes": WAIT_MINUTES,
        "wait_percent": round(WAIT_SHARE * 100),
        "occupancy_percent": round(MAX_OCCUPANCY * 100),
    }
    if place is None:
        return render(request, "planning/rota.html", context)
    days = [week + timedelta(days=offset) for offset in range(7)]
    if rota_for == FOR_PHONES:
        return _phones_rota(request, context=context, place=place, days=days, cover=cover)
    patterns = read_patterns(location=place)
    context["patterns"] = patterns
    counter = plan_counter_need(location=place, today=clock.today(), days=days)
    if counter is None or not counter.need or not patterns:
        context["missing"] = "history" if counter is None or not counter.need else "patterns"
        return render(request, "planning/rota.html", context)
    desks = Desk.objects.filter(location=place, kind=Desk.Kind.COUNTER, active=True).count()
    rota = plan_rota(
        need=counter.need,
        patterns=patterns,
        desks=desks,
        cover_share=COVER_CHOICES[cover],
        time_limit_seconds=PAGE_TIME_LIMIT,
    )
    context.update(
        _summary(place=place, rota=rota),
        desks=desks,
        mean_minutes=counter.mean_minutes,
        plan=_sign(place=place, rota=rota),
    )
    rota_week = simulate_rota_week(model=counter.model, rota=rota, runs=SIMULATED_RUNS)
    if rota_week is not None and counter.model.week.desks:
        today = simulate_week(week=counter.model.week, runs=SIMULATED_RUNS)
        context["comparison"] = compare_weeks(today=today, changed=rota_week)
        context["runs"] = SIMULATED_RUNS
    return render(request, "planning/rota.html", context)


def _phones_rota(
    request: HttpRequest,
    *,
    context: dict[str, object],
    place: Location,
    days: list[date],
    cover: str,
) -> HttpResponse:
    """The telephones' rota for the week: Erlang A's agents per half hour
    (at the telephones page's default occupancy and shrinkage), covered by
    the place's patterns for the telephones. No desk limit and nothing to
    apply: the agents answer from anywhere."""
    patterns = read_patterns(location=place, applies_to=ShiftPattern.Applies.PHONES)
    context.update(
        patterns=patterns,
        occupancy_percent=DEFAULT_OCCUPANCY,
        shrinkage_percent=DEFAULT_SHRINKAGE,
    )
    try:
        need = plan_phone_need(
            municipality=place.municipality,
            today=clock.today(),
            days=days,
            max_occupancy=DEFAULT_OCCUPANCY / 100,
            shrinkage=DEFAULT_SHRINKAGE / 100,
        )
    except PhonePlanRefused as refused:
        context["refused"] = str(refused)
        return render(request, "planning/rota.html", context)
    if need is None or not patterns:
        context["missing"] = "history" if need is None else "patterns"
        return render(request, "planning/rota.html", context)
    rota = plan_rota(
        need=need,
        patterns=patterns,
        cover_share=COVER_CHOICES[cover],
        time_limit_seconds=PAGE_TIME_LIMIT,
    )
    context.update(_summary(place=place, rota=rota))
    return render(request, "planning/rota.html", context)


def _summary(*, place: Location, rota: Rota) -> dict[str, object]:
    """What the page shows of any rota: the week's figures, what it saves
    at the municipality's hourly cost, the chart and the days."""
    cost = hourly_cost_of(place.municipality)
    saved = rota.peak_hours - rota.hours
    return {
        "rota": rota,
        "hourly_cost": cost,
        "covered_percent": rota.covered_share * 100,
        "saved_hours": saved,
        "saved_kroner": round(saved * cost),
        "saved_percent": saved / rota.peak_hours * 100 if rota.peak_hours else 0,
        "days": [_day_view(day) for day in rota.days],
        "chart": _week_chart(rota),
    }


@login_required
@require_POST
def apply_rota_view(request: HttpRequest) -> HttpResponse:
    user = planning_manager(request)
    _locations, place = chosen_place(user=user, chosen=request.POST.get("sted"))
    target = redirect("planning:rota")
    if place is not None:
        week, cover = request.POST.get("uge", ""), request.POST.get("daekning", "")
        target["Location"] += f"?{urlencode({'sted': place.pk, 'uge': week, 'daekning': cover})}"
    rota = _unsign(place=place, signed=request.POST.get("plan", "")) if place else None
    if place is None or rota is None:
        messages.error(
            request,
            _("The rota could not be read, or its shift patterns have changed. Look at it again."),
        )
        return target
    try:
        applied = apply_rota(location=place, rota=rota, user=user)
    except RotaRefused as refused:
        messages.error(request, _refusal_text(refused))
    else:
        messages.success(
            request,
            _(
                "The rota is applied: %(shifts)d desk shifts from %(first)s to %(last)s. "
                "Citizens can book the new times at once."
            )
            % {
                "shifts": applied.shifts_written,
                "first": formats.date_format(applied.days[0], "j. F"),
                "last": formats.date_format(applied.days[-1], "j. F Y"),
            },
        )
    return target


def _weeks_ahead(today: date) -> list[date]:
    """The Mondays of the next weeks: a rota is planned before its week
    begins, within the forecast's reach."""
    next_monday = today + timedelta(days=7 - today.weekday())
    return [next_monday + timedelta(weeks=offset) for offset in range(WEEKS_AHEAD)]


@dataclass(frozen=True)
class IntervalRow:
    label: str
    need: int
    planned: int

    @property
    def missing(self) -> int:
        return max(self.need - self.planned, 0)


@dataclass(frozen=True)
class DayView:
    day: date
    shifts: list[tuple[Pattern, int]]
    hours: float
    rows: list[IntervalRow]  # the half hours with a need or staff


def _day_view(day: RotaDay) -> DayView:
    rows = [
        IntervalRow(interval_label(interval), need, planned)
        for interval, (need, planned) in enumerate(zip(day.need, day.planned, strict=True))
        if need or planned
    ]
    return DayView(
        day=day.day,
        shifts=[(shift.pattern, shift.staff) for shift in day.shifts],
        hours=day.hours,
        rows=rows,
    )


@dataclass(frozen=True)
class WeekChart:
    chart: Chart
    need_points: str  # an SVG polyline over the bars: the need


def _week_chart(rota: Rota) -> WeekChart:
    """Staff planned per open half hour over the week as bars, the need as
    a stepped line across them, on one scale."""
    labels: list[str] = []
    planned: list[float | None] = []
    needed: list[int] = []
    for day in rota.days:
        weekday = formats.date_format(day.day, "D")
        for interval, (need, staff) in enumerate(zip(day.need, day.planned, strict=True)):
            if need or staff:
                minute = interval * INTERVAL_MINUTES
                # Short, so that the thinned-out labels never overlap.
                labels.append(f"{weekday} {minute // 60}" + (":30" if minute % 60 else ""))
                planned.append(staff)
                needed.append(need)
    chart = draw_chart(labels=labels, values=planned, target=None, counts=True)
    # The same scale as draw_chart's for counts, so the line meets the bars.
    top = round_top(max([*needed, *(value or 0 for value in planned)], default=0))
    points = []
    for bar, need in zip(chart.bars, needed, strict=True):
        y = round(TOP + PLOT_HEIGHT * (1 - need / top), 1)
        points += [f"{bar.x},{y}", f"{round(bar.x + bar.width, 1)},{y}"]
    return WeekChart(chart=chart, need_points=" ".join(points))


def _sign(*, place: Location, rota: Rota) -> str:
    patterns = {
        shift.pattern.key: shift.pattern for day in rota.days for shift in day.shifts
    }.values()
    return signing.dumps(
        {
            "place": place.pk,
            "patterns": {pattern.key: _shape(pattern) for pattern in patterns},
            "days": [
                [
                    day.day.isoformat(),
                    list(day.need),
                    {shift.pattern.key: shift.staff for shift in day.shifts},
                ]
                for day in rota.days
            ],
        },
        salt=SIGNING_SALT,
        compress=True,
    )


def _shape(pattern: Pattern) -> list[int]:
    return [pattern.start, pattern.length, pattern.break_start, pattern.break_length]


def _unsign(*, place: Location, signed: str) -> Rota | None:
    """The reviewed rota, or None when the form was tampered with, is for
    another place, or a pattern it uses has changed since."""
    try:
        payload = signing.loads(signed, salt=SIGNING_SALT)
    except signing.BadSignature:
        return None
    if payload.get("place") != place.pk:
        return None
    current = {pattern.key: pattern for pattern in read_patterns(location=place)}
    for key, shape in payload["patterns"].items():
        if key not in current or _shape(current[key]) != shape:
            return None
    days = tuple(
        build_day(
            day=date.fromisoformat(day),
            need=need,
            counts={current[key]: staff for key, staff in counts.items()},
        )
        for day, need, counts in payload["days"]
    )
    return Rota(days=days, solved_optimally=True, solve_seconds=0.0)


def _refusal_text(refused: RotaRefused) -> str:
    if not refused.bookings:
        return refused.message
    named = [
        _("%(code)s (%(when)s, %(service)s)")
        % {
            "code": booking.code,
            "when": formats.date_format(booking.start, "j. F H:i"),
            "service": booking.service,
        }
        for booking in refused.bookings[:REFUSED_SHOWN]
    ]
    more = len(refused.bookings) - len(named)
    text = f"{refused.message} {', '.join(named)}"
    if more:
        text += " " + _("and %(count)d more.") % {"count": more}
    return text
