"""Stopping tickets without a booking for a queue for the rest of the
day, and starting them again: a manager's call from the overview of the
day. The kiosk then refuses such tickets with a clear word, the
overview promises no wait for them, and booked citizens are checked in
as before."""

from datetime import date

from django.db import IntegrityError, transaction

from skranke.accounts.models import User
from skranke.core import clock
from skranke.core.models import Location
from skranke.queueing.board import touch_board
from skranke.queueing.models import WalkInStop


def stop_walk_ins(*, location: Location, letter: str, staff: User) -> bool:
    """No more walk-in tickets for queue `letter` at `location` today;
    whether this stopped it (False: it was stopped already). Joins the
    caller's transaction, so the overview writes its record of the action
    with it (overview/actions.py)."""
    try:
        # A savepoint: a second stop at once meets the unique day, and
        # only this insert is undone.
        with transaction.atomic():
            WalkInStop.objects.create(
                location=location,
                day=clock.today(),
                ticket_letter=letter,
                stopped_by=staff,
                stopped_at=clock.now(),
            )
            touch_board(location_id=location.pk)
    except IntegrityError:
        return False
    return True


def resume_walk_ins(*, location: Location, letter: str) -> bool:
    """Tickets for queue `letter` again today; whether it had been stopped."""
    with transaction.atomic():
        deleted, _ = WalkInStop.objects.filter(
            location=location, day=clock.today(), ticket_letter=letter
        ).delete()
        if deleted:
            touch_board(location_id=location.pk)
    return bool(deleted)


def stopped_letters(*, location_id: int, day: date) -> set[str]:
    return set(
        WalkInStop.objects.filter(location_id=location_id, day=day).values_list(
            "ticket_letter", flat=True
        )
    )
