"""Shift patterns as the rota takes them: in half hours, one for each
start time a manager's ShiftPattern (planning/models.py) allows, and a
location's active ones read from the database."""

from dataclasses import dataclass
from datetime import time

from skranke.core.intervals import format_minutes
from skranke.core.models import Location
from skranke.planning.forecast import INTERVAL_MINUTES, INTERVALS
from skranke.planning.models import ShiftPattern


class RotaInputError(ValueError):
    """The need or the patterns cannot be planned with (wrong shape)."""


@dataclass(frozen=True)
class Pattern:
    """A shift pattern in half hours (planning.models.ShiftPattern, or a
    test's own)."""

    key: str
    name: str
    start: int  # the half hour it starts in, 0 = 00:00–00:30
    length: int  # half hours, the break included
    break_start: int = 0  # half hours after the start
    break_length: int = 0
    weekdays: frozenset[int] = frozenset(range(7))
    most_staff: int = 1
    # Patterns of one group (one ShiftPattern's start times) share its
    # staff: at most `most_staff` of them all on a day. Empty: on its own.
    group: str = ""

    def __post_init__(self) -> None:
        if self.length < 1 or self.start < 0 or self.start + self.length > INTERVALS:
            raise RotaInputError(f"pattern {self.name!r} does not fit in a day")
        if self.break_length and not (
            self.break_start > 0 and self.break_start + self.break_length < self.length
        ):
            raise RotaInputError(f"the break of pattern {self.name!r} is not inside it")

    @classmethod
    def variants(
        cls,
        *,
        key: int,
        name: str,
        starts: time,
        latest_start: time | None,
        length_minutes: int,
        break_minutes: int,
        break_after_minutes: int,
        weekdays: frozenset[int],
        most_staff: int,
    ) -> list["Pattern"]:
        """A ShiftPattern's fields as patterns, one per start time it
        allows (every half hour from `starts` to `latest_start`), all of
        one group. Its times must fall on half hours."""
        half = INTERVAL_MINUTES
        first = starts.hour * 60 + starts.minute
        last = first if latest_start is None else latest_start.hour * 60 + latest_start.minute
        if any(value % half for value in (first, last, length_minutes, break_minutes)) or (
            break_minutes and break_after_minutes % half
        ):
            raise RotaInputError(f"pattern {name!r} is not on the half hours")
        return [
            cls(
                key=f"{key}@{start // half}",
                name=name,
                start=start // half,
                length=length_minutes // half,
                break_start=break_after_minutes // half if break_minutes else 0,
                break_length=break_minutes // half,
                weekdays=weekdays,
                most_staff=most_staff,
                group=str(key),
            )
            for start in range(first, max(first, last) + 1, half)
            if start + length_minutes <= 24 * 60
        ]

    @property
    def end(self) -> int:
        return self.start + self.length

    @property
    def label(self) -> str:
        """ "08:00–16:00"."""
        return format_minutes(self.start * INTERVAL_MINUTES, self.end * INTERVAL_MINUTES)

    @property
    def break_label(self) -> str:
        """ "12:00–12:30", or empty without a break."""
        if not self.break_length:
            return ""
        first = self.start + self.break_start
        return format_minutes(
            first * INTERVAL_MINUTES, (first + self.break_length) * INTERVAL_MINUTES
        )

    @property
    def hours(self) -> float:
        return self.length * INTERVAL_MINUTES / 60

    def works(self, interval: int) -> bool:
        """Whether someone on this pattern is at the desk in `interval`."""
        if not self.start <= interval < self.end:
            return False
        offset = interval - self.start
        return not (self.break_start <= offset < self.break_start + self.break_length)

    @property
    def parts(self) -> list[tuple[int, int]]:
        """The half hours worked, [start, end), before and after the break."""
        if not self.break_length:
            return [(self.start, self.end)]
        resumes = self.start + self.break_start + self.break_length
        return [(self.start, self.start + self.break_start), (resumes, self.end)]


def read_patterns(
    *, location: Location, applies_to: str = ShiftPattern.Applies.COUNTER
) -> list[Pattern]:
    """The location's active shift patterns for the counter's rota or the
    telephones'; a pattern with a window of start times gives one per
    start."""
    return [
        variant
        for pattern in ShiftPattern.objects.filter(
            location=location, applies_to=applies_to, active=True
        )
        for variant in Pattern.variants(
            key=pattern.pk,
            name=pattern.name,
            starts=pattern.starts,
            latest_start=pattern.latest_start,
            length_minutes=pattern.length_minutes,
            break_minutes=pattern.break_minutes,
            break_after_minutes=pattern.break_after_minutes,
            weekdays=pattern.weekday_numbers,
            most_staff=pattern.most_staff,
        )
    ]
