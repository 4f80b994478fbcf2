"""A location's shift patterns as the rota solver takes them."""

from skranke.core.models import Location
from skranke.planning.models import ShiftPattern
from skranke.planning.rota import Pattern


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
