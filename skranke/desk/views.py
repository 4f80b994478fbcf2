"""The staff desk: pick a desk, see the day's appointments and who waits,
call the next citizen, and start, finish, transfer or mark them as not
come. Every action is a POST to one view that calls one domain function;
a second click is told that nothing changed."""

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from skranke.accounts.models import User
from skranke.accounts.permissions import role_allows
from skranke.accounts.scoping import visible_desks
from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.models import Desk, Service
from skranke.desk.access_records import record_desk_view
from skranke.queueing.access_records import record_visit_outcome
from skranke.queueing.calling import call_next, current_visit, desk_services, waiting_visits
from skranke.queueing.errors import NotChanged, QueueRefused
from skranke.queueing.models import Visit
from skranke.queueing.policy import calling_order
from skranke.queueing.serving import (
    finish_visit,
    is_overrun,
    is_paused,
    open_desk,
    pause_desk,
    recall_visit,
    start_visit,
)
from skranke.web.posted_ids import read_posted_id

SESSION_DESK = "desk_id"


def _staff(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not role_allows(user=user, action="serve_at_desk"):
        raise PermissionDenied
    return user


def _desk(request: HttpRequest, desk_id: int) -> tuple[User, Desk]:
    user = _staff(request)
    return user, get_object_or_404(visible_desks(user=user), pk=desk_id)


@login_required
@require_http_methods(["GET", "POST"])
def choose_desk(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    desks = visible_desks(user=user).order_by("location__name", "name")
    if request.method == "POST":
        desk = desks.filter(pk=read_posted_id(request.POST.get("desk"))).first()
        if desk is not None:
            open_desk(desk=desk, staff=user)
            request.session[SESSION_DESK] = desk.pk
            return redirect("desk:desk", desk_id=desk.pk)
        messages.error(request, _("Choose one of the desks."))
    return render(
        request,
        "desk/choose.html",
        {"desks": desks, "chosen": request.session.get(SESSION_DESK)},
    )


def _desk_context(desk: Desk) -> dict[str, Any]:
    now = clock.now()
    today = clock.today()
    handles = desk_services(desk=desk, moment=now)
    current = current_visit(desk=desk)
    appointments = list(
        Booking.objects.filter(
            Booking.starting_on(today), location=desk.location, service_id__in=handles
        )
        .exclude(status=Booking.Status.CANCELLED)
        .select_related("service")
        .prefetch_related("visits")
        .order_by("start")
    )
    # Listed in the order "Call next" will call them (the queue policy),
    # not in arrival order: a transferred citizen first, booked times next.
    visits = Visit.objects.filter(
        location=desk.location, day=today, status=Visit.Status.WAITING, service_id__in=handles
    ).select_related("service", "booking")
    by_id = {visit.pk: visit for visit in visits}
    waiting = [
        by_id[entry.visit]
        for entry in calling_order(
            handles=handles,
            now=now,
            waiting=waiting_visits(location_id=desk.location_id, day=today),
        )
        if entry.visit in by_id
    ]
    return {
        "desk": desk,
        "now": now,
        "current": current,
        "overrun": current is not None and is_overrun(visit=current, now=now),
        "paused": is_paused(desk=desk),
        "appointments": appointments,
        "waiting": waiting,
        "transfer_services": Service.objects.filter(
            locations=desk.location, active=True, kind=Service.Kind.IN_PERSON
        ).order_by("position", "name_da"),
        "outcomes": Visit.Outcome,
    }


@login_required
@require_GET
def desk_page(request: HttpRequest, desk_id: int) -> HttpResponse:
    user, desk = _desk(request, desk_id)
    context = _desk_context(desk)
    record_desk_view(
        actor=user, desk=desk, appointments=context["appointments"], current=context["current"]
    )
    return render(request, "desk/desk.html", context)


@login_required
@require_GET
def desk_queue(request: HttpRequest, desk_id: int) -> HttpResponse:
    """The lists part of the desk page, which refreshes itself."""
    user, desk = _desk(request, desk_id)
    context = _desk_context(desk)
    # The lists show no citizen at the desk.
    record_desk_view(actor=user, desk=desk, appointments=context["appointments"], current=None)
    return render(request, "desk/queue.html", context)


@login_required
@require_POST
def desk_action(request: HttpRequest, desk_id: int) -> HttpResponse:
    user, desk = _desk(request, desk_id)
    action = request.POST.get("action", "")
    visit_id = read_posted_id(request.POST.get("visit"))
    try:
        if action == "call":
            called = call_next(desk=desk, staff=user)
            if called is None:
                messages.info(request, _("Nobody is waiting for this desk."))
            else:
                messages.success(request, _("%(ticket)s is called.") % {"ticket": called.ticket})
        elif action == "recall":
            again = recall_visit(visit_id=visit_id, desk=desk)
            messages.success(request, _("%(ticket)s is called again.") % {"ticket": again.ticket})
        elif action == "start":
            started = start_visit(visit_id=visit_id, desk=desk)
            messages.success(
                request,
                _("%(ticket)s is at the desk since %(time)s.")
                % {"ticket": started.ticket, "time": _clock_time(started.started_at)},
            )
        elif action == "finish":
            outcome = request.POST.get("outcome", "")
            transfer_to = None
            if outcome == Visit.Outcome.TRANSFERRED:
                transfer_to = Service.objects.filter(
                    pk=read_posted_id(request.POST.get("service"))
                ).first()
            before = Visit.objects.filter(pk=visit_id, desk=desk).only("started_at").first()
            finished = finish_visit(
                visit_id=visit_id,
                desk=desk,
                outcome=outcome,
                transfer_to=transfer_to,
                times_wrong=request.POST.get("times_wrong") == "yes",
            )
            record_visit_outcome(actor=user, visit=finished, outcome=outcome, desk=desk)
            messages.success(
                request,
                _finished_message(
                    finished=finished,
                    outcome=outcome,
                    started_before=before is not None and before.started_at is not None,
                ),
            )
        elif action in ("pause", "resume"):
            pause_desk(desk=desk, staff=user, paused=action == "pause")
            messages.success(
                request,
                _("The desk is paused: nobody is called to it.")
                if action == "pause"
                else _("The desk is open again."),
            )
        else:
            messages.error(request, _("Unknown action."))
    except NotChanged as unchanged:
        messages.info(request, str(unchanged.message))
    except QueueRefused as refused:
        messages.error(request, str(refused.message))
    return redirect("desk:desk", desk_id=desk.pk)


def _clock_time(moment: datetime | None) -> str:
    return moment.astimezone(clock.LOCAL_ZONE).strftime("%H:%M") if moment else ""


def _finished_message(*, finished: Visit, outcome: str, started_before: bool) -> str:
    """What the desk is told when a visit ends; a visit finished without
    "Start" is counted from its call, and the desk is told so."""
    if outcome == Visit.Outcome.TRANSFERRED:
        return _("%(ticket)s is transferred to %(service)s, first in that queue.") % {
            "ticket": finished.ticket,
            "service": finished.service.name,
        }
    if outcome == Visit.Outcome.NO_SHOW:
        return _("%(ticket)s is marked as did not come.") % {"ticket": finished.ticket}
    if not started_before:
        return _(
            "%(ticket)s is finished. It was not started, so its service time counts from"
            " the call at %(time)s."
        ) % {"ticket": finished.ticket, "time": _clock_time(finished.called_at)}
    return _("%(ticket)s is finished.") % {"ticket": finished.ticket}
