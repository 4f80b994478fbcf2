"""What if: the manager changes one thing about a place's week (a
service's minutes, a desk, the opening hours or a Saturday, times held
back for the same day, more or fewer citizens) and sees the simulated
week with and without it.

A GET page: nothing is changed by looking, so a scenario can be
bookmarked and sent to a colleague."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from skranke.core import clock
from skranke.core.intervals import format_minutes
from skranke.core.models import Weekday
from skranke.planning.counter.model import read_counter_model
from skranke.planning.counter.simulation import CounterWeek, simulate_week
from skranke.planning.counter.what_if import ChangeRefused, change_week
from skranke.planning.counter.what_if_forms import FORMS
from skranke.planning.views.access import chosen_place, planning_manager
from skranke.planning.views.comparison import compare_weeks

RUNS = 20


@dataclass(frozen=True)
class WeekdayRow:
    """One weekday of the week simulated today, as the page shows it."""

    day: str
    opening: str
    desks: list[str]  # "Desk 1: 08:00–15:30"


@login_required
@require_GET
def what_if_page(request: HttpRequest) -> HttpResponse:
    user = planning_manager(request)
    locations, place = chosen_place(user=user, chosen=request.GET.get("sted"))
    context: dict[str, object] = {"locations": locations, "place": place, "runs": RUNS}
    if place is None:
        return render(request, "planning/what_if.html", context)
    model = read_counter_model(location=place, today=clock.today())
    context["model"] = model
    if not model.has_history or not model.week.desks:
        return render(request, "planning/what_if.html", context)
    chosen = request.GET.get("aendring")
    forms = {
        name: form_class(
            request.GET if name == chosen else None,
            week=model.week,
            services=model.services,
            prefix=name,
        )
        for name, form_class in FORMS.items()
    }
    context.update(forms=forms, week=_weekdays(model.week))
    form = forms.get(chosen or "")
    if form is not None and form.is_valid():
        try:
            changed = change_week(week=model.week, change=form.change())
        except ChangeRefused as refused:
            form.add_error(None, str(refused))
        else:
            context["comparison"] = compare_weeks(
                today=simulate_week(week=model.week, runs=RUNS),
                changed=simulate_week(week=changed, runs=RUNS),
            )
            context["described"] = form.describe()
    return render(request, "planning/what_if.html", context)


def _weekdays(week: CounterWeek) -> list[WeekdayRow]:
    return [
        WeekdayRow(
            day=str(Weekday(weekday).label),
            opening=", ".join(format_minutes(*window) for window in week.opening[weekday]),
            desks=[
                _("Desk %(name)s: %(hours)s")
                % {
                    "name": desk.name,
                    "hours": ", ".join(format_minutes(*window) for window in desk.hours[weekday]),
                }
                for desk in week.desks
                if desk.hours.get(weekday)
            ],
        )
        for weekday in sorted(week.opening)
        if week.opening[weekday]
    ]
