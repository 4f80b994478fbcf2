"""Staff sessions end after a spell without use and, in any case, a working
day after sign-in.

A screen with citizens' names left open at an empty desk is a risk: after
STAFF_IDLE_MINUTES without a request (30 by default) the next request finds
the staff member signed out. The session cookie's own age cannot do this:
Django renews it whenever the session is saved, so a session that is used
would never end. Both limits are therefore kept in the session itself."""

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from skranke.core import clock
from skranke.web.database_down import DATABASE_ERRORS, database_down_response

ACTIVE_AT_KEY = "staff_active_at"
SIGNED_IN_AT_KEY = "staff_signed_in_at"
# Activity is written at most this often, so a busy desk does not save its
# session on every click.
WRITE_EVERY = timedelta(seconds=60)
# Sent by a staff page's own polling (hx-headers); see is_poll.
POLL_HEADER = "X-Skranke-Poll"


def note_sign_in(*, request: HttpRequest | None, **_signal: object) -> None:
    """Start the session's working day (user_logged_in's receiver)."""
    if request is not None and hasattr(request, "session"):
        now = clock.now().timestamp()
        request.session[SIGNED_IN_AT_KEY] = now
        request.session[ACTIVE_AT_KEY] = now


def signed_in_recently(*, request: HttpRequest) -> bool:
    """Whether this session signed in within FRESH_SIGN_IN_MINUTES: what
    adding a way into the account (a passkey) asks for."""
    signed_in_at = request.session.get(SIGNED_IN_AT_KEY)
    if not isinstance(signed_in_at, float):
        return False
    return clock.now().timestamp() - signed_in_at <= settings.FRESH_SIGN_IN_MINUTES * 60


def is_poll(request: HttpRequest) -> bool:
    """Whether the request is a page asking for its own update (the
    overview's figures, the telephone meetings' list), not a person: it
    sends POLL_HEADER. A screen left open polls for ever, so a poll must
    not keep the session in use."""
    return request.headers.get(POLL_HEADER) == "1"


def read_session_end(*, request: HttpRequest) -> str | None:
    """Why the signed-in staff member's session is over ("idle", "day"), or
    None while it lasts. Notes the activity of this request, unless it is
    a poll."""
    now = clock.now().timestamp()
    session = request.session
    signed_in_at = session.get(SIGNED_IN_AT_KEY)
    active_at = session.get(ACTIVE_AT_KEY)
    if not isinstance(signed_in_at, float) or not isinstance(active_at, float):
        # A session from before these limits, or just signed in.
        session[SIGNED_IN_AT_KEY] = now if not isinstance(signed_in_at, float) else signed_in_at
        session[ACTIVE_AT_KEY] = now
        return None
    if now - signed_in_at > settings.STAFF_SESSION_HOURS * 3600:
        return "day"
    if now - active_at > settings.STAFF_IDLE_MINUTES * 60:
        return "idle"
    if now - active_at >= WRITE_EVERY.total_seconds() and not is_poll(request):
        session[ACTIVE_AT_KEY] = now
    return None


class StaffSessionLimitsMiddleware:
    """Signs out a staff member whose session is over; the request goes on
    as anonymous, so a staff page sends them to sign in again (and back)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            signed_in = request.user.is_authenticated
        except DATABASE_ERRORS as error:
            # The first middleware to read the session and the user: a
            # database that is down gets the same calm 503 as in a view.
            return database_down_response(request, error)
        if signed_in:
            ended = read_session_end(request=request)
            if ended is not None:
                logout(request)
                signed_in = False
                messages.info(
                    request,
                    _("You were signed out after %(minutes)d minutes without activity.")
                    % {"minutes": settings.STAFF_IDLE_MINUTES}
                    if ended == "idle"
                    else _("You were signed out at the end of the working day. Sign in again."),
                )
        if is_poll(request) and not signed_in:
            # A staff page polling without a staff member: it reloads
            # itself, so whoever comes by finds the sign-in page (and why),
            # not a sign-in form swapped into the figures.
            return HttpResponse(status=204, headers={"HX-Refresh": "true"})
        return self.get_response(request)
