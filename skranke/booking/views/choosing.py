"""Reading the day and time a citizen picked from a link, and grouping
free times by day: shared by booking and moving a booking."""

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.http import Http404, HttpRequest

from skranke.booking.availability import Slot
from skranke.core import clock

DAYS_PER_PAGE = 14


def days_with_times(slots: list[Slot]) -> list[tuple[date, int]]:
    counts: defaultdict[date, int] = defaultdict(int)
    for slot in slots:
        counts[slot.local_start.date()] += 1
    return sorted(counts.items())


# Days further away than this are nobody's booking: a link asking for one is
# refused rather than computed (and year 9999 would overflow).
REACH = timedelta(days=400)


def in_reach(day: date) -> bool:
    return abs(day - clock.today()) <= REACH


def first_day_from(request: HttpRequest) -> date:
    """The first day of a page of days (?fra=), not before today."""
    try:
        day = date.fromisoformat(request.GET.get("fra", ""))
    except ValueError:
        return clock.today()
    return max(day, clock.today()) if in_reach(day) else clock.today()


def parse_day(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError as error:
        raise Http404 from error
    if not in_reach(day):
        raise Http404
    return day


def parse_start(text: str) -> datetime:
    """A start time from a time link or button: local time, YYYY-MM-DDTHH:MM."""
    try:
        start = datetime.fromisoformat(text)
    except ValueError as error:
        raise Http404 from error
    if start.tzinfo is None:
        start = start.replace(tzinfo=clock.LOCAL_ZONE)
    if not in_reach(start.date()):
        raise Http404
    return start


def start_parameter(start: datetime) -> str:
    """How a start time is written in a link: local, to the minute."""
    return start.astimezone(clock.LOCAL_ZONE).strftime("%Y-%m-%dT%H:%M")
