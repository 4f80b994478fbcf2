"""Hand-made visits for the statistics' tests: every moment given, nothing
left to the queue's own logic."""

import itertools
from datetime import UTC, datetime, timedelta

from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.models import Location, Service
from skranke.queueing.models import Visit

_tickets = itertools.count(1)


def make_visit(
    *,
    location: Location,
    service: Service,
    arrived: datetime,
    waited: float = 5,
    served: float | None = 10,
    outcome: str = Visit.Outcome.SERVED,
    **fields: object,
) -> Visit:
    """A visit that arrived at `arrived`, was called `waited` minutes later
    and started at the call, and ended `served` minutes after that (None:
    never ended). Arithmetic in UTC: on a day the clocks change, wall-clock
    arithmetic would add or lose an hour."""
    arrived = arrived.astimezone(UTC)
    called = arrived + timedelta(minutes=waited)
    ended = None if served is None else called + timedelta(minutes=served)
    values: dict[str, object] = {
        "location": location,
        "service": service,
        "day": arrived.astimezone(clock.LOCAL_ZONE).date(),
        "ticket_letter": service.ticket_letter,
        "ticket_number": next(_tickets),
        "status": Visit.Status.ENDED if ended else Visit.Status.IN_SERVICE,
        "outcome": outcome if ended else "",
        "arrived_at": arrived,
        "called_at": called,
        "started_at": called,
        "ended_at": ended,
    }
    values.update(fields)
    return Visit.objects.create(**values)


def make_booking(
    *, location: Location, service: Service, start: datetime, **fields: object
) -> Booking:
    values: dict[str, object] = {
        "code": f"T{next(_tickets):07d}",
        "token": "t",
        "location": location,
        "service": service,
        "start": start,
        "end": start + timedelta(minutes=service.duration_minutes),
        "status": Booking.Status.SERVED,
        "name": "",
        "phone": "",
        "language": "da",
        "channel": Booking.Channel.WEB,
        "created_at": start - timedelta(days=3),
    }
    values.update(fields)
    return Booking.objects.create(**values)
