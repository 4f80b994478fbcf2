"""The staff start page: what a staff member's role lets them do, and where
(the pages themselves: accounts/staff_navigation.py)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from skranke.accounts.scoping import visible_locations


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/home.html",
        {"locations": visible_locations(user=request.user)},
    )
