"""The telephones: agents needed per half hour of a forecast day, Erlang C
against Erlang A, and the agent-hours each would put on the rota."""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from skranke.core import clock
from skranke.database.replica import reads_from_replica
from skranke.planning.forecast import PLAN_FOR_SHARE
from skranke.planning.phones.plan import (
    DayPlan,
    IntervalPlan,
    PhonePlan,
    PhonePlanRefused,
    plan_phones,
)
from skranke.planning.views.access import chosen_place, planning_manager
from skranke.web.chart import Chart, draw_chart
from skranke.web.date_parameters import read_date_parameter

DEFAULT_OCCUPANCY = 85
DEFAULT_SHRINKAGE = 30
# Beyond these the plan stops meaning anything: below half occupied the
# line is overstaffed by design; above 60 % shrinkage nobody is on the phone.
OCCUPANCY_RANGE = (50, 100)
SHRINKAGE_RANGE = (0, 60)


@dataclass(frozen=True)
class Setting:
    """A percentage field as the page shows it back, with its problem."""

    value: int
    given: str
    error: str | None


@dataclass(frozen=True)
class Row:
    """A half hour as the table shows it, shares as percentages."""

    item: IntervalPlan
    service_level: float | None  # % of offered calls, Erlang A's (C's when A is not used)
    abandoned: float | None  # % hung up after the target time, Erlang A's
    abandoned_total: float | None  # % hung up at all, Erlang A's


@login_required
@require_GET
@reads_from_replica
def phones_page(request: HttpRequest) -> HttpResponse:
    user = planning_manager(request)
    _locations, place = chosen_place(user=user, chosen=request.GET.get("sted"))
    occupancy = _read_percent(
        request.GET.get("belaegning"),
        default=DEFAULT_OCCUPANCY,
        limits=OCCUPANCY_RANGE,
        message=_("Maximum occupancy must be a whole percentage from %(low)d to %(high)d."),
    )
    shrinkage = _read_percent(
        request.GET.get("fravaer"),
        default=DEFAULT_SHRINKAGE,
        limits=SHRINKAGE_RANGE,
        message=_("Shrinkage must be a whole percentage from %(low)d to %(high)d."),
    )
    context: dict[str, object] = {
        "place": place,
        "occupancy": occupancy,
        "shrinkage": shrinkage,
        "defaults": {"occupancy": DEFAULT_OCCUPANCY, "shrinkage": DEFAULT_SHRINKAGE},
    }
    municipality = user.municipality
    if municipality is None:  # planning_manager refuses them; for the type checker
        raise PermissionDenied
    today = clock.today()
    try:
        plan = plan_phones(
            municipality=municipality,
            today=today,
            max_occupancy=occupancy.value / 100,
            shrinkage=shrinkage.value / 100,
        )
    except PhonePlanRefused as refused:
        context["refused"] = str(refused)
        return render(request, "planning/phones.html", context)
    if plan is None or not plan.days:
        return render(request, "planning/phones.html", context)
    day = _chosen_day(plan, request.GET.get("dag"), today=today)
    context.update(
        plan=plan,
        day=day,
        chart=_chart(day),
        rows=[_row(item, uses_erlang_a=plan.uses_erlang_a) for item in day.intervals],
        percents=_percents(plan, day),
    )
    return render(request, "planning/phones.html", context)


def _read_percent(
    given: str | None, *, default: int, limits: tuple[int, int], message: str
) -> Setting:
    """A whole percentage within `limits`; anything else gives the default
    and says why, so a mistyped field never hides the plan."""
    if given is None or given.strip() == "":
        return Setting(value=default, given=str(default), error=None)
    text = given.strip().removesuffix("%").strip()
    low, high = limits
    if text.isdigit() and low <= int(text) <= high:
        return Setting(value=int(text), given=text, error=None)
    problem = message % {"low": low, "high": high}
    used = _("%(default)d %% is used.") % {"default": default}
    return Setting(value=default, given=given[:20], error=f"{problem} {used}")


def _chosen_day(plan: PhonePlan, given: str | None, *, today: date) -> DayPlan:
    """The asked-for day if it is one of the plan's; else the first from
    today on (the last when all are gone)."""
    wanted = read_date_parameter(given, today=today)
    asked = plan.day(wanted) if wanted is not None else None
    if asked is not None:
        return asked
    return next((item for item in plan.days if item.day >= today), plan.days[-1])


def _chart(day: DayPlan) -> Chart:
    """The agents to put on the rota per half hour: the plan's need."""
    return draw_chart(
        labels=[item.starts.strftime("%H:%M") for item in day.intervals],
        values=[float(item.need) for item in day.intervals],
        target=None,
        counts=True,
    )


def _row(item: IntervalPlan, *, uses_erlang_a: bool) -> Row:
    if item.erlang_a is not None:
        plan = item.erlang_a
        return Row(
            item, 100 * plan.service_level, 100 * plan.abandoned_share, 100 * plan.abandoned_total
        )
    if item.erlang_c is not None and not uses_erlang_a:  # the columns are Erlang A's
        return Row(item, 100 * item.erlang_c.service_level, None, None)
    return Row(item, None, None, None)


def _percents(plan: PhonePlan, day: DayPlan) -> dict[str, float | None]:
    """The plan's shares as percentages, and its times in minutes."""
    targets = plan.inputs.targets
    patience = plan.inputs.patience_seconds
    return {
        "service_level": 100 * targets.service_level,
        "abandoned": 100 * targets.abandoned,
        "abandoned_total": 100 * targets.abandoned_total,
        "plan_for": 100 * PLAN_FOR_SHARE,
        "occupancy": 100 * targets.max_occupancy,
        "shrinkage": 100 * targets.shrinkage,
        "backtest_error": None if plan.backtest_error is None else 100 * plan.backtest_error,
        "saved": None if plan.saved_share is None else 100 * plan.saved_share,
        "day_saved": None if day.saved_share is None else 100 * day.saved_share,
        "handling_minutes": plan.inputs.handling_seconds / 60,
        "patience_minutes": None if patience is None else patience / 60,
    }
