"""Dates as Danish and English readers write them.

Django's own formats are one string for every language, so "l j. F" gives
"mandag 30. november" but "Monday 30. November", and "M" capitalises the
Danish month ("Nov"). Each style here is a translatable format string:
the English one is English ("Monday 30 November", "Mon 30 Nov"), and the
Danish catalogue gives the Danish ("mandag 30. november", "man 30. nov")."""

from datetime import date, datetime

from django.template.defaultfilters import date as format_date
from django.utils.translation import pgettext

from skranke.core.clock import LOCAL_ZONE

STYLES = {
    # Translators: PHP-style date formats. Danish: "l j. F Y" and so on;
    # "b" is the month's short name in lower case.
    "weekday_year": lambda: pgettext("date format", "l j F Y"),
    "weekday": lambda: pgettext("date format", "l j F"),
    "day_month": lambda: pgettext("date format", "j F"),
    "date": lambda: pgettext("date format", "j F Y"),
    "short": lambda: pgettext("date format", "D j M"),
    "short_year": lambda: pgettext("date format", "D j M Y"),
    "short_time": lambda: pgettext("date format", "j M H:i"),
    "month": lambda: pgettext("date format", "M"),
}


def format_day(value: date | datetime | None, style: str = "weekday") -> str:
    """`value` in `style` and the active language; an aware datetime in
    Copenhagen time, from templates and Python alike."""
    if value is None:
        return ""
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.astimezone(LOCAL_ZONE)
    return str(format_date(value, STYLES[style]()))
