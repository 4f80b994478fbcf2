"""Time-of-day intervals: half-open [start, end) pairs of `datetime.time`.

Opening hours and desk shifts are both lists of these; the rules that keep a
configuration sane (no overlap, one inside another) are stated once here.
"""

from collections.abc import Iterable, Sequence
from datetime import time
from itertools import pairwise

Interval = tuple[time, time]


def first_overlap(intervals: Iterable[Interval]) -> tuple[Interval, Interval] | None:
    """The first two intervals that share some time, or None. Touching
    intervals (10-12 and 12-14) do not overlap."""
    ordered = sorted(intervals)
    for earlier, later in pairwise(ordered):
        if later[0] < earlier[1]:
            return earlier, later
    return None


def is_covered(interval: Interval, *, by: Sequence[Interval]) -> bool:
    """Whether `interval` lies wholly inside one of `by`."""
    start, end = interval
    return any(outer_start <= start and end <= outer_end for outer_start, outer_end in by)


def format_interval(interval: Interval) -> str:
    """10:00–15:30, as Danish and English readers both expect."""
    return f"{interval[0]:%H:%M}–{interval[1]:%H:%M}"


def time_of_minute(minute: int) -> time:
    """The time of day `minute` minutes after midnight; the day's end
    (24 × 60) is shown as 00:00."""
    return time(minute // 60 % 24, minute % 60)


def format_minutes(start: int, end: int) -> str:
    """format_interval for minutes after midnight, as planning counts them."""
    return format_interval((time_of_minute(start), time_of_minute(end)))
