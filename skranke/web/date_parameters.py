"""Dates read from a page's address (?dato=, ?fra=).

A typo, an old bookmark or a curious visitor may send year 1 or year 9999,
and a period or a week around such a day leaves the calendar (Python's
dates end at 9999-12-31). A date further from today than any report or
booking reaches is treated like no date at all: the page shows its default
instead of failing, and says so when it is given the request."""

from datetime import date, timedelta

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

# Ten years either way: every report a centre keeps, every booking horizon.
REACH = timedelta(days=3660)
# As much of a refused value as the note repeats.
SHOWN_MAX = 20


def read_date_parameter(
    value: str | None, *, today: date, request: HttpRequest | None = None
) -> date | None:
    """The ISO date in `value`, or None when it is missing, malformed or out
    of reach of `today`. Given the request, a date that was there but
    refused is said on the page (a message), not replaced silently."""
    try:
        day: date | None = date.fromisoformat(value or "")
    except ValueError:
        day = None
    if day is not None and abs(day - today) <= REACH:
        return day
    if value and request is not None:
        messages.warning(
            request,
            _(
                "The date “%(value)s” in the address cannot be shown (it is not a date, or too"
                " far from today), so the page shows its usual day instead."
            )
            % {"value": value[:SHOWN_MAX]},
        )
    return None
