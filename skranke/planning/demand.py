"""The forecasts a manager plans with, read from the history: citizens at
a location's counter (and how they split over the services), calls to the
municipality's telephones, with the events the manager has entered.

The history is the last two years that have arrivals, ending as in
counter/model.py: a demo whose history is last year, or a centre back
from a closed month, still gets a forecast from its own days. Two years,
so that a year's seasons are seen at least once from every day of the
year (forecast_shape.py); a younger centre is forecast from the weeks it
has.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import numpy as np
from django.db.models import Max

from skranke.contact_centre.models import Call
from skranke.core import clock
from skranke.core.models import Location, Municipality
from skranke.core.opening_hours import days_of, public_holiday_name
from skranke.core.schedule import read_schedule
from skranke.database.seconds_between import EpochSeconds
from skranke.database.sql import fetch_columns
from skranke.planning.counter.model import history_period
from skranke.planning.forecast import (
    RECENT_WEEKS,
    Forecast,
    Lift,
    TooLittleHistory,
    forecast_arrivals,
)
from skranke.planning.models import ForecastEvent
from skranke.stats.local_time import local_days
from skranke.stats.visits import EPOCH, read_visits

HISTORY_WEEKS = 104
DAYS_AHEAD = 14
DAYS_BACK = 7  # days gone, shown with what actually came
# A history that ends longer ago than this is said to be old: the backtest
# measures a forecast one week ahead, and the page reaches two weeks ahead
# of today; from further back the forecast carries an old level forward.
OLD_AFTER_DAYS = 14


@dataclass(frozen=True)
class Demand:
    forecast: Forecast
    history_first: date
    history_end: date  # [first, end)
    shares: dict[object, float]  # per service id (visits) or queue name (calls)


def forecast_visits(
    *, location: Location, today: date, days_ahead: int = DAYS_AHEAD
) -> Demand | None:
    """Citizens expected at the location on its open days from a week ago
    to `days_ahead` days ahead; None without enough history."""
    first, end = history_period(location=location, today=today, weeks=HISTORY_WEEKS)
    if first >= end:
        return None
    rows = read_visits(location_ids=[location.pk], first=first, end=end)
    rows = rows.take(rows.is_visit)
    history = [EPOCH + timedelta(days=int(day)) for day in np.unique(rows.day)]
    schedule = read_schedule(location=location, since=today - timedelta(days=DAYS_BACK))
    days = [
        day.day
        for day in days_of(
            schedule=schedule,
            first_day=today - timedelta(days=DAYS_BACK),
            last_day=today + timedelta(days=days_ahead),
        )
        if day.intervals
    ]
    return _demand(
        arrivals=rows.arrived,
        history=history,
        days=days,
        lifts=_lifts(location.municipality, ForecastEvent.Applies.COUNTER),
        today=today,
        shares=_recent_shares(keys=rows.service_id.tolist(), day_numbers=rows.day, end=end),
        period=(first, end),
    )


def forecast_calls(
    *, municipality: Municipality, today: date, days_ahead: int = DAYS_AHEAD
) -> Demand | None:
    """Calls expected to the municipality's telephones on the weekdays it
    answered them in its history, holidays left out."""
    before = datetime.combine(today, time(0), tzinfo=clock.LOCAL_ZONE)
    calls = Call.objects.filter(municipality=municipality, offered_at__lt=before)
    last = calls.aggregate(last=Max("offered_at"))["last"]
    if last is None:
        return None
    end = last.astimezone(clock.LOCAL_ZONE).date() + timedelta(days=1)
    first = end - timedelta(weeks=HISTORY_WEEKS)
    offered, queue = fetch_columns(
        calls.filter(offered_at__gte=datetime.combine(first, time(0), tzinfo=clock.LOCAL_ZONE))
        .annotate(at=EpochSeconds("offered_at"))
        .order_by()
        .values_list("at", "queue"),
        width=2,
    )
    arrivals = np.array(offered, dtype=float)
    history = [EPOCH + timedelta(days=int(day)) for day in np.unique(local_days(arrivals))]
    weekdays = {day.weekday() for day in history}
    candidates = (today + timedelta(days=offset) for offset in range(-DAYS_BACK, days_ahead + 1))
    days = [
        day for day in candidates if day.weekday() in weekdays and public_holiday_name(day) is None
    ]
    return _demand(
        arrivals=arrivals,
        history=history,
        days=days,
        lifts=_lifts(municipality, ForecastEvent.Applies.PHONES),
        today=today,
        shares=_recent_shares(keys=list(queue), day_numbers=local_days(arrivals), end=end),
        period=(first, end),
    )


def _demand(
    *,
    arrivals: np.ndarray,
    history: list[date],
    days: list[date],
    lifts: list[Lift],
    today: date,
    shares: dict[object, float],
    period: tuple[date, date],
) -> Demand | None:
    try:
        forecast = forecast_arrivals(
            arrivals=arrivals, history_days=history, days=days, lifts=lifts, today=today
        )
    except TooLittleHistory:
        return None
    return Demand(forecast=forecast, history_first=period[0], history_end=period[1], shares=shares)


def _recent_shares(
    *, keys: list[object], day_numbers: np.ndarray, end: date
) -> dict[object, float]:
    """How the arrivals of the last RECENT_WEEKS before `end` split over
    `keys` (a service or a queue per arrival): the split as it is now."""
    since = (end - timedelta(weeks=RECENT_WEEKS) - EPOCH).days
    counted = Counter(
        key for key, day in zip(keys, day_numbers.tolist(), strict=True) if day >= since
    )
    total = sum(counted.values())
    return {key: count / total for key, count in counted.items()}


def _lifts(municipality: Municipality, applies: str) -> list[Lift]:
    return [
        Lift(first=event.first_day, last=event.last_day, factor=1 + event.lift_percent / 100)
        for event in ForecastEvent.objects.filter(
            municipality=municipality, applies_to__in=[applies, ForecastEvent.Applies.BOTH]
        )
    ]
