"""When a location is open on a given day.

The rule, in order: a special day decides (closed, or its own hours); else a
Danish public holiday is closed; else the weekly hours apply. A range of days
costs two queries however long it is, because booking reads whole months.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import holidays

from skranke.core.intervals import Interval
from skranke.core.models import (
    Location,
    OpeningHours,
    SpecialDay,
    SpecialDayHours,
    Weekday,
    localized,
)
from skranke.core.sql import as_date, as_time, fetch_rows


@dataclass(frozen=True)
class DayHours:
    day: date
    intervals: list[Interval] = field(default_factory=list)
    note: str = ""  # why the day differs from the usual week, if it does

    @property
    def is_open(self) -> bool:
        return bool(self.intervals)


# Constitution Day, Christmas Eve and New Year's Eve are not public holidays
# by law ("optional" in the holidays package), but citizen service centres
# are closed on them; 1 May, also optional there, is an ordinary day.
CLOSED_OPTIONAL_DAYS = {(6, 5), (12, 24), (12, 31)}


@lru_cache(maxsize=32)
def _danish_holidays(year: int) -> dict[date, str]:
    public = holidays.country_holidays("DK", years=year, language="da")
    optional = holidays.country_holidays(
        "DK", years=year, categories=(holidays.OPTIONAL,), language="da"
    )
    closed = dict(public.items())
    closed.update(
        (day, name)
        for day, name in optional.items()
        if (day.month, day.day) in CLOSED_OPTIONAL_DAYS
    )
    return closed


def public_holiday_name(day: date) -> str | None:
    """The Danish name of the public holiday on `day`, or None."""
    return _danish_holidays(day.year).get(day)


def weekly_intervals(*, location: Location) -> dict[int, list[Interval]]:
    """The weekly opening hours, weekday (0 = Monday) → sorted intervals."""
    week: dict[int, list[Interval]] = {weekday: [] for weekday in range(7)}
    rows = fetch_rows(
        f"SELECT weekday, opens, closes FROM {OpeningHours._meta.db_table}"  # noqa: S608
        " WHERE location_id = %s ORDER BY opens",
        [location.pk],
    )
    for weekday, opens, closes in rows:
        week[weekday].append((as_time(opens), as_time(closes)))
    return week


@dataclass(frozen=True)
class _Special:
    closed: bool
    note: str
    hours: list[Interval]


def _special_days(*, location: Location, first_day: date, last_day: date) -> dict[date, _Special]:
    rows = fetch_rows(
        "SELECT day.date, day.closed, day.note_da, day.note_en, hours.opens, hours.closes"  # noqa: S608
        f" FROM {SpecialDay._meta.db_table} day"
        f" LEFT JOIN {SpecialDayHours._meta.db_table} hours ON hours.special_day_id = day.id"
        " WHERE day.location_id = %s AND day.date BETWEEN %s AND %s",
        [location.pk, first_day, last_day],
    )
    found: dict[date, _Special] = {}
    for day, closed, note_da, note_en, opens, closes in rows:
        special = found.setdefault(
            as_date(day),  # type: ignore[arg-type]
            _Special(bool(closed), localized(note_da, note_en), []),
        )
        if opens is not None and closes is not None:
            special.hours.append((as_time(opens), as_time(closes)))
    return found


def opening_calendar(*, location: Location, first_day: date, last_day: date) -> list[DayHours]:
    """Each day from `first_day` to `last_day` (inclusive) with its hours."""
    week = weekly_intervals(location=location)
    special_days = _special_days(location=location, first_day=first_day, last_day=last_day)
    days: list[DayHours] = []
    day = first_day
    while day <= last_day:
        special = special_days.get(day)
        holiday = public_holiday_name(day)
        if special is not None:
            intervals = [] if special.closed else sorted(special.hours)
            days.append(DayHours(day, intervals, special.note or (holiday or "")))
        elif holiday is not None:
            days.append(DayHours(day, [], holiday))
        else:
            days.append(DayHours(day, list(week[day.weekday()])))
        day += timedelta(days=1)
    return days


def opening_intervals_on(*, location: Location, day: date) -> list[Interval]:
    """The opening hours of one day."""
    return opening_calendar(location=location, first_day=day, last_day=day)[0].intervals


def describe_week(*, week: dict[int, list[Interval]]) -> list[tuple[str, list[Interval]]]:
    """Weekly hours as (weekday name, intervals), Monday first, for a page."""
    return [(str(Weekday(weekday).label), week[weekday]) for weekday in range(7)]
