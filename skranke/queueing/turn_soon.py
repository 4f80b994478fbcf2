"""The "your turn is soon" text message, for a citizen who would rather not
sit in the waiting room: after taking a ticket at the kiosk they may give a
mobile number. The message is written at once, in the ticket's transaction
of its own, and held; the worker lets it go when the queue's forecast says
the turn is TURN_SOON_MINUTES away, and drops it when the citizen is called
first. It carries the ticket number and the place, nothing personal."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from skranke.core import clock
from skranke.core.models import Location
from skranke.core.phone_numbers import normalize_phone
from skranke.notifications.models import Message
from skranke.queueing.errors import QueueRefused
from skranke.queueing.forecast import waits_for_visits
from skranke.queueing.models import Visit

# Time enough to come back from a walk or the café across the square.
TURN_SOON_MINUTES = 10


def ask_for_turn_soon_message(*, visit: Visit, phone: str, language: str) -> Message:
    """Hold a "your turn is soon" message to `phone` (any form a citizen
    types; InvalidInput when it is no mobile number) for a waiting visit.
    Asking again changes the number of the message not yet sent."""
    recipient = normalize_phone(phone)
    if visit.status != Visit.Status.WAITING:
        raise QueueRefused(_("You have already been called: see the screen."), field="phone")
    now = clock.now()
    held = Message.objects.filter(visit=visit, kind=Message.Kind.TURN_SOON)
    try:
        with transaction.atomic():
            message, created = held.get_or_create(
                visit=visit,
                kind=Message.Kind.TURN_SOON,
                defaults={
                    "channel": Message.Channel.SMS,
                    "recipient": recipient,
                    "language": language,
                    "status": Message.Status.HELD,
                    "due_at": now,
                    "next_attempt_at": now,
                },
            )
    except IntegrityError:  # the same ticket asked twice at once
        message, created = held.get(), False
    if not created and message.status == Message.Status.HELD:
        held.filter(status=Message.Status.HELD).update(recipient=recipient, language=language)
        message.recipient, message.language = recipient, language
    return message


def release_turn_soon_messages() -> int:
    """The worker's job: send the held messages whose turn is near, drop
    those whose citizen has been called (or whose visit ended) meanwhile.
    How many it changed."""
    held = list(
        Message.objects.filter(status=Message.Status.HELD).values_list(
            "pk", "visit_id", "visit__location_id", "visit__status"
        )
    )
    if not held:  # the usual round: one query, no write
        return 0
    gone = [pk for pk, _visit, _location, status in held if status != Visit.Status.WAITING]
    by_location: dict[int, dict[int, int]] = {}
    for pk, visit_id, location_id, status in held:
        if status == Visit.Status.WAITING:
            by_location.setdefault(location_id, {})[visit_id] = pk
    locations = Location.objects.select_related("municipality").in_bulk(list(by_location))
    due: list[int] = []
    for location_id, messages in by_location.items():
        waits = waits_for_visits(location=locations[location_id], visit_ids=list(messages))
        due += [
            messages[visit_id]
            for visit_id, wait in waits.items()
            if wait is not None and wait <= TURN_SOON_MINUTES
        ]
    now = clock.now()
    with transaction.atomic():
        skipped = Message.objects.filter(pk__in=gone, status=Message.Status.HELD).update(
            status=Message.Status.SKIPPED
        )
        released = Message.objects.filter(pk__in=due, status=Message.Status.HELD).update(
            status=Message.Status.PENDING, due_at=now, next_attempt_at=now
        )
    return skipped + released
