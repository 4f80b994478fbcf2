"""What a booking's length costs a desk once the slot grid has had its say.

Times are offered on a grid (core.models.slot_step_for): a 13-minute
errand on its 10-minute grid starts at 10:00 and, booked back to back, next
at 10:20, so it holds the desk for 20 minutes, as long as a 20-minute one.
A length is worth as much desk time as the grid makes of it, and the
times a desk can offer in a day follow from that, not from the length.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from skranke.core.models import slot_step_for
from skranke.planning.counter.simulation import CounterWeek, Window


@dataclass(frozen=True)
class SlotFit:
    """A length on its grid: what the manager weighs before changing it."""

    minutes: int
    step: int  # minutes between the times offered
    desk_minutes: int  # what one booking holds of a desk, booked back to back
    times_a_day: float | None  # one desk's times in an average open day; None: no desk has it


def step_for(*, minutes: int, explicit_step: int | None) -> int:
    """The grid a service would have with `minutes`: its own step if one is
    set, else the one its length gives."""
    return slot_step_for(minutes=minutes, explicit=explicit_step)


def desk_minutes_for(*, minutes: int, explicit_step: int | None) -> int:
    """The desk time one booking of `minutes` holds when the next one of
    the same service starts at the first time on the grid after it."""
    step = step_for(minutes=minutes, explicit_step=explicit_step)
    return math.ceil(minutes / step) * step


def fit_on_grid(
    *, minutes: int, explicit_step: int | None, week: CounterWeek | None = None, service: int = 0
) -> SlotFit:
    """`minutes` on the service's grid, and, given the place's week, how
    many such times one of the service's desks could offer in a day."""
    step = step_for(minutes=minutes, explicit_step=explicit_step)
    return SlotFit(
        minutes=minutes,
        step=step,
        desk_minutes=desk_minutes_for(minutes=minutes, explicit_step=explicit_step),
        times_a_day=None
        if week is None
        else count_times_a_day(week=week, service=service, minutes=minutes, step=step),
    )


def count_times_a_day(*, week: CounterWeek, service: int, minutes: int, step: int) -> float | None:
    """The times of `minutes` on the grid of `step` that one of the desks
    handling `service` could offer in an open day, on average over its
    days with hours, were it to offer nothing else (a desk shared with
    other services offers its share of these). None when no desk has it."""
    counts = [
        sum(
            _count_in_window(window=window, minutes=minutes, step=step)
            for window in _inside(desk.hours.get(weekday, ()), opening)
        )
        for desk in week.desks
        if service in desk.handles
        for weekday, opening in sorted(week.opening.items())
        if _inside(desk.hours.get(weekday, ()), opening)
    ]
    return sum(counts) / len(counts) if counts else None


def _count_in_window(*, window: Window, minutes: int, step: int) -> int:
    start, end = window
    moment, count = _on_grid(start, step), 0
    while moment + minutes <= end:
        count += 1
        moment = _on_grid(moment + minutes, step)
    return count


def _inside(shifts: Sequence[Window], opening: Sequence[Window]) -> list[Window]:
    """The parts of a desk's shifts inside the opening hours, in order."""
    parts = [(max(a, c), min(b, d)) for a, b in shifts for c, d in opening if max(a, c) < min(b, d)]
    return sorted(parts)


def _on_grid(moment: int, step: int) -> int:
    return -(-moment // step) * step
