"""Dates read from a page's address (?dato=, ?fra=).

A typo, an old bookmark or a curious visitor may send year 1 or year 9999,
and a period or a week around such a day leaves the calendar (Python's
dates end at 9999-12-31). A date further from today than any report or
booking reaches is treated like no date at all: the page shows its default
instead of failing."""

from datetime import date, timedelta

# Ten years either way: every report a centre keeps, every booking horizon.
REACH = timedelta(days=3660)


def read_date_parameter(value: str | None, *, today: date) -> date | None:
    """The ISO date in `value`, or None when it is missing, malformed or out
    of reach of `today`."""
    try:
        day = date.fromisoformat(value or "")
    except ValueError:
        return None
    return day if abs(day - today) <= REACH else None
