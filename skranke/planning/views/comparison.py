"""A simulated week against another: the same figures, in the same order,
wherever the planning pages compare two scenarios."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from skranke.planning.counter.simulation import Spread, WeekFigures


@dataclass(frozen=True)
class Compared:
    label: str
    today: Spread
    changed: Spread
    percent: bool  # a share, shown as a percentage


def compare_weeks(*, today: WeekFigures, changed: WeekFigures) -> list[Compared]:
    rows = [
        (_("Booked citizens served on time"), "on_time_share", True),
        (_("Times offered per day"), "times_offered_per_day", False),
        (_("Times booked per day"), "booked_per_day", False),
        (_("Idle desk time"), "idle_share", True),
        (_("Wait without a booking, median (minutes)"), "walk_in_wait_median", False),
        (_("Wait without a booking, 90th percentile (minutes)"), "walk_in_wait_p90", False),
        (_("Overtime per day (minutes)"), "overtime_minutes_per_day", False),
    ]
    return [
        Compared(label, getattr(today, name), getattr(changed, name), percent)
        for label, name, percent in rows
    ]
