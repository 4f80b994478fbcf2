"""A desk calls the next citizen. Every call goes through call_next: the
policy picks (policy.py), and a conditional update that only one desk can
win makes the call, so two desks never call the same citizen."""

from datetime import date, datetime

from django.db import transaction
from django.utils.translation import gettext as _

from skranke.accounts.models import User
from skranke.core import clock
from skranke.core.models import Desk
from skranke.core.schedule import read_schedule, shifts_on
from skranke.queueing.board import touch_board
from skranke.queueing.errors import QueueRefused
from skranke.queueing.models import Visit
from skranke.queueing.policy import Waiting, next_visit
from skranke.queueing.serving import is_paused

# A desk may lose a race for its choice to another desk; it then chooses
# again among those left. More desks than this calling at the same instant
# is not a citizen service centre.
ATTEMPTS = 20


def desk_services(*, desk: Desk, moment: datetime) -> set[int]:
    """The services `desk` handles at `moment`: its shift then, or, between
    shifts, any of its shifts that day."""
    local = moment.astimezone(clock.LOCAL_ZONE)
    day = local.date()
    schedule = read_schedule(location=desk.location, since=day)
    today = shifts_on((shift for shift in schedule.shifts if shift.desk == desk.pk), day=day)
    now = [shift for shift in today if shift.starts <= local.time() < shift.ends]
    return {service for shift in (now or today) for service in shift.services}


def waiting_visits(*, location_id: int, day: date) -> list[Waiting]:
    visits = (
        Visit.objects.filter(location_id=location_id, day=day, status=Visit.Status.WAITING)
        .select_related("service", "booking")
        .order_by("arrived_at", "pk")
    )
    return [
        Waiting(
            visit=visit.pk,
            service=visit.service_id,
            arrived_at=visit.arrived_at,
            minutes=visit.service.duration_minutes,
            # A booking checked in on time keeps its time; a citizen who came
            # too late queues like anyone without a booking.
            due_at=(
                visit.booking.start
                if visit.booking and visit.booking.status == visit.booking.Status.CHECKED_IN
                else None
            ),
            transferred=visit.transferred_from_id is not None,
        )
        for visit in visits
    ]


def current_visit(*, desk: Desk) -> Visit | None:
    """The citizen called to `desk` or at it now, if any."""
    return (
        Visit.objects.filter(desk=desk, status__in=[Visit.Status.CALLED, Visit.Status.IN_SERVICE])
        .select_related("service", "booking")
        .first()
    )


def call_next(*, desk: Desk, staff: User) -> Visit | None:
    """Call the next citizen to `desk`, or None when nobody it handles waits.
    A desk that already has a citizen called or at the desk gets that visit
    back: a second press of the button calls nobody new."""
    for _attempt in range(ATTEMPTS):
        with transaction.atomic(durable=True):
            current = current_visit(desk=desk)
            if current is not None:
                return current
            if is_paused(desk=desk):
                raise QueueRefused(_("The desk is paused. Open it to call the next citizen."))
            now = clock.now()
            chosen = next_visit(
                handles=desk_services(desk=desk, moment=now),
                now=now,
                waiting=waiting_visits(location_id=desk.location_id, day=clock.today()),
            )
            if chosen is None:
                return None
            won = Visit.objects.filter(pk=chosen.visit, status=Visit.Status.WAITING).update(
                status=Visit.Status.CALLED, called_at=now, desk=desk, staff=staff
            )
            if won:
                touch_board(location_id=desk.location_id)
                return Visit.objects.get(pk=chosen.visit)
        # Another desk called this citizen between our read and our update.
    return None
