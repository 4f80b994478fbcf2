"""When a location is open on a given day.

The rule, in order: a special day decides (closed, or its own hours); else a
Danish public holiday is closed; else the weekly hours apply. The hours
come from the location's schedule (core/schedule.py): one small query
while it is unchanged, however long the range of days.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays

from skranke.core.clock import LOCAL_ZONE
from skranke.core.intervals import Interval
from skranke.core.models import Location, Weekday, localized
from skranke.core.schedule import Schedule, read_schedule


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


# How far ahead the next opening is looked for: past the longest closure a
# centre has (Christmas to New Year with a weekend on each side).
NEXT_OPENING_WITHIN_DAYS = 21


def is_open_at(*, location: Location, moment: datetime) -> bool:
    """Whether the location is open at `moment` (aware)."""
    local = moment.astimezone(LOCAL_ZONE)
    [day] = opening_calendar(location=location, first_day=local.date(), last_day=local.date())
    now = local.time()
    return any(opens <= now < closes for opens, closes in day.intervals)


def next_opening(*, location: Location, moment: datetime) -> datetime | None:
    """When the location opens next after `moment` (aware, Copenhagen time),
    or None when it stays closed for the next NEXT_OPENING_WITHIN_DAYS."""
    local = moment.astimezone(LOCAL_ZONE)
    first = local.date()
    for day in opening_calendar(
        location=location, first_day=first, last_day=first + timedelta(NEXT_OPENING_WITHIN_DAYS)
    ):
        for opens, _closes in day.intervals:
            start = datetime.combine(day.day, opens, tzinfo=LOCAL_ZONE)
            if start > local:
                return start
    return None


def weekly_intervals(*, location: Location) -> dict[int, list[Interval]]:
    """The weekly opening hours, weekday (0 = Monday) → sorted intervals."""
    weekly = read_schedule(location=location).weekly
    return {weekday: list(intervals) for weekday, intervals in weekly.items()}


def opening_calendar(*, location: Location, first_day: date, last_day: date) -> list[DayHours]:
    """Each day from `first_day` to `last_day` (inclusive) with its hours."""
    return days_of(
        schedule=read_schedule(location=location, since=first_day),
        first_day=first_day,
        last_day=last_day,
    )


def days_of(*, schedule: Schedule, first_day: date, last_day: date) -> list[DayHours]:
    """Each day from `first_day` to `last_day` (inclusive) with its hours in
    `schedule`, which must reach back to `first_day`."""
    days: list[DayHours] = []
    day = first_day
    while day <= last_day:
        special = schedule.special_days.get(day)
        holiday = public_holiday_name(day)
        if special is not None:
            intervals = [] if special.closed else list(special.hours)
            note = localized(special.note_da, special.note_en)
            days.append(DayHours(day, intervals, note or (holiday or "")))
        elif holiday is not None:
            days.append(DayHours(day, [], holiday))
        else:
            days.append(DayHours(day, list(schedule.weekly[day.weekday()])))
        day += timedelta(days=1)
    return days


def opening_intervals_on(*, location: Location, day: date) -> list[Interval]:
    """The opening hours of one day."""
    return opening_calendar(location=location, first_day=day, last_day=day)[0].intervals


def describe_week(*, week: dict[int, list[Interval]]) -> list[tuple[str, list[Interval]]]:
    """Weekly hours as (weekday name, intervals), Monday first, for a page."""
    return [(str(Weekday(weekday).label), week[weekday]) for weekday in range(7)]
