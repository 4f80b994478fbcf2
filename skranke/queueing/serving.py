"""What a desk does with the citizen it has called: call them again, start,
finish with an outcome (a transfer queues them for another errand with the
same ticket), or note that they did not come. Each action is a conditional
update from the state it expects, so a second click changes nothing and
says so (NotChanged)."""

from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from skranke.accounts.models import User
from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.models import Desk, Service
from skranke.queueing.board import touch_board
from skranke.queueing.errors import NotChanged, QueueRefused
from skranke.queueing.models import DeskState, Visit

AT_DESK = (Visit.Status.CALLED, Visit.Status.IN_SERVICE)


def _visit_at_desk(*, visit_id: int, desk: Desk) -> Visit:
    visit = Visit.objects.select_related("service", "booking").filter(pk=visit_id).first()
    if visit is None or visit.location_id != desk.location_id:
        raise QueueRefused(_("This citizen is not in the queue here."))
    if visit.status == Visit.Status.ENDED:
        raise NotChanged(_("Ticket %(ticket)s has already ended.") % {"ticket": visit.ticket})
    if visit.desk_id != desk.pk or visit.status not in AT_DESK:
        raise QueueRefused(
            _("Ticket %(ticket)s is not called to this desk.") % {"ticket": visit.ticket}
        )
    return visit


def recall_visit(*, visit_id: int, desk: Desk) -> Visit:
    """Call the citizen again: the display shows the call as new."""
    visit = _visit_at_desk(visit_id=visit_id, desk=desk)
    with transaction.atomic(durable=True):
        Visit.objects.filter(pk=visit.pk, status=Visit.Status.CALLED).update(called_at=clock.now())
        touch_board(location_id=desk.location_id)
    return Visit.objects.get(pk=visit.pk)


def start_visit(*, visit_id: int, desk: Desk) -> Visit:
    """The citizen has come to the desk."""
    visit = _visit_at_desk(visit_id=visit_id, desk=desk)
    with transaction.atomic(durable=True):
        started = Visit.objects.filter(pk=visit.pk, status=Visit.Status.CALLED).update(
            status=Visit.Status.IN_SERVICE, started_at=clock.now()
        )
        if not started:
            raise NotChanged(
                _("Ticket %(ticket)s is already at the desk.") % {"ticket": visit.ticket}
            )
        touch_board(location_id=desk.location_id)
    return Visit.objects.get(pk=visit.pk)


BOOKING_STATUS_AFTER: dict[str, str] = {
    Visit.Outcome.SERVED: Booking.Status.SERVED,
    Visit.Outcome.ASSISTED_SELF_SERVICE: Booking.Status.SERVED,
    Visit.Outcome.NO_SHOW: Booking.Status.NO_SHOW,
    # Transferred: none yet.
}


def finish_visit(
    *,
    visit_id: int,
    desk: Desk,
    outcome: str,
    transfer_to: Service | None = None,
    times_wrong: bool = False,
) -> Visit:
    """End the visit with `outcome`. Transferred: the citizen queues for
    `transfer_to` with the same ticket, ahead of others (the new visit is
    returned). Did not come: only before the visit has started.
    `times_wrong`: the desk says it started or ended the visit late, so the
    statistics leave its times out."""
    if outcome not in Visit.Outcome.values:
        raise QueueRefused(_("Choose how the visit ended."), field="outcome")
    visit = _visit_at_desk(visit_id=visit_id, desk=desk)
    if outcome == Visit.Outcome.NO_SHOW and visit.status != Visit.Status.CALLED:
        raise QueueRefused(_("The citizen is at the desk: choose another outcome."))
    if outcome == Visit.Outcome.TRANSFERRED:
        _check_transfer(visit=visit, service=transfer_to)
    now = clock.now()
    with transaction.atomic(durable=True):
        ended = Visit.objects.filter(pk=visit.pk, status__in=AT_DESK, desk=desk).update(
            status=Visit.Status.ENDED,
            outcome=outcome,
            ended_at=now,
            times_wrong=times_wrong,
            # Finished without pressing "start": served from the call on.
            started_at=Coalesce(F("started_at"), F("called_at")),
        )
        if not ended:
            raise NotChanged(_("Ticket %(ticket)s has already ended.") % {"ticket": visit.ticket})
        # The booking follows the outcome of its last visit: a transferred
        # citizen is still checked in, and the visit they are transferred
        # to decides whether the booking was served or missed.
        booking_status = BOOKING_STATUS_AFTER.get(outcome)
        if visit.booking_id is not None and booking_status is not None:
            Booking.objects.filter(pk=visit.booking_id, status=Booking.Status.CHECKED_IN).update(
                status=booking_status
            )
        touch_board(location_id=desk.location_id)
        if outcome == Visit.Outcome.TRANSFERRED and transfer_to is not None:
            return Visit.objects.create(
                location_id=visit.location_id,
                service=transfer_to,
                booking_id=visit.booking_id,
                day=visit.day,
                ticket_letter=visit.ticket_letter,
                ticket_number=visit.ticket_number,
                arrived_at=now,
                transferred_from=visit,
            )
    return Visit.objects.get(pk=visit.pk)


def mark_times_wrong(*, visit_ids: list[int], wrong: bool = True) -> int:
    """A manager's correction afterwards: the visits' times are (or are not)
    to be trusted. Only ended visits; returns how many were changed."""
    return Visit.objects.filter(pk__in=visit_ids, status=Visit.Status.ENDED).update(
        times_wrong=wrong
    )


def _check_transfer(*, visit: Visit, service: Service | None) -> None:
    if service is None:
        raise QueueRefused(_("Choose the errand to transfer the citizen to."), field="service")
    handled_here = (
        service.active
        and service.kind == Service.Kind.IN_PERSON
        and service.locations.filter(pk=visit.location_id).exists()
    )
    if not handled_here:
        raise QueueRefused(_("This errand is not handled here."), field="service")
    if service.pk == visit.service_id:
        raise QueueRefused(_("Choose another errand than the current one."), field="service")


def open_desk(*, desk: Desk, staff: User) -> None:
    """`staff` works at `desk` from now on, not paused."""
    DeskState.objects.update_or_create(
        desk=desk, defaults={"staff": staff, "paused": False, "changed_at": clock.now()}
    )


def pause_desk(*, desk: Desk, staff: User | None, paused: bool) -> None:
    """Pause the desk (it calls no one and counts in no expected wait), or
    open it again. `staff` works at it from now on; None (a manager acting
    from the overview of the day) keeps whoever works there."""
    changes: dict[str, object] = {"paused": paused, "changed_at": clock.now()}
    if staff is not None:
        changes["staff"] = staff
    # Not durable: the overview writes its record of a manager's pause in
    # the same transaction (overview/actions.py).
    with transaction.atomic():
        DeskState.objects.update_or_create(desk=desk, defaults=changes)
        touch_board(location_id=desk.location_id)


def is_paused(*, desk: Desk) -> bool:
    return DeskState.objects.filter(desk=desk, paused=True).exists()


def is_overrun(*, visit: Visit, now: datetime) -> bool:
    """Whether the visit has run twice its expected minutes: the desk shows a
    warning, so a visit left open is noticed the same day."""
    began = visit.started_at or visit.called_at
    if began is None or visit.status == Visit.Status.ENDED:
        return False
    return (now - began).total_seconds() >= 2 * 60 * visit.service.duration_minutes
