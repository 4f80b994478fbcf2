"""How many online bookings this hour of the day usually sees: the level
an attack is measured against (challenge/pressure.py, which stands below
booking and is told the number)."""

from datetime import timedelta

from django.db.models.functions import ExtractHour

from skranke.booking.models import Booking
from skranke.core import clock
from skranke.database.kept import keep_value

# Days looked back over: two weeks, so a quiet Sunday and a busy Monday
# both count.
USUAL_DAYS = 14


def usual_online_bookings_this_hour() -> float:
    """Online bookings made in this clock hour of the day (Copenhagen), on
    average over the last USUAL_DAYS days before today. Counted once an
    hour in each process; a time held and never confirmed is not counted
    (it is deleted when it lapses)."""
    now = clock.now().astimezone(clock.LOCAL_ZONE)
    return keep_value(
        name="usual-online-bookings",
        fingerprint=(now.date(), now.hour),
        build=lambda: _count(hour=now.hour) / USUAL_DAYS,
        seconds=3600,
    )


def _count(*, hour: int) -> int:
    # Local midnight, however long the day (a daylight-saving change).
    midnight = (
        clock.now().astimezone(clock.LOCAL_ZONE).replace(hour=0, minute=0, second=0, microsecond=0)
    )
    return (
        Booking.objects.filter(
            channel=Booking.Channel.WEB,
            created_at__gte=midnight - timedelta(days=USUAL_DAYS),
            created_at__lt=midnight,
        )
        .annotate(hour=ExtractHour("created_at", tzinfo=clock.LOCAL_ZONE))
        .filter(hour=hour)
        .count()
    )
