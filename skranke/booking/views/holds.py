"""The page where a citizen types the code that confirms a held time
(holds.py): one large field for the six digits, the number it went to,
until when it works, and a way to have it sent again.

A code typed right proves the phone to this browser session: the
session's next bookings with that number are not held again, so a parent
booking the family's times in several tabs types one code, not four."""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from skranke.booking.holds import HoldLapsed, confirm_hold, send_code_again
from skranke.booking.models import Booking
from skranke.booking.views.access import citizen_booking_view
from skranke.core import clock
from skranke.core.errors import DomainError
from skranke.rate_limits.limits import keyed_hash

SESSION_KEY = "proven_phones"


def note_phone_proven(request: HttpRequest, phone: str) -> None:
    proven = set(request.session.get(SESSION_KEY, []))
    proven.add(keyed_hash(phone))
    request.session[SESSION_KEY] = sorted(proven)


def is_phone_proven(request: HttpRequest, phone: str) -> bool:
    """Whether this session has typed a code sent to `phone`."""
    return keyed_hash(phone) in request.session.get(SESSION_KEY, [])


class HoldCodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from the text message"),
        max_length=12,
        help_text=gettext_lazy("Six digits."),
        widget=forms.TextInput(
            attrs={
                "class": "form-input hold-code",
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9 ]*",
            }
        ),
    )


def _lapsed_page(request: HttpRequest, booking: Booking) -> HttpResponse:
    day = booking.start.astimezone(clock.LOCAL_ZONE).date()
    return render(
        request,
        "booking/hold_lapsed.html",
        {
            "day_url": reverse(
                "booking:choose_time",
                args=[booking.service.slug, booking.location.slug, day.isoformat()],
            )
        },
        status=410,
    )


@require_http_methods(["GET", "POST"])
@citizen_booking_view
def confirm_held_time(request: HttpRequest, booking: Booking) -> HttpResponse:
    if booking.held_until is None:  # confirmed already, or never held
        return redirect("booking:manage", code=booking.code)
    if not booking.is_held:
        return _lapsed_page(request, booking)
    form = HoldCodeForm(request.POST if "code" in request.POST else None)
    sent_again = None
    status = 200
    if request.method == "POST" and "again" in request.POST:
        sent_again = send_code_again(booking=booking)
    elif request.method == "POST" and form.is_valid():
        try:
            confirmed = confirm_hold(booking=booking, code=form.cleaned_data["code"])
        except HoldLapsed:
            return _lapsed_page(request, booking)
        except DomainError as error:
            form.add_error("code", str(error.message))
            status = 422
        else:
            note_phone_proven(request, confirmed.phone)
            return redirect(reverse("booking:manage", args=[booking.code]) + "?ny=1")
    elif request.method == "POST":
        status = 422
    return render(
        request,
        "booking/confirm_held_time.html",
        {
            "booking": booking,
            "start": booking.start.astimezone(clock.LOCAL_ZONE),
            "held_until": booking.held_until.astimezone(clock.LOCAL_ZONE),
            "form": form,
            "sent_again": sent_again,
            "step_title": _("Type the code"),
        },
        status=status,
    )
