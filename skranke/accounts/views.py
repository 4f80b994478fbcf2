"""The staff start page: what a staff member's role lets them do, and where."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from skranke.accounts.permissions import (
    may_import_calls,
    may_use_admin,
    may_watch_phone_meetings,
    role_allows,
)
from skranke.accounts.scoping import visible_locations


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/home.html",
        {
            "locations": visible_locations(user=request.user),
            "may_use_admin": may_use_admin(user=request.user),
            "may_manage_messages": role_allows(user=request.user, action="manage_messages"),
            "may_serve_at_desk": role_allows(user=request.user, action="serve_at_desk"),
            "may_log_contacts": role_allows(user=request.user, action="log_contacts"),
            "may_view_contact_kpis": role_allows(user=request.user, action="view_contact_kpis"),
            "may_import_calls": may_import_calls(user=request.user),
            "may_view_statistics": role_allows(user=request.user, action="view_statistics"),
            "may_plan_staffing": role_allows(user=request.user, action="plan_staffing"),
            "may_count_tallies": role_allows(user=request.user, action="count_tallies"),
            "may_watch_phone_meetings": may_watch_phone_meetings(user=request.user),
            "may_watch_the_day": role_allows(user=request.user, action="watch_the_day"),
        },
    )
