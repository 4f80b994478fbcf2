"""Inviting citizens to the satisfaction survey: about two hours after a
visit ended or a telephone meeting got through, one text message and/or
e-mail (as the citizen allowed) with a link that works for seven days.
Nobody is asked twice in 30 days, by phone number or by e-mail address.

A worker job (invite_to_surveys) finds the due ones every round; the
invitation row is written even when no message goes (no channel, or asked
recently), so each booking is looked at once.
"""

import secrets
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.crypto import salted_hmac

from skranke.booking.messages import queue_booking_messages
from skranke.booking.models import Booking
from skranke.core import clock
from skranke.notifications.models import Message
from skranke.phone_meetings.models import MeetingCall
from skranke.queueing.models import Visit
from skranke.surveys.models import Invitation

AFTER = timedelta(hours=2)
# A visit the worker first sees later than this (it was stopped) is not
# asked about any more: the memory of it has faded.
AT_MOST_AFTER = timedelta(hours=24)
VALID_FOR = timedelta(days=7)
ONCE_IN = timedelta(days=30)
FINISHED = (Visit.Outcome.SERVED, Visit.Outcome.ASSISTED_SELF_SERVICE)


def recipient_key(value: str) -> str:
    """A keyed hash of a phone number or e-mail address: equal for equal
    addresses, and no way back to the address without the site's key."""
    return salted_hmac("skranke.surveys.recipient", value.strip().lower()).hexdigest()


def invite_to_surveys() -> int:
    """Invite the citizens whose visit or telephone meeting ended two hours
    ago. Returns how many bookings were looked at."""
    now = clock.now()
    since, until = now - AFTER - AT_MOST_AFTER, now - AFTER
    waiting = Q(booking__survey_consent=True, booking__survey__isnull=True)
    due = set(
        Visit.objects.filter(
            waiting,
            ended_at__gte=since,
            ended_at__lt=until,
            outcome__in=FINISHED,
            not_ended_by_staff=False,
        ).values_list("booking_id", flat=True)
    )
    due |= set(
        MeetingCall.objects.filter(
            waiting,
            outcome=MeetingCall.Outcome.REACHED,
            finished_at__gte=since,
            finished_at__lt=until,
        ).values_list("booking_id", flat=True)
    )
    bookings = Booking.objects.filter(pk__in=due).select_related("service", "location")
    for booking in bookings:
        invite(booking=booking, now=now)
    return len(due)


def invite(*, booking: Booking, now: datetime) -> Invitation | None:
    """Write the booking's invitation and queue its messages, unless the
    citizen was asked within 30 days. Returns the invitation (None when
    another worker wrote it first)."""
    keys = [recipient_key(value) for value in (booking.phone, booking.email) if value]
    asked_lately = (
        Invitation.objects.filter(Q(recipient_key__in=keys) | Q(email_key__in=keys))
        .filter(created_at__gte=now - ONCE_IN, sent=True)
        .exists()
    )
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                booking=booking,
                token=secrets.token_urlsafe(24),
                recipient_key=recipient_key(booking.phone) if booking.phone else "",
                email_key=recipient_key(booking.email) if booking.email else "",
                created_at=now,
                expires_at=now + VALID_FOR,
                sent=False,
            )
            if not asked_lately:
                sent = queue_booking_messages(booking=booking, kind=Message.Kind.SURVEY)
                if sent:
                    Invitation.objects.filter(pk=invitation.pk).update(sent=True)
                    invitation.sent = True
    except IntegrityError:  # another worker invited this booking
        return None
    return invitation
