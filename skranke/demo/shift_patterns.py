"""The demo town hall's shift patterns, what the rota page plans with:
counter blocks of 1½ to 3 hours, an early block for Tuesday's off-peak
hour before ten, and a long day with a break for the late-opening Mondays
and Thursdays."""

from datetime import time

from skranke.core.models import Location
from skranke.planning.models import ShiftPattern

# name, starts, latest start, length, break, break after, weekdays, most
# staff per day. Counter duty comes in blocks, the rest of the day is
# casework: a block may start at any half hour from its start to its
# latest start, so the rota can follow the need.
PATTERNS = [
    ("Tidlig skranke", time(8), None, 90, 0, 0, "1", 4),
    ("Skranke 1½ time", time(10), time(15, 30), 90, 0, 0, "012345", 6),
    ("Skranke 2 timer", time(10), time(15), 120, 0, 0, "012345", 6),
    ("Skranke 2½ time", time(10), time(14, 30), 150, 0, 0, "012345", 6),
    ("Skranke 3 timer", time(10), time(14), 180, 0, 0, "012345", 6),
    ("Lang dag", time(10), None, 7 * 60, 30, 180, "03", 3),
]


def load_shift_patterns(location: Location) -> None:
    """The patterns, put back to exactly these."""
    ShiftPattern.objects.filter(location=location).delete()
    for name, starts, latest, length, pause, pause_after, weekdays, most in PATTERNS:
        pattern = ShiftPattern(
            location=location,
            name=name,
            starts=starts,
            latest_start=latest,
            length_minutes=length,
            break_minutes=pause,
            break_after_minutes=pause_after,
            weekdays=weekdays,
            most_staff=most,
        )
        pattern.full_clean()
        pattern.save()
