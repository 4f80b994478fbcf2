"""Today's rhythm at a place, half hour by half hour: the citizens the
forecast expected, those who came, and how long those who came waited,
so that a manager sees a rush coming before the queue does.

The forecast is the planning page's (planning/demand.forecast_visits)
for today, worked out once an hour per place: it reads two years of
visits, and today's arrivals do not change it.
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from skranke.core import clock
from skranke.core.models import Location
from skranke.core.opening_hours import days_of
from skranke.core.schedule import read_schedule
from skranke.database.kept import keep_value
from skranke.overview.now import wait_began
from skranke.planning.demand import forecast_visits
from skranke.planning.forecast import INTERVAL_MINUTES
from skranke.queueing.models import Visit

FORECAST_KEPT_SECONDS = 3600


@dataclass(frozen=True)
class HalfHour:
    starts: str  # "09:30"
    expected: float | None  # None without a forecast
    arrived: int | None  # None for the half hours to come
    median_wait_minutes: float | None  # of those who came in it and have been called


@dataclass(frozen=True)
class DayRhythm:
    half_hours: list[HalfHour]
    has_forecast: bool


def read_day_rhythm(*, location: Location, now: datetime) -> DayRhythm | None:
    """The half hours of today's opening hours; None on a closed day."""
    today = now.astimezone(clock.LOCAL_ZONE).date()
    (hours,) = days_of(
        schedule=read_schedule(location=location, since=today), first_day=today, last_day=today
    )
    if not hours.intervals:
        return None
    first = min(opens.hour * 60 + opens.minute for opens, _ in hours.intervals)
    last = max(closes.hour * 60 + closes.minute for _, closes in hours.intervals)
    indexes = range(first // INTERVAL_MINUTES, -(-last // INTERVAL_MINUTES))
    expected = _expected_today(location=location, today=today)
    arrived, waits = _arrivals(location=location, today=today)
    current = _half_hour_of(now)
    return DayRhythm(
        half_hours=[
            HalfHour(
                starts=f"{index * INTERVAL_MINUTES // 60:02d}:{index * INTERVAL_MINUTES % 60:02d}",
                expected=None if expected is None else float(expected[index]),
                arrived=arrived.get(index, 0) if index <= current else None,
                median_wait_minutes=statistics.median(waits[index]) if waits[index] else None,
            )
            for index in indexes
        ],
        has_forecast=expected is not None,
    )


def _expected_today(*, location: Location, today: date) -> list[float] | None:
    def build() -> list[float] | None:
        demand = forecast_visits(location=location, today=today, days_ahead=0)
        if demand is None:
            return None
        day = next((day for day in demand.forecast.days if day.day == today), None)
        return None if day is None else [float(value) for value in day.by_interval]

    return keep_value(
        name="overview-forecast",
        fingerprint=(location.pk, today.isoformat()),
        build=build,
        seconds=FORECAST_KEPT_SECONDS,
    )


def _arrivals(*, location: Location, today: date) -> tuple[dict[int, int], dict[int, list[float]]]:
    """Citizens who came today per half hour (a transfer is not a second
    citizen), and the waits of those called (now.wait_began)."""
    arrived: dict[int, int] = defaultdict(int)
    waits: dict[int, list[float]] = defaultdict(list)
    visits = Visit.objects.filter(
        location=location, day=today, transferred_from__isnull=True
    ).select_related("booking")
    for visit in visits:
        index = _half_hour_of(visit.arrived_at)
        arrived[index] += 1
        if visit.called_at is not None:
            waited = (visit.called_at - wait_began(visit)).total_seconds() / 60
            waits[index].append(max(0.0, waited))
    return arrived, waits


def _half_hour_of(moment: datetime) -> int:
    local = moment.astimezone(clock.LOCAL_ZONE)
    return (local.hour * 60 + local.minute) // INTERVAL_MINUTES
