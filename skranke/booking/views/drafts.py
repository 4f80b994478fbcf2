"""Bookings on their way from the details step to the review step.

A citizen may book for a whole family in several tabs at once, so each set
of details is kept in the session under a key of its own, and the review
page's address names the one it shows: confirming in one tab can never book
what another tab holds. The key is random and carries nothing personal; the
details themselves stay in the session, never in a URL.

A citizen's session ends BOOKING_DRAFT_MINUTES after the latest draft,
not after the staff's working day (SESSION_COOKIE_AGE): a name and a
number typed and left are erased with the expired session within the
hour after (privacy/erasure.py), not kept for ten hours.
"""

import secrets
from typing import Any

from django.conf import settings
from django.http import HttpRequest

SESSION_KEY = "booking_drafts"
# Enough for a family booking side by side; the oldest give way.
KEPT_DRAFTS = 8


def keep_draft(request: HttpRequest, draft: dict[str, Any]) -> str:
    """Keep `draft` and return the key its review page is found under."""
    drafts: dict[str, dict[str, Any]] = dict(request.session.get(SESSION_KEY, {}))
    key = secrets.token_urlsafe(9)
    drafts[key] = draft
    while len(drafts) > KEPT_DRAFTS:
        del drafts[next(iter(drafts))]
    _store(request, drafts)
    return key


def read_draft(request: HttpRequest, key: str) -> dict[str, Any] | None:
    draft = request.session.get(SESSION_KEY, {}).get(key)
    return dict(draft) if isinstance(draft, dict) else None


def replace_draft(request: HttpRequest, key: str, draft: dict[str, Any]) -> None:
    drafts = dict(request.session.get(SESSION_KEY, {}))
    drafts[key] = draft
    _store(request, drafts)


def _store(request: HttpRequest, drafts: dict[str, dict[str, Any]]) -> None:
    request.session[SESSION_KEY] = drafts
    # A staff member's session keeps its own limits (sign_in/staff_sessions.py).
    if not request.user.is_authenticated:
        request.session.set_expiry(settings.BOOKING_DRAFT_MINUTES * 60)


def drop_draft(request: HttpRequest, key: str) -> None:
    drafts = dict(request.session.get(SESSION_KEY, {}))
    drafts.pop(key, None)
    request.session[SESSION_KEY] = drafts
