"""Whose times a service's minutes rest on, when it has few of its own.

A service with FEWEST_VISITS cleaned times of its own in the weeks looked
at rests on them. One with fewer is looked at again over WIDER_WEEKS, and
rests on its own times from then if there are enough. Failing that, with
at least COMPARE_FEWEST of its own:

- it borrows its ticket group's times (the services sharing its ticket
  letter, the same queue at the counter) only when its own median is
  within BORROW_TOLERANCE of the group's: a 25-minute marriage borrowing
  a 12-minute queue's times would be booked for half its length;
- else its own times are fitted on the log scale, where service times are
  roughly normal, the level shrunk toward the group's (below), and the
  advice rests on the fit if it is as precise as the percentile of
  FEWEST_VISITS times of its own would be, and precise enough to be
  within 15 % of the truth 19 times in 20 (minutes.estimate_percentile);
- else no advice.

Shrinking: the level is the mean log time, pulled toward the group's by
the empirical-Bayes weight tau² / (tau² + v), where v is the variance of
the service's own mean and tau² the squared distance between the two
levels less v. A service far from its group keeps its own level, one
close to it moves toward it as far as its own few times are uncertain.
The spread stays the service's own: borrowing the group's would be more
precise, but a queue's services differ in spread too (the demo's from
0.3 to 0.5 on the log scale), and at the 80th percentile that difference
moves the minutes by 8 %.
"""

from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from skranke.core.models import Service
from skranke.stats.robust import (
    NOT_ENDED_BY_STAFF,
    TIMES_WRONG,
    TimeFigure,
    fence_outliers,
    summarise_minutes,
)
from skranke.stats.visits import NOT_ENDED, TRUSTED, WRONG, VisitTable

FEWEST_VISITS = 30  # below this a percentile of the service's own times says little
WIDER_WEEKS = 52  # how far back a service with too few times is looked at again
# The share a service's median may lie from its group's for the group's
# times to stand in for its own.
BORROW_TOLERANCE = 0.25
# Below this, a median says too little to tell whether a service is like
# its group: of 5 times of a 25-minute service, the median falls within
# 25 % of a 12-minute group's about once in a hundred draws.
COMPARE_FEWEST = 10
SHORTEST = 0.5  # minutes; a time of zero has no logarithm
QUANTILES = 400  # points drawn from a shrunk distribution for the simulation

OWN = "service"
WIDER_WINDOW = "wider_window"
TICKET_GROUP = "ticket_group"
SHRUNK = "shrunk"
NONE = "none"


@dataclass(frozen=True)
class ServiceTimes:
    """A service's times at the desk over some weeks: the trusted ones
    inside the fence, sorted, and their figure (what was left out, why)."""

    kept: np.ndarray
    figure: TimeFigure

    @property
    def used(self) -> int:
        return len(self.kept)


@dataclass(frozen=True)
class LogNormalFit:
    """A shrunk service's times on the log scale."""

    level: float  # mean log minutes, after pulling toward the group
    spread: float  # standard deviation of the log minutes
    level_variance: float  # of the level estimate
    spread_freedom: int  # degrees of freedom behind the spread

    def quantile(self, share: float) -> float:
        return float(np.exp(self.level + NormalDist().inv_cdf(share) * self.spread))


@dataclass(frozen=True)
class MeasuredTimes:
    """The times a service's advice and its simulated visits rest on."""

    based_on: str  # OWN, WIDER_WINDOW, TICKET_GROUP, SHRUNK or NONE
    own: ServiceTimes  # its own, over the weeks looked at last
    times: np.ndarray  # what its minutes and the simulation draw on
    fit: LogNormalFit | None = None  # SHRUNK only
    group_used: int = 0  # the group's times behind a borrowed or shrunk advice
    weeks: int = 0  # weeks of its own history behind `own`
    median_ratio: float | None = None  # its own median over its group's


def times_of(*, minutes: np.ndarray, reasons: np.ndarray) -> ServiceTimes:
    """One service's times from its rows' minutes at the desk (NaN: none,
    e.g. a no-show) and why each may not be trusted (TRUSTED, NOT_ENDED,
    WRONG), the trusted ones fenced for outliers."""
    present = ~np.isnan(minutes)
    trusted = np.maximum(minutes[present & (reasons == TRUSTED)], 0.0)
    figure = summarise_minutes(
        minutes=trusted,
        left_out={
            NOT_ENDED_BY_STAFF: int(np.count_nonzero(present & (reasons == NOT_ENDED))),
            TIMES_WRONG: int(np.count_nonzero(present & (reasons == WRONG))),
        },
    )
    return ServiceTimes(kept=fence_outliers(sorted_minutes=np.sort(trusted)), figure=figure)


def collect_service_times(*, rows: VisitTable, services: list[Service]) -> dict[int, ServiceTimes]:
    """Each service's times in the visit rows (every row at a desk counts
    under the service handled there)."""
    minutes = rows.service_minutes
    return {
        service.pk: times_of(
            minutes=minutes[rows.service_id == service.pk],
            reasons=rows.reason[rows.service_id == service.pk],
        )
        for service in services
    }


def short_of_times(recent: dict[int, ServiceTimes]) -> list[int]:
    """The services to look at again over WIDER_WEEKS."""
    return [pk for pk, times in recent.items() if times.used < FEWEST_VISITS]


def measure_service_times(
    *,
    services: list[Service],
    recent: dict[int, ServiceTimes],
    wider: dict[int, ServiceTimes] | None = None,
    recent_weeks: int = 0,
) -> dict[int, MeasuredTimes]:
    """What each service's advice rests on, from its times in the recent
    weeks and, for those short of times, over WIDER_WEEKS (the module's
    docstring says in which order)."""
    measured = {}
    for service in services:
        own, widened = recent[service.pk], False
        if own.used < FEWEST_VISITS and wider and service.pk in wider:
            own, widened = wider[service.pk], True
        group = [other for other in services if other.ticket_letter == service.ticket_letter]
        measured[service.pk] = _measure_one(
            own=own,
            group_times=[recent[other.pk].kept for other in group],
            others=[recent[other.pk].kept for other in group if other.pk != service.pk],
            widened=widened,
            weeks=WIDER_WEEKS if widened else recent_weeks,
        )
    return measured


def _measure_one(
    *,
    own: ServiceTimes,
    group_times: list[np.ndarray],
    others: list[np.ndarray],
    widened: bool,
    weeks: int,
) -> MeasuredTimes:
    if own.used >= FEWEST_VISITS:
        return MeasuredTimes(
            based_on=WIDER_WINDOW if widened else OWN, own=own, times=own.kept, weeks=weeks
        )
    pooled = np.sort(np.concatenate(group_times))
    other_count = sum(len(times) for times in others)
    if own.used >= COMPARE_FEWEST and len(pooled) >= FEWEST_VISITS:
        ratio = float(np.median(own.kept)) / max(float(np.median(pooled)), SHORTEST)
        if abs(ratio - 1) <= BORROW_TOLERANCE:
            return MeasuredTimes(
                based_on=TICKET_GROUP,
                own=own,
                times=pooled,
                group_used=len(pooled),
                weeks=weeks,
                median_ratio=ratio,
            )
        if other_count >= FEWEST_VISITS:
            fit = shrink_toward_group(own=own.kept, others=others)
            return MeasuredTimes(
                based_on=SHRUNK,
                own=own,
                times=_draw_quantiles(fit),
                fit=fit,
                group_used=other_count,
                weeks=weeks,
                median_ratio=ratio,
            )
    # No advice; the simulation still draws on what there is, its own
    # times first.
    return MeasuredTimes(
        based_on=NONE, own=own, times=own.kept if own.used else pooled, weeks=weeks
    )


def shrink_toward_group(*, own: np.ndarray, others: list[np.ndarray]) -> LogNormalFit:
    """The service's log-normal fit, its level pulled toward that of the
    other services of its group (the module's docstring)."""
    logs = np.log(np.maximum(own, SHORTEST))
    group_level = float(np.mean(np.log(np.maximum(np.concatenate(others), SHORTEST))))
    spread_squared = float(np.var(logs, ddof=1))
    mean_variance = spread_squared / len(logs)
    distance = float(np.mean(logs)) - group_level
    between = max(distance**2 - mean_variance, 0.0)
    weight = between / (between + mean_variance) if between + mean_variance > 0 else 1.0
    return LogNormalFit(
        level=group_level + weight * distance,
        spread=float(np.sqrt(spread_squared)),
        level_variance=weight * mean_variance,
        spread_freedom=len(logs) - 1,
    )


def _draw_quantiles(fit: LogNormalFit) -> np.ndarray:
    """Evenly spaced quantiles of the fit: a sample without dice."""
    return np.array(
        [fit.quantile((index + 0.5) / QUANTILES) for index in range(QUANTILES)],
        dtype=float,
    )
