"""Who may see and change a booking on the web: whoever opened its manage
link (code and secret token) in this browser session.

The token arrives once in the link's query string; the session then
remembers the booking and the browser is sent on to a URL without it, so
the token does not linger in the address bar, the history or a Referer.
"""

import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from skranke.booking.models import Booking
from skranke.booking.views.find import FindBookingForm, find_booking_page

SESSION_KEY = "bookings"


def same_token(expected: str, given: str) -> bool:
    """A constant-time comparison that any text may be given to."""
    return secrets.compare_digest(expected.encode(), given.encode())


def remember_access(request: HttpRequest, booking: Booking) -> None:
    codes = set(request.session.get(SESSION_KEY, []))
    codes.add(booking.code)
    request.session[SESSION_KEY] = sorted(codes)


def booking_for_citizen(request: HttpRequest, code: str) -> Booking:
    """The booking `code`, if this session may see it (404 otherwise, the
    same for a wrong code and a wrong token)."""
    booking = (
        Booking.objects.select_related("location__municipality", "service")
        .filter(code=code.upper()[:8])
        .first()
    )
    if booking is None:
        raise Http404
    token = request.GET.get("token", "")
    if token and same_token(booking.token, token):
        remember_access(request, booking)
    elif booking.code not in request.session.get(SESSION_KEY, []):
        raise Http404
    return booking


CitizenView = Callable[..., HttpResponse]


def citizen_booking_view(view: CitizenView) -> CitizenView:
    """A view of one of the citizen's own bookings: it is given the booking
    (404 when this session may not see it). A link carrying the token is
    followed to the same address without it."""

    @wraps(view)
    def with_booking(request: HttpRequest, code: str, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            booking = booking_for_citizen(request, code)
        except Http404:
            # A link cut short, or an old one: still a 404, but with the
            # way to get the link again.
            form = FindBookingForm(initial={"code": code[:8]})
            return find_booking_page(request, form=form, status=404, no_access=True)
        if "token" in request.GET:
            query = request.GET.copy()
            del query["token"]
            response = redirect(request.path + (f"?{query.urlencode()}" if query else ""))
            # The link from a text message or an e-mail opens the page in the
            # language the citizen booked in, unless they chose one here.
            if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
                response.set_cookie(
                    settings.LANGUAGE_COOKIE_NAME,
                    booking.language,
                    samesite="Lax",
                    secure=request.is_secure(),
                )
            return response
        # The page shows the municipality of the booking's location.
        request.presented_municipality_id = booking.location.municipality_id  # type: ignore[attr-defined]
        return view(request, booking, *args, **kwargs)

    return with_booking
