"""Arriving at the centre: a ticket for an errand without a booking (and,
with the kiosk, for a booked citizen checking in)."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from skranke.core import clock
from skranke.core.models import Location, Service
from skranke.queueing.errors import QueueRefused
from skranke.queueing.models import Visit
from skranke.queueing.tickets import take_ticket_number


def issue_walk_in_ticket(*, location: Location, service: Service) -> Visit:
    """A ticket for a citizen without a booking, for an errand that may be
    done without one at this location."""
    offered_here = service.active and service.locations.filter(pk=location.pk).exists()
    if not offered_here:
        raise QueueRefused(_("This errand is not handled here."), field="service")
    if service.booking_required and not service.walk_in_allowed:
        raise QueueRefused(_("This errand needs a booked time."), field="service")
    now = clock.now()
    day = clock.today()
    with transaction.atomic(durable=True):
        number = take_ticket_number(location=location, day=day, letter=service.ticket_letter)
        return Visit.objects.create(
            location=location,
            service=service,
            day=day,
            ticket_letter=service.ticket_letter,
            ticket_number=number,
            arrived_at=now,
        )
