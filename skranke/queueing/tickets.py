"""Ticket numbers: per location, day and letter, from 1, without gaps."""

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F

from skranke.core.models import Location
from skranke.queueing.models import TicketCounter


def take_ticket_number(*, location: Location, day: date, letter: str) -> int:
    """The next number for `letter` at `location` on `day`. The caller holds
    the transaction that creates the visit: the counter's row stays locked
    until it ends, and a visit that is not made gives its number back."""
    key = {"location": location, "day": day, "letter": letter}
    if not TicketCounter.objects.filter(**key).update(last=F("last") + 1):
        try:
            with transaction.atomic():  # the day's first ticket with this letter
                TicketCounter.objects.create(**key, last=1)
            return 1
        except IntegrityError:
            # Another check-in made the row first; it is committed now.
            TicketCounter.objects.filter(**key).update(last=F("last") + 1)
    return TicketCounter.objects.get(**key).last
