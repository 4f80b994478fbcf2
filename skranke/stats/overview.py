"""The statistics page's figures for one choice of places, period,
service and desk: everything read once (two queries for visits and
bookings, one each for telephone meetings and tallies) and then measured
in memory.

Chosen by desk, the figures are those of the citizens that desk served:
every visit row at it counts, a citizen transferred to it too (the page
over all desks counts a transferred citizen once, at the first desk), and
the bookings are those that held it. Tallies, surveys and telephone
meetings are not kept per desk; they stay the places'."""

import dataclasses
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from django.db.models import Count

from skranke.core.models import Location, Service
from skranke.core.periods import Period
from skranke.information_and_cash_desks.models import Tally
from skranke.stats.bookings import (
    BookingFigures,
    PhoneMeetingFigures,
    measure_bookings,
    measure_phone_meetings,
    read_bookings,
)
from skranke.stats.desks import DeskFigures, measure_desks
from skranke.stats.kept_figures import keep_figures
from skranke.stats.visits import VisitFigures, measure_visits, measure_visits_by, read_visits
from skranke.stats.wait_distribution import WaitShares, measure_wait_distribution
from skranke.stats.week_hours import WeekHours, measure_week_hours
from skranke.surveys.results import (
    Share,
    SurveyFigures,
    read_answers,
    response_rate,
    summarise_answers,
    summarise_answers_by,
)

GROUPINGS = ("service", "weekday", "hour", "location", "desk", "month", "quarter")


@dataclass(frozen=True)
class Step:
    starts: datetime
    label: str
    visits: int


@dataclass(frozen=True)
class Overview:
    period: Period
    group_by: str
    visits: VisitFigures
    steps: list[Step]
    groups: dict[object, VisitFigures]
    bookings: BookingFigures
    phone_meetings: PhoneMeetingFigures
    tallies: dict[str, int]
    survey: SurveyFigures | None  # None: fewer answers than may be shown
    survey_by_service: dict[object, SurveyFigures]
    survey_response: Share
    desks: DeskFigures
    wait_shares: dict[str, WaitShares]  # wait_distribution.GROUPS
    week_hours: WeekHours


def read_overview(
    *,
    location_ids: list[int],
    period: Period,
    service_ids: Iterable[int] | None,
    group_by: str,
    on_time_minutes: int,
    desk_ids: Iterable[int] | None = None,
) -> Overview:
    """build_overview's figures; those of a period that is over are kept
    (kept_figures.py) and computed again only when their data change."""
    services = None if service_ids is None else sorted(service_ids)
    desks = None if desk_ids is None else sorted(desk_ids)
    return keep_figures(
        name=repr(("overview", period.kind, services, desks, group_by, on_time_minutes)),
        location_ids=location_ids,
        first=period.first,
        end=period.end,
        build=lambda: build_overview(
            location_ids=location_ids,
            period=period,
            service_ids=services,
            group_by=group_by,
            on_time_minutes=on_time_minutes,
            desk_ids=desks,
        ),
    )


def build_overview(
    *,
    location_ids: list[int],
    period: Period,
    service_ids: Iterable[int] | None,
    group_by: str,
    on_time_minutes: int,
    desk_ids: Iterable[int] | None = None,
) -> Overview:
    if group_by not in GROUPINGS:
        raise ValueError(f"unknown grouping {group_by!r}")
    services = None if service_ids is None else list(service_ids)
    desk_list = None if desk_ids is None else list(desk_ids)
    rows = read_visits(
        location_ids=location_ids, first=period.first, end=period.end, service_ids=services
    )
    if desk_list is not None:
        at_desks = rows.take(np.isin(rows.desk_id, desk_list))
        rows = dataclasses.replace(at_desks, is_visit=np.ones(len(at_desks), dtype=bool))
    locations = list(Location.objects.filter(pk__in=location_ids))
    desks = measure_desks(
        locations=locations, rows=rows, first=period.first, end=period.end, desk_ids=desk_list
    )
    steps = []
    for starts, since, until in period.steps():
        begin, stop = np.searchsorted(rows.arrived, [since.timestamp(), until.timestamp()])
        visits = int(np.count_nonzero(rows.is_visit[begin:stop]))  # rows are in order of arrival
        steps.append(Step(starts=starts, label=period.step_label(starts), visits=visits))
    tallies = Counter(dict.fromkeys(Tally.Kind.values, 0))
    tallies.update(
        dict(
            Tally.objects.filter(
                location_id__in=location_ids, at__gte=period.starts, at__lt=period.ends
            )
            .values_list("kind")
            .annotate(count=Count("pk"))
            .order_by()
            .values_list("kind", "count")
        )
    )
    answers = read_answers(location_ids=location_ids, starts=period.starts, ends=period.ends)
    if services is not None:
        answers = [answer for answer in answers if answer.service_id in services]
    return Overview(
        period=period,
        group_by=group_by,
        visits=measure_visits(rows),
        steps=steps,
        groups=measure_visits_by(rows, group_by=group_by),
        bookings=measure_bookings(
            read_bookings(
                location_ids=location_ids,
                first=period.first,
                end=period.end,
                service_ids=services,
                desk_ids=desk_list,
            ),
            on_time_minutes=on_time_minutes,
        ),
        phone_meetings=measure_phone_meetings(
            read_bookings(
                location_ids=location_ids,
                first=period.first,
                end=period.end,
                kind=Service.Kind.PHONE,
            )
        ),
        tallies=dict(tallies),
        survey=summarise_answers(answers),
        survey_by_service=summarise_answers_by(answers, key=lambda answer: answer.service_id),
        survey_response=response_rate(
            location_ids=location_ids, starts=period.starts, ends=period.ends
        ),
        desks=desks,
        wait_shares=measure_wait_distribution(rows),
        week_hours=measure_week_hours(
            rows=rows, locations=locations, first=period.first, end=period.end
        ),
    )
