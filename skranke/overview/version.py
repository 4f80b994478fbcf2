"""When the overview has changed: a fingerprint of what its figures rest
on, read in a few small queries, so that a screen polling every two
seconds is answered "nothing new" without the figures being worked out,
and the figures are worked out once per change for every screen that
watches the same places.

What it rests on: each place's queue (its board's version, which every
check-in, call and finish moves), the desks opened and paused, the
telephone meetings' calls, today's bookings by status (a no-show), the
failed messages, the system's alerts (the worker silent, text messages
held, an attack, a shared mailbox that cannot be read), and the minute:
waits grow and a booked citizen becomes late with the clock alone.
"""

import hashlib

from django.db.models import Count, Max

from skranke.booking.models import Booking
from skranke.challenge.alerts import current_attack
from skranke.core import clock
from skranke.core.models import Location
from skranke.inquiries.mailbox_reading import failing_mailboxes
from skranke.overview.now import count_failed_messages
from skranke.phone_meetings.models import MeetingCall
from skranke.queueing.board import board_version
from skranke.queueing.models import DeskState
from skranke.rate_limits.text_messages import texts_held
from skranke.worker.heartbeat import is_silent, last_heartbeat


def overview_version(*, locations: list[Location], with_system: bool, language: str) -> str:
    today = clock.today()
    now = clock.now()
    # Today's meetings only: the overview shows no other day's, and the
    # aggregate then reads a day's rows, not every call ever made.
    meeting_calls = MeetingCall.objects.filter(
        booking__in=Booking.objects.filter(Booking.starting_on(today), location__in=locations)
    ).aggregate(claimed=Max("claimed_at"), started=Max("started_at"), finished=Max("finished_at"))
    bookings = tuple(
        Booking.objects.filter(Booking.starting_on(today), location__in=locations)
        .values_list("status")
        .annotate(count=Count("pk"))
        .order_by("status")
    )
    fingerprint = (
        language,
        with_system,
        now.astimezone(clock.LOCAL_ZONE).strftime("%Y%m%d%H%M"),
        tuple((location.pk, board_version(location_id=location.pk)) for location in locations),
        tuple(
            DeskState.objects.filter(desk__location__in=locations)
            .order_by("desk_id")
            .values_list("desk_id", "paused", "changed_at", "staff_id")
        ),
        tuple(sorted(meeting_calls.items())),
        bookings,
        count_failed_messages(locations=locations),
        _system_fingerprint(locations=locations) if with_system else None,
    )
    return hashlib.sha256(repr(fingerprint).encode()).hexdigest()[:16]


def _system_fingerprint(*, locations: list[Location]) -> tuple[object, ...]:
    attack = current_attack()
    mailboxes = failing_mailboxes(municipality_ids={place.municipality_id for place in locations})
    return (
        is_silent(last=last_heartbeat()),
        texts_held(),
        None if attack is None else (attack.pk, attack.started_at),
        tuple((mailbox.pk, mailbox.status, mailbox.last_error) for mailbox in mailboxes),
    )
