"""How many minutes each service needs: from the cleaned service times of
the last months (statistics' robust figures), the percentile at which a
minute of a citizen's waiting and a minute of an idle desk cost the same.

Booking a service for its median leaves half the citizens running over
into the next booked time; booking it for its longest leaves the desk
idle. If a minute of waiting costs `wait_cost` and an idle minute
`idle_cost`, the expected cost of a length L is lowest where the share of
visits longer than L is idle_cost / (wait_cost + idle_cost), the
newsvendor's critical fractile: at the p-th percentile with
p = wait_cost / (wait_cost + idle_cost). Four to one gives the 80th.
"""

import math
from dataclasses import dataclass
from datetime import date

import numpy as np

from skranke.core.models import Service
from skranke.stats.robust import TimeFigure, fence_outliers
from skranke.stats.visits import TRUSTED, VisitTable, measure_visits_by, read_visits

FEWEST_VISITS = 30  # below this a percentile of the service's own times says little
DEFAULT_WAIT_COST = 4.0
DEFAULT_IDLE_COST = 1.0
EMPTY = TimeFigure(count=0, used=0)


@dataclass(frozen=True)
class MinutesAdvice:
    service: Service
    figure: TimeFigure  # the service's own cleaned times
    share: float  # the percentile recommended, 0–1
    percentile_minutes: float | None  # that percentile of the times used
    based_on: str  # "service", "ticket_group" (too few of its own) or "none"
    recommended_minutes: int | None  # whole minutes

    @property
    def too_few(self) -> bool:
        return self.figure.used < FEWEST_VISITS

    @property
    def change(self) -> int | None:
        if self.recommended_minutes is None:
            return None
        return self.recommended_minutes - self.service.duration_minutes


def recommended_share(*, wait_cost: float, idle_cost: float) -> float:
    if wait_cost <= 0 or idle_cost <= 0:
        raise ValueError("both costs must be positive")
    return wait_cost / (wait_cost + idle_cost)


def advise_minutes(
    *,
    location_ids: list[int],
    services: list[Service],
    first: date,
    end: date,
    wait_cost: float = DEFAULT_WAIT_COST,
    idle_cost: float = DEFAULT_IDLE_COST,
) -> list[MinutesAdvice]:
    """Advice for each of `services` from their visits at the locations on
    the days [first, end) (recommend_minutes)."""
    return recommend_minutes(
        rows=read_visits(location_ids=location_ids, first=first, end=end),
        services=services,
        wait_cost=wait_cost,
        idle_cost=idle_cost,
    )


def recommend_minutes(
    *,
    rows: VisitTable,
    services: list[Service],
    wait_cost: float = DEFAULT_WAIT_COST,
    idle_cost: float = DEFAULT_IDLE_COST,
) -> list[MinutesAdvice]:
    """Advice for each of `services` from the visit rows. A service with
    fewer than FEWEST_VISITS usable times borrows the times of the
    services sharing its ticket letter (the same queue at the counter);
    with none at all, no advice."""
    share = recommended_share(wait_cost=wait_cost, idle_cost=idle_cost)
    figures = measure_visits_by(rows, group_by="service")
    measured = measure_times(rows=rows, services=services)
    advice = []
    for service in services:
        figure = figures[service.pk].service_time if service.pk in figures else EMPTY
        times, based_on = measured[service.pk]
        value = float(np.percentile(times, share * 100)) if based_on != "none" else None
        advice.append(
            MinutesAdvice(
                service=service,
                figure=figure,
                share=share,
                percentile_minutes=value,
                based_on=based_on,
                recommended_minutes=None if value is None else max(1, math.floor(value + 0.5)),
            )
        )
    return advice


def measure_times(
    *, rows: VisitTable, services: list[Service]
) -> dict[int, tuple[np.ndarray, str]]:
    """Each service's trusted minutes at the desk, outliers fenced, and
    what they are: "service" (its own), "ticket_group" (fewer than
    FEWEST_VISITS of its own, so those of the services sharing its ticket
    letter, the same queue at the counter) or "none" (too few of either)."""
    minutes = rows.service_minutes
    usable = ~np.isnan(minutes) & (rows.reason == TRUSTED)
    kept_by_service = {
        service.pk: fence_outliers(
            sorted_minutes=np.sort(np.maximum(minutes[usable & (rows.service_id == service.pk)], 0))
        )
        for service in services
    }
    measured = {}
    for service in services:
        times, based_on = kept_by_service[service.pk], "service"
        if len(times) < FEWEST_VISITS:
            times = np.concatenate(
                [
                    kept_by_service[other.pk]
                    for other in services
                    if other.ticket_letter == service.ticket_letter
                ]
            )
            based_on = "ticket_group" if len(times) >= FEWEST_VISITS else "none"
        measured[service.pk] = (times, based_on)
    return measured
