"""The worker's queue jobs: booked citizens who never came become no-shows
after their grace period, and visits left open at the end of the day are
closed and flagged, so that reports count them apart instead of counting
them wrong (as the old number system's figures were)."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q

from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.models import Municipality, Service
from skranke.queueing.board import touch_board
from skranke.queueing.models import Visit


def mark_no_shows() -> int:
    """Bookings at a centre not checked in by their time plus the grace
    period become no-shows. Telephone meetings are not checked in, and are
    left to the worklist."""
    now = clock.now()
    overdue = Q()
    for municipality_id, grace in Municipality.objects.values_list("pk", "checkin_grace_minutes"):
        overdue |= Q(
            location__municipality_id=municipality_id,
            start__lt=now - timedelta(minutes=grace),
        )
    due = Booking.objects.filter(
        overdue, status=Booking.Status.BOOKED, service__kind=Service.Kind.IN_PERSON
    )
    # Look before writing: on SQLite every write takes the database's one
    # write lock, and this runs every round.
    if not due.exists():
        return 0
    with transaction.atomic(durable=True):
        return due.update(status=Booking.Status.NO_SHOW)


def close_past_visits() -> int:
    """Visits of earlier days still open: ended now, flagged as not ended by
    staff. Citizens still waiting keep no outcome; those at a desk keep
    their start, and their booking counts as served (they were at the
    desk; only the click was forgotten). A booked citizen never called
    stays checked in: neither served nor a no-show, and the statistics
    count them as such."""
    left_open = Visit.objects.filter(day__lt=clock.today()).exclude(status=Visit.Status.ENDED)
    if not left_open.exists():
        return 0
    with transaction.atomic(durable=True):
        locations = set(left_open.values_list("location_id", flat=True))
        at_desk = left_open.filter(
            status__in=(Visit.Status.CALLED, Visit.Status.IN_SERVICE), booking__isnull=False
        )
        Booking.objects.filter(
            pk__in=at_desk.values("booking_id"), status=Booking.Status.CHECKED_IN
        ).update(status=Booking.Status.SERVED)
        closed = left_open.update(
            status=Visit.Status.ENDED, ended_at=clock.now(), not_ended_by_staff=True
        )
        for location_id in locations:
            touch_board(location_id=location_id)
    return closed
