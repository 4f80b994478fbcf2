"""What the statistics page shows: the manager's choices read from the
query (place, period, service, desk, grouping, comparison), and the
overview of the chosen period laid out for the template, so the view
only reads, answers and renders."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from django.http import QueryDict
from django.utils.translation import gettext as _

from skranke.accounts.models import User
from skranke.booking.models import Booking
from skranke.core.models import Desk, Location, Service
from skranke.core.periods import KINDS, Period, period_containing
from skranke.stats import labels
from skranke.stats.comparison import CHOICES, YEAR_BEFORE
from skranke.stats.desks import Usage
from skranke.stats.export import as_percent
from skranke.stats.headlines import list_headlines
from skranke.stats.overview import GROUPINGS, Overview, read_overview
from skranke.stats.overview_tables import (
    drill_down_link,
    heat_rows,
    query_without,
    wait_marks,
    wait_rows,
)
from skranke.stats.wait_chart import draw_wait_chart
from skranke.stats.wait_distribution import (
    BOOKED,
    EVERYONE,
    TABLE_MINUTES,
    UNBOOKED,
    UNBOOKED_MARK_MINUTES,
)
from skranke.stats.week_hours import MIN_WAITS
from skranke.surveys.results import Share, SurveyFigures, survey_questions
from skranke.web.chart import draw_chart

T = TypeVar("T")
Banded = list[tuple[object, int, float | None]]


@dataclass(frozen=True)
class OverviewChoice:
    """What the manager asked to see; anything not theirs to see, or not
    a choice, falls back to the page's default."""

    locations: list[Location]  # every place the manager may see
    place: Location | None
    services: list[Service]
    service: Service | None
    desks: list[Desk]  # the counters of the chosen place, or of them all
    desk: Desk | None
    kind: str  # of period
    day: date  # the period is the one containing it
    group_by: str
    compare_with: str
    on_time_minutes: int

    @property
    def period(self) -> Period:
        return period_containing(kind=self.kind, day=self.day)

    @property
    def location_ids(self) -> list[int]:
        if self.desk is not None:
            return [self.desk.location_id]
        return [self.place.pk] if self.place else [location.pk for location in self.locations]


def read_overview_choice(
    *, user: User, locations: list[Location], query: QueryDict, day: date
) -> OverviewChoice:
    place = next((loc for loc in locations if str(loc.pk) == query.get("sted")), None)
    services = list(
        Service.objects.filter(municipality=user.municipality, kind=Service.Kind.IN_PERSON)
    )
    desks = list(
        Desk.objects.filter(
            location__in=[place] if place else locations, kind=Desk.Kind.COUNTER
        ).select_related("location")
    )
    kind = query.get("periode", "month")
    group_by = query.get("gruppering", "service")
    compare_with = query.get("sammenlign", YEAR_BEFORE)
    return OverviewChoice(
        locations=locations,
        place=place,
        services=services,
        service=next((s for s in services if str(s.pk) == query.get("ydelse")), None),
        desks=desks,
        desk=next((d for d in desks if str(d.pk) == query.get("skranke")), None),
        kind=kind if kind in KINDS else "month",
        day=day,
        group_by=group_by if group_by in GROUPINGS else "service",
        compare_with=compare_with if compare_with in CHOICES else YEAR_BEFORE,
        on_time_minutes=user.municipality.on_time_minutes,  # type: ignore[union-attr]
    )


def read_chosen_overview(*, choice: OverviewChoice, period: Period) -> Overview:
    """The figures of `period` (the chosen one, or the one compared with)
    for the chosen places, service and desk."""
    return read_overview(
        location_ids=choice.location_ids,
        period=period,
        service_ids=[choice.service.pk] if choice.service else None,
        group_by=choice.group_by,
        on_time_minutes=choice.on_time_minutes,
        desk_ids=[choice.desk.pk] if choice.desk else None,
    )


def overview_context(
    *,
    choice: OverviewChoice,
    overview: Overview,
    earlier: Overview | None,
    earlier_period: Period | None,
    query: QueryDict,
) -> dict[str, object]:
    """The template's context: the choices, and the overview (beside the
    period compared with) as headlines, tables, charts and drill-down links."""
    group_by, on_time_minutes = choice.group_by, choice.on_time_minutes
    names = labels.group_labels(group_by=group_by, keys=list(overview.groups))
    wait_names = {
        BOOKED: _("With a booking"),
        UNBOOKED: _("Without a booking"),
        EVERYONE: _("Everyone"),
    }
    return {
        "overview": overview,
        "period": choice.period,
        "kinds": KINDS,
        "kind": choice.kind,
        "day": choice.day,
        "locations": choice.locations,
        "place": choice.place,
        "services": choice.services,
        "service": choice.service,
        "desk_choices": choice.desks,
        "desk": choice.desk,
        "comparisons": CHOICES,
        "compare_with": choice.compare_with,
        "earlier_period": earlier_period,
        "headlines": list_headlines(overview=overview, earlier=earlier),
        "groupings": {key: labels.GROUP_NAMES[key] for key in GROUPINGS},
        "group_by": group_by,
        "groups": [
            (names[key], figures, drill_down_link(query, group_by=group_by, key=key))
            for key, figures in overview.groups.items()
        ],
        "kinds_of_visit": [
            (labels.KIND_NAMES[key], count) for key, count in overview.visits.by_kind.items()
        ],
        "outcomes": [
            (labels.OUTCOME_NAMES[key], count) for key, count in overview.visits.by_outcome.items()
        ],
        "times": labels.name_time_figures(overview.visits),
        "wait_chart": draw_wait_chart(
            groups=[(wait_names[key], overview.wait_shares[key]) for key in (BOOKED, UNBOOKED)],
            marks=wait_marks(on_time_minutes=on_time_minutes),
        ),
        "wait_minutes": TABLE_MINUTES,
        "wait_rows": wait_rows(overview=overview, earlier=earlier, names=wait_names),
        "booked_within": as_percent(overview.wait_shares[BOOKED].share_within(on_time_minutes)),
        "unbooked_within": as_percent(
            overview.wait_shares[UNBOOKED].share_within(UNBOOKED_MARK_MINUTES)
        ),
        "on_time_minutes": on_time_minutes,
        "unbooked_mark": UNBOOKED_MARK_MINUTES,
        "week_hours": overview.week_hours,
        "weekday_names": [
            labels.group_labels(group_by="weekday", keys=[day])[day]
            for day in overview.week_hours.weekdays
        ],
        "heat_rows": heat_rows(week_hours=overview.week_hours),
        "min_waits": MIN_WAITS,
        "left_out_names": labels.LEFT_OUT_NAMES,
        "lateness": _banded(overview.bookings.lateness, labels.LATENESS_NAMES),
        "arrival": _banded(overview.bookings.arrival, labels.ARRIVAL_NAMES),
        "lead_median": None
        if overview.bookings.lead_days.median is None
        else round(overview.bookings.lead_days.median),
        "lead": _banded(overview.bookings.lead, labels.LEAD_NAMES),
        "channels": _banded(overview.bookings.by_channel, dict(Booking.Channel.choices)),
        "topics": _by_service_name(overview.phone_meetings.by_topic),
        "group_name": labels.GROUP_NAMES[group_by],
        "chart": draw_chart(
            labels=[step.label for step in overview.steps],
            values=[step.visits for step in overview.steps],
            target=None,
            counts=True,
        ),
        "on_time_percent": as_percent(overview.bookings.on_time_share),
        "desks": overview.desks,
        "offered_hours": overview.desks.offered_minutes / 60,
        "booked_hours": overview.desks.booked_minutes / 60,
        "booked_percent": as_percent(overview.desks.booked_share),
        "desk_usage": _usage(
            overview.desks.by_desk,
            labels.group_labels(group_by="desk", keys=list(overview.desks.by_desk)),
            links={
                key: drill_down_link(query, group_by="desk", key=key)
                for key in overview.desks.by_desk
            },
        ),
        "hour_usage": _usage(
            overview.desks.by_hour,
            labels.group_labels(group_by="hour", keys=list(overview.desks.by_hour)),
        ),
        "survey_shares": survey_shares(overview.survey),
        "survey_rows": _by_service_name(overview.survey_by_service),
        "query": query.urlencode(),
        "all_services": query_without(query, "ydelse"),
        "all_desks": query_without(query, "skranke"),
    }


def survey_shares(
    figures: SurveyFigures | None,
) -> list[tuple[str, Share, float | None, float | None]]:
    """Each question's share, and its 95 % interval in percent (on the page
    and in the annual report)."""
    if figures is None:
        return []
    percent: list[tuple[str, Share, float | None, float | None]] = []
    for name, share in survey_questions(figures):
        low, high = share.interval or (None, None)
        percent.append((name, share, as_percent(low), as_percent(high)))
    return percent


def _usage(
    usage: dict[int, Usage],
    names: dict[object, str],
    *,
    links: Mapping[int, str | None] | None = None,
) -> list[tuple[str, float, float | None, float | None, str | None]]:
    """Rows for the staffed desks and hours only: a visit forgotten into
    the evening makes an hour busy that nobody staffed, which says nothing
    about idle time. `links`: each row's drill-down, if it has one."""
    return [
        (
            names[key],
            figures.staffed / 60,
            as_percent(figures.busy_share),
            as_percent(figures.idle_share),
            (links or {}).get(key),
        )
        for key, figures in usage.items()
        if figures.staffed
    ]


def _by_service_name(by_service: Mapping[Any, T]) -> list[tuple[str, T]]:
    """Figures keyed by a service's id, as (the service's name, figures) in
    the order of the names."""
    names = labels.group_labels(group_by="service", keys=list(by_service))
    return sorted(((names[key], value) for key, value in by_service.items()), key=lambda r: r[0])


def _banded(counts: dict[str, int], names: Mapping[str, object]) -> Banded:
    """Each band's name, count and percentage of the whole."""
    total = sum(counts.values())
    return [
        (names[key], count, 100 * count / total if total else None) for key, count in counts.items()
    ]
