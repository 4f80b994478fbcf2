"""Time figures that a few forgotten visits cannot move.

A visit a desk forgot to end runs for hours; averaged in, a handful of them
move a centre's mean service time by tens of percent (Randers warned its
own figures were wrong for exactly this reason). So every time figure here
is computed from the times that can be trusted, and says how many it rests
on and how many it left out and why:

- visits closed by the end-of-day job or marked "the times are wrong" are
  left out by the caller (their reasons arrive in `left_out`);
- the rest of the service times are fenced on the log scale, where they
  are roughly symmetric: a time further than FENCE_WIDTH robust standard
  deviations (1.4826 × the median absolute deviation) from its service's
  median is an outlier. Each service has its own fence: pooled, a quick
  postal vote looks like an outlier beside a passport, and a forgotten
  postal vote hides among the passports.

Waits are not fenced: the system records the call itself, so a long wait
is a fact about the centre, not a slip at the desk.

Medians and the 80th and 90th percentiles stand beside the mean because
they barely move with what slips through the fence.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

FENCE_WIDTH = 3.0
# The median absolute deviation of a normal distribution times this is its
# standard deviation.
MAD_TO_SD = 1.4826
# A spread below this (on the log scale: about ±10 %) is taken as this, so
# that a service whose times are all alike does not fence out every
# time that differs by a minute.
SMALLEST_SPREAD = 0.1

NOT_ENDED_BY_STAFF = "not_ended_by_staff"
TIMES_WRONG = "times_wrong"
OUTLIER = "outlier"
REASONS = (NOT_ENDED_BY_STAFF, TIMES_WRONG, OUTLIER)


@dataclass(frozen=True)
class TimeFigure:
    """Minutes, summarised. `count` is every visit the figure is about;
    `used` those whose times it rests on."""

    count: int
    used: int
    left_out: dict[str, int] = field(default_factory=dict)
    median: float | None = None
    p80: float | None = None
    p90: float | None = None
    mean: float | None = None
    within_10: float | None = None  # share of `used` at most 10 minutes
    within_20: float | None = None

    @property
    def left_out_count(self) -> int:
        return sum(self.left_out.values())

    @property
    def left_out_share(self) -> float | None:
        return self.left_out_count / self.count if self.count else None

    def as_dict(self) -> dict[str, object]:
        return {
            "count": self.count,
            "used": self.used,
            "left_out": {reason: self.left_out.get(reason, 0) for reason in REASONS},
            "median_minutes": _rounded(self.median),
            "p80_minutes": _rounded(self.p80),
            "p90_minutes": _rounded(self.p90),
            "mean_minutes": _rounded(self.mean),
            "share_within_10_minutes": _rounded(self.within_10, 4),
            "share_within_20_minutes": _rounded(self.within_20, 4),
        }


def summarise_minutes(
    *,
    minutes: Iterable[float] | np.ndarray,
    left_out: dict[str, int] | None = None,
    fence: bool = True,
    groups: np.ndarray | None = None,
) -> TimeFigure:
    """The figure of `minutes` (the trusted times), after fencing outliers
    (unless `fence` is false: for measured facts such as waits, and for
    errors, whose large values are the news). With `groups` (one key per
    time, e.g. its service) each group is fenced on its own. `left_out`
    counts the visits the caller already left out, by reason."""
    given = minutes if isinstance(minutes, np.ndarray) else np.fromiter(minutes, dtype=float)
    values = np.maximum(given.astype(float), 0.0)
    if fence:
        inside = (
            inside_fence(minutes=values)
            if groups is None
            else inside_group_fences(minutes=values, groups=groups)
        )
        kept = np.sort(values[inside])
    else:
        kept = np.sort(values)
    reasons = {reason: count for reason, count in (left_out or {}).items() if count}
    if len(kept) < len(values):
        reasons[OUTLIER] = reasons.get(OUTLIER, 0) + len(values) - len(kept)
    count = len(values) + sum((left_out or {}).values())
    if not len(kept):
        return TimeFigure(count=count, used=0, left_out=reasons)
    median, p80, p90 = (float(value) for value in np.percentile(kept, [50, 80, 90]))
    return TimeFigure(
        count=count,
        used=len(kept),
        left_out=reasons,
        median=median,
        p80=p80,
        p90=p90,
        mean=float(kept.mean()),
        within_10=float(np.count_nonzero(kept <= 10)) / len(kept),
        within_20=float(np.count_nonzero(kept <= 20)) / len(kept),
    )


def fence_outliers(*, sorted_minutes: np.ndarray) -> np.ndarray:
    """The times inside the robust fence, still sorted."""
    return sorted_minutes[inside_fence(minutes=sorted_minutes)]


def inside_fence(*, minutes: np.ndarray) -> np.ndarray:
    """Which times are inside the robust fence, as a mask. log(1 + minutes)
    rather than log(minutes): a time of zero is possible and honest."""
    if len(minutes) < 3:
        return np.ones(len(minutes), dtype=bool)
    logs = np.log1p(minutes)
    centre = np.median(logs)
    spread = max(MAD_TO_SD * float(np.median(np.abs(logs - centre))), SMALLEST_SPREAD)
    return (logs >= centre - FENCE_WIDTH * spread) & (logs <= centre + FENCE_WIDTH * spread)


def inside_group_fences(*, minutes: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Which times are inside their own group's fence, as a mask."""
    inside = np.ones(len(minutes), dtype=bool)
    for group in np.unique(groups):
        members = groups == group
        inside[members] = inside_fence(minutes=minutes[members])
    return inside


def percentile(*, sorted_values: list[float], share: float) -> float:
    """The `share` quantile of sorted values, interpolated between the two
    nearest (the usual definition: numpy's and Excel's PERCENTILE.INC)."""
    if not sorted_values:
        raise ValueError("no values")
    position = share * (len(sorted_values) - 1)
    below = math.floor(position)
    above = min(below + 1, len(sorted_values) - 1)
    return sorted_values[below] + (sorted_values[above] - sorted_values[below]) * (position - below)


def _rounded(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)
