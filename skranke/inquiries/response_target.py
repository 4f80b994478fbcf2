"""When a written inquiry must be answered by: within the municipality's
number of opening days (contact_centre's KpiTargets, two by default),
counted from the day after it came, as a citizen is told "within two
working days". The days are the inquiry's location's opening days
(holidays and the location's closed days do not count); an inquiry with no
location counts Monday to Friday without the public holidays. It is due
when the last of those days' opening hours end."""

from datetime import date, datetime, time, timedelta

from skranke.core.clock import LOCAL_ZONE
from skranke.core.models import Location
from skranke.core.opening_hours import opening_calendar, public_holiday_name

# Looked ahead at most this far for the days (a target of 30 days over
# Christmas); past it, the deadline is the last day looked at.
LOOK_AHEAD_DAYS = 60


def answer_due_by(*, received_at: datetime, location: Location | None, days: int) -> datetime:
    """The moment an inquiry that came at `received_at` is overdue."""
    first = received_at.astimezone(LOCAL_ZONE).date() + timedelta(days=1)
    last = first + timedelta(days=LOOK_AHEAD_DAYS)
    if location is not None:
        open_days = [
            (day.day, max(closes for _opens, closes in day.intervals))
            for day in opening_calendar(location=location, first_day=first, last_day=last)
            if day.is_open
        ]
    else:
        open_days = [
            (day, time(23, 59, 59))
            for day in _days(first, last)
            if day.weekday() < 5 and public_holiday_name(day) is None
        ]
    if not open_days:
        return datetime.combine(last, time(23, 59, 59), tzinfo=LOCAL_ZONE)
    day, closes = open_days[min(days, len(open_days)) - 1]
    return datetime.combine(day, closes, tzinfo=LOCAL_ZONE)


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]
