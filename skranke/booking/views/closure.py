"""Cancelling a day's bookings when the centre must close unexpectedly: a
manager says where, when and why, sees how many citizens it concerns and
the text they will get, and confirms. Every citizen is told."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from skranke.access_log.recording import Action, record_access
from skranke.accounts.permissions import role_allows
from skranke.accounts.scoping import visible_locations
from skranke.booking.booking import bookings_to_cancel, cancel_bookings_by_centre
from skranke.booking.forms import CentreCancellationForm
from skranke.booking.message_texts import preview_message
from skranke.core import clock
from skranke.core.models import Location, SpecialDay
from skranke.notifications.models import Message
from skranke.web.date_parameters import read_date_parameter
from skranke.web.posted_ids import read_posted_id


@login_required
@require_http_methods(["GET", "POST"])
def cancel_day(request: HttpRequest) -> HttpResponse:
    if not role_allows(user=request.user, action="manage_messages"):
        raise PermissionDenied
    locations = visible_locations(user=request.user)
    form = CentreCancellationForm(
        request.POST or None, locations=locations, initial=_prefilled(request, locations)
    )
    if request.method != "POST" or not form.is_valid():
        return render(request, "booking/staff/cancel_day.html", {"form": form})
    choice = {
        "location": form.cleaned_data["location"],
        "day": form.cleaned_data["day"],
        "desk_id": form.cleaned_data["desk"].pk if form.cleaned_data["desk"] else None,
        "stranded_only": form.cleaned_data["stranded_only"],
    }
    reasons = {
        "reason_da": form.cleaned_data["reason_da"],
        "reason_en": form.cleaned_data["reason_en"],
    }
    if request.POST.get("confirmed") != "1":
        concerned = bookings_to_cancel(**choice)
        # The text in both languages, whichever the first citizen booked in.
        previews = (
            [
                (
                    label,
                    preview_message(
                        booking=concerned[0],
                        kind=Message.Kind.CANCELLED_BY_CENTRE,
                        reason=reasons[f"reason_{language}"],
                        language=language,
                    ),
                )
                for language, label in (("da", _("In Danish")), ("en", _("In English")))
            ]
            if concerned
            else []
        )
        return render(
            request,
            "booking/staff/cancel_day.html",
            {"form": form, "reviewing": True, "concerned": concerned, "previews": previews},
        )
    cancelled = cancel_bookings_by_centre(**choice, **reasons)
    record_access(actor=request.user, action=Action.CANCELLED, booking=cancelled)
    messages.success(
        request,
        ngettext(
            "%(count)d booking was cancelled; the citizen is being told.",
            "%(count)d bookings were cancelled; the citizens are being told.",
            len(cancelled),
        )
        % {"count": len(cancelled)},
    )
    return redirect("notifications:overview")


def _prefilled(request: HttpRequest, locations: QuerySet[Location]) -> dict[str, object]:
    """The place and day (and "only those no longer held") a link from the
    admin brings along, after a manager closed a day or shortened hours.
    Anything unreadable is simply not filled in."""
    initial: dict[str, object] = {}
    place = locations.filter(pk=read_posted_id(request.GET.get("sted"))).first()
    if place is not None:
        initial["location"] = place
    day = read_date_parameter(request.GET.get("dag"), today=clock.today(), request=request)
    if day is not None:
        initial["day"] = day
    if place is not None and day is not None:
        # The reason the manager has just typed on the closed day, offered
        # again rather than typed twice.
        closed = SpecialDay.objects.filter(location=place, date=day).first()
        if closed is not None:
            initial["reason_da"] = closed.note_da
            initial["reason_en"] = closed.note_en
    if request.GET.get("kun_uden_plads") == "1":
        initial["stranded_only"] = True
    return initial
