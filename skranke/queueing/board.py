"""The queue's board: a version that changes with every change to a
location's queue, the latest calls, and the number waiting."""

from datetime import date

from django.db.models import F

from skranke.queueing.models import QueueBoard, Visit

# The calls a display lists; the newest is highlighted.
LATEST_CALLS = 6


def touch_board(*, location_id: int) -> None:
    """Note that the queue at `location_id` changed. Called inside the
    transaction that changes it, so a display never sees the new version
    before the change."""
    if not QueueBoard.objects.filter(location_id=location_id).update(version=F("version") + 1):
        QueueBoard.objects.get_or_create(location_id=location_id, defaults={"version": 1})


def board_version(*, location_id: int) -> int:
    version = (
        QueueBoard.objects.filter(location_id=location_id).values_list("version", flat=True).first()
    )
    return version or 0


def latest_calls(*, location_id: int, day: date) -> list[Visit]:
    """The latest calls of the day, newest first: a citizen called and not
    yet gone, or called within the last few calls."""
    return list(
        Visit.objects.filter(location_id=location_id, day=day, called_at__isnull=False)
        .exclude(outcome=Visit.Outcome.NO_SHOW)
        .select_related("desk")
        .order_by("-called_at", "-pk")[:LATEST_CALLS]
    )


def waiting_count(*, location_id: int, day: date) -> int:
    return Visit.objects.filter(
        location_id=location_id, day=day, status=Visit.Status.WAITING
    ).count()
