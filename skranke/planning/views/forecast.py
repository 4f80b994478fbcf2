"""The forecast: citizens at a place's counter or calls to the telephones,
per day from a week ago to two weeks ahead with the range each day is
likely to fall in, what actually came on the days gone, how far off the
forecast has been beside how far off a perfect one would be, a warning
when the history is old, and the events a manager enters to lift it."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from skranke.accounts.models import User
from skranke.contact_centre.models import TopicGroup
from skranke.core import clock
from skranke.core.intervals import time_of_minute
from skranke.core.models import Municipality, Service
from skranke.database.replica import reads_from_replica
from skranke.planning.demand import OLD_AFTER_DAYS, Demand, forecast_calls, forecast_visits
from skranke.planning.forecast import (
    BACKTEST_WEEKS,
    FEWEST_DAYS,
    INTERVAL_MINUTES,
    INTERVAL_SHARE,
)
from skranke.planning.forms import ForecastEventForm
from skranke.planning.models import ForecastEvent
from skranke.planning.views.access import chosen_place, planning_manager
from skranke.web.chart import Bar, Mark, draw_chart
from skranke.web.date_parameters import read_date_parameter

PHONES = "telefoner"  # ?sted= for the telephones instead of a place's counter


@dataclass(frozen=True)
class DayRow:
    day: date
    expected: float
    low: int  # the day's count falls within [low, high] on 8 of 10 days
    high: int
    actual: int | None
    deviation: str  # "+5 %", "−3 %", or "" before the day has passed
    events: list[str]
    chosen: bool


@dataclass(frozen=True)
class ChartDay:
    bar: Bar
    mark: Mark | None
    row: DayRow


@dataclass(frozen=True)
class SplitRow:
    name: str
    detail: str  # the queue's topic group, for calls
    share: float  # 0–100
    expected: float


@dataclass(frozen=True)
class IntervalRow:
    starts: str
    ends: str
    expected: float


@login_required
@require_GET
@reads_from_replica
def forecast_page(request: HttpRequest) -> HttpResponse:
    user = planning_manager(request)
    return _render_page(request, user=user, source=request.GET, form=ForecastEventForm())


@login_required
@require_POST
def add_event(request: HttpRequest) -> HttpResponse:
    user = planning_manager(request)
    form = ForecastEventForm(request.POST)
    if not form.is_valid():
        # Shown again with what was typed and why it was refused; nothing saved.
        return _render_page(request, user=user, source=request.POST, form=form)
    event = form.save(commit=False)
    event.municipality = _municipality_of(user)
    event.created_by = user
    event.save()
    messages.success(request, _("The event “%(name)s” was added.") % {"name": event.name})
    return _back_to_page(request)


@login_required
@require_POST
def delete_event(request: HttpRequest, pk: int) -> HttpResponse:
    user = planning_manager(request)
    # Another municipality's event is not found, not refused: its
    # existence is none of this manager's business.
    event = get_object_or_404(ForecastEvent, pk=pk, municipality=user.municipality)
    event.delete()
    messages.success(request, _("The event “%(name)s” was deleted.") % {"name": event.name})
    return _back_to_page(request)


def _municipality_of(user: User) -> Municipality:
    # planning_manager lets no one through without a municipality.
    if user.municipality is None:
        raise PermissionDenied
    return user.municipality


def _back_to_page(request: HttpRequest) -> HttpResponse:
    target = redirect("planning:forecast")
    chosen = request.POST.get("sted", "")
    if chosen == PHONES or chosen.isdigit():
        target["Location"] += f"?sted={chosen}"
    return target


def _render_page(
    request: HttpRequest,
    *,
    user: User,
    source: QueryDict,
    form: ForecastEventForm,
) -> HttpResponse:
    """The page for the counter or telephones chosen in `source` (the
    address's query, or the form posted)."""
    chosen = source.get("sted")
    locations, place = chosen_place(user=user, chosen=chosen)
    phones = chosen == PHONES
    today = clock.today()
    events = list(ForecastEvent.objects.filter(municipality=user.municipality))
    context: dict[str, object] = {
        "locations": locations,
        "place": place,
        "phones": phones,
        "chosen": PHONES if phones else (str(place.pk) if place else ""),
        "phones_value": PHONES,
        "form": form,
        "events": events,
        "fewest_days": FEWEST_DAYS,
        "backtest_weeks": BACKTEST_WEEKS,
    }
    demand: Demand | None = None
    if phones:
        demand = forecast_calls(municipality=_municipality_of(user), today=today)
    elif place is not None:
        demand = forecast_visits(location=place, today=today)
    if demand is not None and demand.forecast.days:
        wanted = read_date_parameter(source.get("dag"), today=today)
        context.update(
            _forecast_context(
                demand=demand,
                events=_events_of(events, phones=phones),
                wanted=wanted,
                today=today,
                phones=phones,
                user=user,
            )
        )
    return render(request, "planning/forecast.html", context)


def _forecast_context(
    *,
    demand: Demand,
    events: list[ForecastEvent],
    wanted: date | None,
    today: date,
    phones: bool,
    user: User,
) -> dict[str, object]:
    days = demand.forecast.days
    open_days = [forecast.day for forecast in days]
    chosen = wanted if wanted in open_days else _default_day(open_days, today)
    rows = [
        DayRow(
            day=forecast.day,
            expected=forecast.expected,
            low=forecast.low,
            high=forecast.high,
            actual=forecast.actual,
            deviation=_deviation(forecast.expected, forecast.actual),
            events=[e.name for e in events if e.first_day <= forecast.day <= e.last_day],
            chosen=forecast.day == chosen,
        )
        for forecast in days
    ]
    chart = draw_chart(
        labels=[f"{row.day.day}/{row.day.month}" for row in rows],
        values=[row.expected for row in rows],
        target=None,
        counts=True,
        marks=[None if row.actual is None else float(row.actual) for row in rows],
    )
    marks = iter(chart.marks)  # one for each day that has passed, in order
    chart_days = [
        ChartDay(bar=bar, mark=None if row.actual is None else next(marks), row=row)
        for bar, row in zip(chart.bars, rows, strict=True)
    ]
    day = next(forecast for forecast in days if forecast.day == chosen)
    intervals = _open_intervals(day.by_interval.tolist())
    history_last = demand.history_end - timedelta(days=1)
    days_old = (today - history_last).days
    return {
        "demand": demand,
        "history_last": history_last,
        "history_days_old": days_old,
        "history_weeks_old": days_old // 7,
        "history_is_old": days_old > OLD_AFTER_DAYS,
        "error_percent": _percent(demand.forecast.backtest_error),
        "noise_floor_percent": _percent(demand.forecast.noise_floor),
        "last_week_percent": _percent(demand.forecast.last_week_error),
        "interval_in_ten": round(INTERVAL_SHARE * 10),
        "rows": rows,
        "chart": chart,
        "chart_days": chart_days,
        "has_actual": any(row.actual is not None for row in rows),
        "day": day,
        "split": _split(demand=demand, expected=day.expected, phones=phones, user=user),
        "intervals": intervals,
        "interval_chart": draw_chart(
            labels=[row.starts for row in intervals],
            values=[row.expected for row in intervals],
            target=None,
            counts=True,
        ),
    }


def _percent(share: float | None) -> float | None:
    return None if share is None else share * 100


def _default_day(days: list[date], today: date) -> date:
    """Today, or the first open day after it, or the last day shown."""
    return next((day for day in days if day >= today), days[-1])


def _deviation(expected: float, actual: int | None) -> str:
    if actual is None or expected <= 0:
        return ""
    percent = round((actual - expected) / expected * 100)
    if percent == 0:
        return "0 %"
    return f"{percent:+d} %".replace("-", "\N{MINUS SIGN}")


def _events_of(events: list[ForecastEvent], *, phones: bool) -> list[ForecastEvent]:
    """The events that lift the forecast shown."""
    applies = ForecastEvent.Applies.PHONES if phones else ForecastEvent.Applies.COUNTER
    return [e for e in events if e.applies_to in (applies, ForecastEvent.Applies.BOTH)]


def _open_intervals(expected: list[float]) -> list[IntervalRow]:
    """The half hours from the first that has citizens in the history to
    the last: the day's opening hours as the weekday's history shows them."""
    busy = [index for index, value in enumerate(expected) if value > 0]
    if not busy:
        return []
    return [
        IntervalRow(
            starts=f"{time_of_minute(index * INTERVAL_MINUTES):%H:%M}",
            ends=f"{time_of_minute((index + 1) * INTERVAL_MINUTES):%H:%M}",
            expected=expected[index],
        )
        for index in range(busy[0], busy[-1] + 1)
    ]


def _split(*, demand: Demand, expected: float, phones: bool, user: User) -> list[SplitRow]:
    """The chosen day's expected count shared out as the history's was:
    over the services (counter) or the phone system's queues (calls)."""
    shares = sorted(demand.shares.items(), key=lambda item: -item[1])
    if phones:
        groups = {
            queue: group.name
            for group in TopicGroup.objects.filter(municipality=user.municipality)
            for queue in group.queue_names
        }
        return [
            SplitRow(
                name=str(queue) or _("No queue"),
                detail=groups.get(str(queue), ""),
                share=share * 100,
                expected=expected * share,
            )
            for queue, share in shares
        ]
    names: dict[object, str] = {
        service.pk: service.name for service in Service.objects.filter(pk__in=demand.shares)
    }
    return [
        SplitRow(
            name=names.get(service, _("Service no longer offered")),
            detail="",
            share=share * 100,
            expected=expected * share,
        )
        for service, share in shares
    ]
