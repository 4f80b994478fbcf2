"""The tally page: two large buttons per place, one click per contact."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from skranke.accounts.models import User
from skranke.accounts.permissions import role_allows
from skranke.accounts.scoping import visible_locations
from skranke.information_and_cash_desks.counting import count_tally, count_today, undo_last_tally
from skranke.information_and_cash_desks.models import Tally


@login_required
@require_http_methods(["GET", "POST"])
def tally_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not isinstance(user, User) or not role_allows(user=user, action="count_tallies"):
        raise PermissionDenied
    locations = list(visible_locations(user=user))
    if request.method == "POST":
        location = next((loc for loc in locations if str(loc.pk) == request.POST.get("sted")), None)
        kind = request.POST.get("kind", "")
        if location is None or kind not in Tally.Kind.values:
            messages.error(request, _("Choose a place and what to count."))
        elif request.POST.get("action") == "undo":
            if undo_last_tally(location=location, kind=kind, staff=user):
                messages.info(request, _("Your last count was taken back."))
            else:
                messages.info(request, _("You have nothing to take back today."))
        else:
            count_tally(location=location, kind=kind, staff=user)
        return redirect("tallies:count")
    return render(
        request,
        "tallies/count.html",
        {
            "places": [(location, count_today(location=location)) for location in locations],
            "kinds": Tally.Kind,
        },
    )
