"""The statistics page's figures for one choice of places, period and
service: everything read once (two queries for visits and bookings, one
each for telephone meetings and tallies) and then measured in memory."""

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


def read_overview(
    *,
    location_ids: list[int],
    period: Period,
    service_ids: Iterable[int] | None,
    group_by: str,
    on_time_minutes: int,
) -> Overview:
    """build_overview's figures; those of a period that is over are kept
    (kept_figures.py) and computed again only when their data change."""
    services = None if service_ids is None else sorted(service_ids)
    return keep_figures(
        name=repr(("overview", period.kind, services, group_by, on_time_minutes)),
        location_ids=location_ids,
        first=period.first,
        end=period.end,
        build=lambda: build_overview(
            location_ids=location_ids,
            period=period,
            service_ids=services,
            group_by=group_by,
            on_time_minutes=on_time_minutes,
        ),
    )


def build_overview(
    *,
    location_ids: list[int],
    period: Period,
    service_ids: Iterable[int] | None,
    group_by: str,
    on_time_minutes: int,
) -> Overview:
    if group_by not in GROUPINGS:
        raise ValueError(f"unknown grouping {group_by!r}")
    services = None if service_ids is None else list(service_ids)
    rows = read_visits(
        location_ids=location_ids, first=period.first, end=period.end, service_ids=services
    )
    desks = measure_desks(
        locations=list(Location.objects.filter(pk__in=location_ids)),
        rows=rows,
        first=period.first,
        end=period.end,
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
    )
