"""Bookings on their way from the details step to the review step.

A citizen may book for a whole family in several tabs at once, so each set
of details is kept in the session under a key of its own, and the review
page's address names the one it shows: confirming in one tab can never book
what another tab holds. The key is random and carries nothing personal; the
details themselves stay in the session, never in a URL.
"""

import secrets
from typing import Any

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
    request.session[SESSION_KEY] = drafts
    return key


def read_draft(request: HttpRequest, key: str) -> dict[str, Any] | None:
    draft = request.session.get(SESSION_KEY, {}).get(key)
    return dict(draft) if isinstance(draft, dict) else None


def replace_draft(request: HttpRequest, key: str, draft: dict[str, Any]) -> None:
    drafts = dict(request.session.get(SESSION_KEY, {}))
    drafts[key] = draft
    request.session[SESSION_KEY] = drafts


def drop_draft(request: HttpRequest, key: str) -> None:
    drafts = dict(request.session.get(SESSION_KEY, {}))
    drafts.pop(key, None)
    request.session[SESSION_KEY] = drafts
