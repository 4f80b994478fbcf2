"""The telephone-meeting worklist: the day's meetings with a button for
each step of the call. Every action is a POST to one view that calls one
domain function and comes back to the list; a refusal shows as an alert,
a second click is told that nothing changed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from skranke.access_log.recording import Action, record_access
from skranke.accounts.models import User
from skranke.accounts.permissions import may_call_phone_meetings, may_watch_phone_meetings
from skranke.accounts.scoping import visible_locations
from skranke.booking.models import Booking
from skranke.core import clock
from skranke.phone_meetings.errors import MeetingNotChanged, MeetingRefused
from skranke.phone_meetings.meeting_calls import (
    claim_meeting,
    finish_meeting_call,
    record_no_answer,
    release_meeting,
    start_meeting_call,
)
from skranke.phone_meetings.models import MeetingCall
from skranke.phone_meetings.worklist import (
    State,
    read_worklist,
    todays_meetings_for,
    worklist_version,
)
from skranke.web.posted_ids import read_posted_id


def _watcher(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not may_watch_phone_meetings(user=user):
        raise PermissionDenied
    return user


def _context(user: User) -> dict[str, object]:
    meetings = read_worklist(staff=user)
    bookings = [meeting.booking for meeting in meetings]
    record_access(actor=user, action=Action.VIEWED_WORKLIST, booking=bookings, once_a_day=True)
    return {
        "meetings": meetings,
        "version": worklist_version(meetings),
        "today": clock.today(),
        "may_call": may_call_phone_meetings(user=user),
        "several_locations": visible_locations(user=user).count() > 1,
        "State": State,
    }


@login_required
@require_GET
def worklist(request: HttpRequest) -> HttpResponse:
    return render(request, "phone_meetings/worklist.html", _context(_watcher(request)))


@login_required
@require_GET
def worklist_rows(request: HttpRequest) -> HttpResponse:
    """The list part of the page, which asks for itself again every few
    seconds: nothing (204, which htmx leaves alone) while it is unchanged."""
    context = _context(_watcher(request))
    if request.GET.get("version") == context["version"]:
        return HttpResponse(status=204)
    return render(request, "phone_meetings/rows.html", context)


@login_required
@require_POST
def meeting_action(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not isinstance(user, User) or not may_call_phone_meetings(user=user):
        raise PermissionDenied
    booking = get_object_or_404(
        todays_meetings_for(staff=user), pk=read_posted_id(request.POST.get("booking"))
    )
    action = request.POST.get("action", "")
    # The attempt the page showed, so that a click from an older page
    # cannot note a second unanswered call.
    attempt = read_posted_id(request.POST.get("attempt")) or None
    try:
        done = _act(action=action, booking=booking, user=user, attempt=attempt)
    except MeetingNotChanged as unchanged:
        messages.info(request, str(unchanged.message))
    except MeetingRefused as refused:
        messages.error(request, str(refused.message))
    else:
        if done:
            messages.success(request, done)
        else:
            messages.error(request, _("Unknown action."))
    return redirect("phone_meetings:worklist")


def _act(*, action: str, booking: Booking, user: User, attempt: int | None) -> str:
    """Do `action` on the meeting; what to tell the staff member ("" for an
    unknown action)."""
    time = f"{booking.start.astimezone(clock.LOCAL_ZONE):%H:%M}"
    if action == "claim":
        claim_meeting(booking=booking, staff=user)
        return _("You have taken the call at %(time)s.") % {"time": time}
    if action == "release":
        release_meeting(booking=booking, staff=user)
        return _("You have given the call at %(time)s back.") % {"time": time}
    if action == "start":
        start_meeting_call(booking=booking, staff=user)
        return _("The call at %(time)s has started.") % {"time": time}
    if action == "reached":
        finish_meeting_call(booking=booking, staff=user, outcome=MeetingCall.Outcome.REACHED)
        return _("The call at %(time)s is done: the citizen was reached.") % {"time": time}
    if action == "no_answer":
        call = record_no_answer(booking=booking, staff=user, attempt=attempt)
        if call.finished_at is None and call.retry_at is not None:
            return _("No answer. The second attempt is due at %(time)s.") % {
                "time": f"{call.retry_at.astimezone(clock.LOCAL_ZONE):%H:%M}"
            }
        record_access(actor=user, action=Action.NO_SHOW, booking=booking)
        return _("No answer again: the telephone meeting is over.")
    return ""
