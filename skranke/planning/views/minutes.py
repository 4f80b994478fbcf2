"""Minutes per service: what the cleaned times recommend, and what the
recommended minutes would do to a simulated week."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from skranke.core import clock
from skranke.core.models import Service
from skranke.planning.counter.minutes import CONFIDENCE, advise_on_times, recommended_share
from skranke.planning.counter.minutes_change import MinutesRefused, change_minutes
from skranke.planning.counter.model import read_counter_model
from skranke.planning.counter.simulation import simulate_week
from skranke.planning.views.access import chosen_place, planning_manager
from skranke.planning.views.comparison import compare_weeks

# A minute of a citizen's waiting against a minute of an idle desk.
COST_RATIOS = {"2": 2.0, "3": 3.0, "4": 4.0, "6": 6.0, "9": 9.0}
DEFAULT_RATIO = "4"
RUNS = 20


@login_required
@require_GET
def minutes_page(request: HttpRequest) -> HttpResponse:
    user = planning_manager(request)
    locations, place = chosen_place(user=user, chosen=request.GET.get("sted"))
    ratio = request.GET.get("forhold", DEFAULT_RATIO)
    ratio = ratio if ratio in COST_RATIOS else DEFAULT_RATIO
    context: dict[str, object] = {
        "locations": locations,
        "place": place,
        "ratios": list(COST_RATIOS),
        "ratio": ratio,
    }
    if place is None:
        return render(request, "planning/minutes.html", context)
    model = read_counter_model(location=place, today=clock.today())
    advice = advise_on_times(
        services=list(model.services.values()),
        measured=model.measured,
        wait_cost=COST_RATIOS[ratio],
        idle_cost=1.0,
        week=model.week,
    )
    context.update(
        model=model,
        advice=advice,
        last_day=model.end - timedelta(days=1),
        share=recommended_share(wait_cost=COST_RATIOS[ratio], idle_cost=1.0) * 100,
        confidence=CONFIDENCE * 100,
    )
    recommended = {
        item.service.pk: item.recommended_minutes
        for item in advice
        if item.recommended_minutes is not None
    }
    if model.has_history and model.week.desks:
        today = simulate_week(week=model.week, runs=RUNS)
        better = simulate_week(week=model.week.with_minutes(recommended), runs=RUNS)
        context["comparison"] = compare_weeks(today=today, changed=better)
        context["runs"] = RUNS
    return render(request, "planning/minutes.html", context)


@login_required
@require_POST
def apply_minutes(request: HttpRequest) -> HttpResponse:
    user = planning_manager(request)
    _locations, place = chosen_place(user=user, chosen=request.POST.get("sted"))
    chosen = request.POST.get("service", "")
    if not chosen.isdigit():
        messages.error(request, _("Choose a service."))
        return redirect("planning:minutes")
    service = get_object_or_404(Service, pk=int(chosen), municipality=user.municipality)
    try:
        minutes = int(request.POST.get("minutes", ""))
        change = change_minutes(service=service, minutes=minutes, user=user, location=place)
    except ValueError as refused:
        text = str(refused) if isinstance(refused, MinutesRefused) else _("Give whole minutes.")
        messages.error(request, text)
    else:
        messages.success(
            request,
            _("%(service)s now takes %(new)d minutes (was %(old)d).")
            % {"service": service.name, "new": change.new_minutes, "old": change.old_minutes},
        )
    target = redirect("planning:minutes")
    if place is not None:
        target["Location"] += f"?sted={place.pk}"
    return target
