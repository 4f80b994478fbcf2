"""What a manager may do from the overview of the day, each noted with
who and when (ManagerAction): stop tickets without a booking for a queue
for the rest of the day, and start them again; pause a desk (it calls
no one and counts in no expected wait) and open it again."""

from datetime import datetime, time

from django.db import transaction

from skranke.accounts.models import User
from skranke.core import clock
from skranke.core.models import Desk, Location
from skranke.overview.models import ManagerAction
from skranke.queueing.serving import pause_desk
from skranke.queueing.walk_in_stops import resume_walk_ins, stop_walk_ins


def stop_queue_walk_ins(*, location: Location, letter: str, services: str, staff: User) -> None:
    # The stop and its record in one transaction: neither without the other.
    with transaction.atomic(durable=True):
        if stop_walk_ins(location=location, letter=letter, staff=staff):
            _note(
                location=location,
                kind=ManagerAction.Kind.STOP_WALK_INS,
                detail=f"{letter} ({services})",
                staff=staff,
            )


def resume_queue_walk_ins(*, location: Location, letter: str, services: str, staff: User) -> None:
    with transaction.atomic(durable=True):
        if resume_walk_ins(location=location, letter=letter):
            _note(
                location=location,
                kind=ManagerAction.Kind.RESUME_WALK_INS,
                detail=f"{letter} ({services})",
                staff=staff,
            )


def pause_desk_from_overview(*, desk: Desk, paused: bool, staff: User) -> None:
    with transaction.atomic(durable=True):
        # Whoever works at the desk stays its staff: the manager pauses it,
        # they do not take it over.
        pause_desk(desk=desk, staff=None, paused=paused)
        _note(
            location=desk.location,
            kind=ManagerAction.Kind.PAUSE_DESK if paused else ManagerAction.Kind.OPEN_DESK,
            detail=desk.name,
            staff=staff,
        )


def todays_actions(*, locations: list[Location]) -> list[ManagerAction]:
    midnight = datetime.combine(clock.today(), time(0), tzinfo=clock.LOCAL_ZONE)
    return list(
        ManagerAction.objects.filter(location__in=locations, at__gte=midnight)
        .select_related("staff", "location")
        .order_by("-at")
    )


def _note(*, location: Location, kind: str, detail: str, staff: User) -> None:
    ManagerAction.objects.create(
        location=location, kind=kind, detail=detail[:200], staff=staff, at=clock.now()
    )
