"""The period the statistics page sets beside the chosen one.

A year before is the default: a citizen service centre's year has seasons
(passports before summer, elections, January's rush), so the month before
says more about the season than about the centre. A day or a week a year
before is taken 52 weeks back, so that a Monday is set beside a Monday.
"""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from skranke.core.periods import Period, period_containing

YEAR_BEFORE = "year"
PERIOD_BEFORE = "previous"
NO_COMPARISON = "none"
CHOICES = {
    YEAR_BEFORE: _("The same period a year before"),
    PERIOD_BEFORE: _("The period before"),
    NO_COMPARISON: _("Nothing"),
}
FIFTY_TWO_WEEKS = timedelta(weeks=52)


def compare_period(*, period: Period, choice: str) -> Period | None:
    """The period to set beside `period`, or None for NO_COMPARISON."""
    if choice == PERIOD_BEFORE:
        return period.previous()
    if choice != YEAR_BEFORE:
        return None
    if period.kind in ("day", "week"):
        return Period(period.kind, period.first - FIFTY_TWO_WEEKS, period.end - FIFTY_TWO_WEEKS)
    # A month's, quarter's or year's first day is the 1st: it exists a year before.
    return period_containing(kind=period.kind, day=period.first.replace(year=period.first.year - 1))
