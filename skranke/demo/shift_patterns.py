"""The demo town hall's shift patterns, what the rota page plans with.

The counter: blocks of 1½ to 3 hours, an early block for Tuesday's
off-peak hour before ten, and a long day with a break for the
late-opening Mondays and Thursdays.

The telephones, answered 8:00–15:00 Monday to Thursday and 8:00–13:00 on
Friday (demo/contact_year.py): a morning and an afternoon half that meet
at 11:30, a full day with its break at half past eleven, two-hour blocks
for the busy half hours, and Friday's short day."""

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

# The same fields. The halves are 3½ hours each, so that together they
# span the opening hours without overlap; an agent on one half spends the
# rest of the day on written enquiries. Up to 16 agents can take calls on
# a day, as the demo's busiest Mondays need.
PHONE_PATTERNS = [
    ("Telefon formiddag", time(8), None, 210, 0, 0, "0123", 10),
    ("Telefon eftermiddag", time(11, 30), None, 210, 0, 0, "0123", 10),
    ("Telefon hel dag", time(8), None, 7 * 60, 30, 210, "0123", 6),
    ("Telefon 2 timer", time(8), time(13), 120, 0, 0, "01234", 8),
    ("Telefon fredag", time(8), None, 5 * 60, 0, 0, "4", 12),
]


def load_shift_patterns(location: Location) -> None:
    """The patterns, put back to exactly these."""
    ShiftPattern.objects.filter(location=location).delete()
    applies = ShiftPattern.Applies
    for applies_to, patterns in ((applies.COUNTER, PATTERNS), (applies.PHONES, PHONE_PATTERNS)):
        for name, starts, latest, length, pause, pause_after, weekdays, most in patterns:
            pattern = ShiftPattern(
                location=location,
                applies_to=applies_to,
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
