"""The counter's week as the simulation needs it, read from what a location
has planned (opening hours, desks and their weekly shifts, each service's
minutes) and what its history shows (how many citizens ask for each
service on each weekday, how long serving them takes, how many do not
come, how early or late the others arrive).

The history is the last weeks that have visits, not simply the last
weeks before today: a centre that closed for the summer, or a demo
whose history is last year, still gets a week that looks like its own.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, time, timedelta

import numpy as np
from django.db.models import Max

from skranke.core.models import Desk, Location, Service
from skranke.core.schedule import read_schedule
from skranke.planning.counter.service_times import (
    WIDER_WEEKS,
    MeasuredTimes,
    collect_service_times,
    measure_service_times,
    short_of_times,
)
from skranke.planning.counter.simulation import CounterWeek, DeskPlan, ServicePlan, Window
from skranke.queueing.models import Visit
from skranke.stats.bookings import NO_SHOW, read_bookings
from skranke.stats.local_time import local_days
from skranke.stats.visits import EPOCH, VisitTable, read_visits

HISTORY_WEEKS = 13


@dataclass(frozen=True)
class CounterModel:
    week: CounterWeek
    first: date  # the history read, [first, end)
    end: date
    services: dict[int, Service]
    measured: dict[int, MeasuredTimes]  # what each service's times rest on
    visits: VisitTable  # the history's visits, for the minutes' advice

    @property
    def times_based_on(self) -> dict[int, str]:
        return {service: times.based_on for service, times in self.measured.items()}

    @property
    def has_history(self) -> bool:
        return self.first < self.end


def history_period(
    *, location: Location, today: date, weeks: int = HISTORY_WEEKS
) -> tuple[date, date]:
    """The `weeks` whole weeks up to the last day before `today` with
    visits at the location; an empty period when it has none."""
    last = Visit.objects.filter(location=location, day__lt=today).aggregate(last=Max("day"))["last"]
    if last is None:
        return today, today
    end = last + timedelta(days=1)
    return end - timedelta(weeks=weeks), end


def read_counter_model(
    *, location: Location, today: date, weeks: int = HISTORY_WEEKS
) -> CounterModel:
    first, end = history_period(location=location, today=today, weeks=weeks)
    services = {
        service.pk: service
        for service in Service.objects.filter(
            locations=location, kind=Service.Kind.IN_PERSON, active=True
        ).order_by("position", "name_da")
    }
    visits = read_visits(location_ids=[location.pk], first=first, end=end)
    bookings = read_bookings(location_ids=[location.pk], first=first, end=end)
    recent = collect_service_times(rows=visits, services=list(services.values()))
    short = short_of_times(recent)
    wider_visits = (
        read_visits(
            location_ids=[location.pk],
            first=end - timedelta(weeks=WIDER_WEEKS),
            end=end,
            service_ids=short,
        )
        if short and first < end
        else None
    )
    measured = measure_service_times(
        services=list(services.values()),
        recent=recent,
        wider=None
        if wider_visits is None
        else collect_service_times(rows=wider_visits, services=list(services.values())),
        recent_weeks=weeks,
    )

    # Days the location was open in the history, per weekday: the days
    # with visits (a closed holiday is no day of low demand).
    open_days = Counter(
        (EPOCH + timedelta(days=int(day))).weekday() for day in np.unique(visits.day)
    )
    came = ~np.isnan(bookings.arrived)
    no_show = bookings.status == NO_SHOW
    asked = came | no_show
    booking_weekdays = (local_days(bookings.start) + EPOCH.weekday()) % 7
    walk_ins = visits.is_visit & ~visits.booked

    def per_day(weekdays: np.ndarray, service: int, ids: np.ndarray) -> dict[int, float]:
        counts = Counter(int(day) for day in weekdays[ids == service])
        return {day: counts[day] / days for day, days in open_days.items() if days}

    schedule = read_schedule(location=location)
    opening = {
        weekday: tuple(_minutes(opens, closes) for opens, closes in intervals)
        for weekday, intervals in schedule.weekly.items()
        if intervals
    }
    hours: dict[int, dict[int, list[Window]]] = {}
    handles: dict[int, set[int]] = {}
    for shift in schedule.shifts:
        if shift.date is None and shift.weekday is not None and shift.services & services.keys():
            hours.setdefault(shift.desk, {}).setdefault(shift.weekday, []).append(
                _minutes(shift.starts, shift.ends)
            )
            handles.setdefault(shift.desk, set()).update(shift.services & services.keys())
    names = dict(Desk.objects.filter(pk__in=hours).values_list("pk", "name"))
    week = CounterWeek(
        opening=opening,
        services=tuple(
            ServicePlan(
                service=service.pk,
                minutes=service.duration_minutes,
                slot_step=service.slot_step,
                explicit_step=service.slot_step_minutes,
                times=measured[service.pk].times,
                bookings_per_day=per_day(
                    booking_weekdays[asked], service.pk, bookings.service_id[asked]
                ),
                walk_ins_per_day=per_day(
                    visits.weekday[walk_ins], service.pk, visits.service_id[walk_ins]
                ),
            )
            for service in services.values()
        ),
        desks=tuple(
            DeskPlan(
                handles=frozenset(handles[desk]),
                hours={weekday: tuple(sorted(windows)) for weekday, windows in days.items()},
                name=names[desk],
            )
            for desk, days in sorted(hours.items())
        ),
        lateness=bookings.arrived[came] / 60,
        no_show_share=float(np.count_nonzero(no_show) / np.count_nonzero(asked))
        if np.count_nonzero(asked)
        else 0.0,
        on_time_minutes=location.municipality.on_time_minutes,
    )
    return CounterModel(
        week=week,
        first=first,
        end=end,
        services=services,
        measured=measured,
        visits=visits,
    )


def _minutes(starts: time, ends: time) -> Window:
    return starts.hour * 60 + starts.minute, ends.hour * 60 + ends.minute
