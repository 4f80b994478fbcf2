"""What the access log notes of the desk page (access_log/recording.py)."""

from skranke.access_log.recording import Action, build_records, save_records
from skranke.booking.models import Booking
from skranke.core.models import Desk
from skranke.queueing.models import Visit


def record_desk_view(
    *, actor: object, desk: Desk, appointments: list[Booking], current: Visit | None
) -> int:
    """The desk page: the citizen at the desk (`current`, when the page
    shows one), and the day's appointments with their names, noted once a
    day per staff member and booking (the list refreshes itself every few
    seconds)."""
    records = build_records(actor=actor, action=Action.VIEWED_DAY_LIST, booking=appointments)
    if current is not None and current.booking_id is not None:
        records += build_records(
            actor=actor, action=Action.VIEWED_DESK_CITIZEN, visit=current, location=desk.location
        )
    for record in records:
        record.location = desk.location
    return save_records(records=records, once_a_day=True)
