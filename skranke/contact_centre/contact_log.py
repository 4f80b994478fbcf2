"""Logging the contact centre's contacts: what it was about, on which
channel, and how it ended. One row per contact, written in one statement,
so an agent can log the next call at once."""

from datetime import datetime, time

from django.core.exceptions import ValidationError
from django.db.models import F, QuerySet
from django.utils.translation import gettext as _

from skranke.accounts.models import User
from skranke.booking.models import Booking
from skranke.contact_centre.errors import InvalidContact
from skranke.contact_centre.models import Contact, Topic
from skranke.core import clock
from skranke.core.errors import InvalidInput
from skranke.core.free_text import clean_text, validate_free_text

NOTE_MAX = 500
CODE_MAX = 8


def topics_for(*, agent: User) -> QuerySet[Topic]:
    """The topics an agent chooses among, group by group (the page lists
    them under their group's heading), in the municipality's order."""
    return (
        Topic.objects.filter(municipality_id=agent.municipality_id or 0, active=True)
        .select_related("group")
        .order_by(
            F("group__position").asc(nulls_last=True),
            "group__name_da",
            "position",
            "name_da",
        )
    )


def log_contact(
    *,
    agent: User,
    channel: str,
    topic_id: int | None,
    outcome: str,
    booking_code: str = "",
    note: str = "",
    kind: str = "",
) -> Contact:
    """Record one contact by `agent`. Nothing about the citizen is needed;
    a booking made for them during the contact may be named by its code."""
    if channel not in Contact.Channel.values:
        raise InvalidContact(_("Choose the channel."), field="channel")
    topic = topics_for(agent=agent).filter(pk=topic_id or 0).first()
    if topic is None:
        raise InvalidContact(_("Choose the topic."), field="topic")
    if outcome not in Contact.Outcome.values:
        raise InvalidContact(_("Choose how the contact ended."), field="outcome")
    if kind and kind not in Contact.Kind.values:
        raise InvalidContact(_("Choose information or transaction, or neither."), field="kind")
    booking = None
    code = booking_code.strip().upper()
    if code:
        booking = Booking.objects.filter(
            code=code[:CODE_MAX], location__municipality_id=agent.municipality_id or 0
        ).first()
        if booking is None:
            raise InvalidContact(_("There is no booking with this code."), field="booking")
    try:  # the same rules as a booking's note
        note = clean_text(note, field="note", limit=NOTE_MAX, required=False)
    except InvalidInput as refused:
        raise InvalidContact(refused.message, field="note") from refused
    try:
        validate_free_text(note)
    except ValidationError as refused:
        raise InvalidContact(refused.messages[0], field="note") from refused
    return Contact.objects.create(
        municipality_id=topic.municipality_id,
        channel=channel,
        topic=topic,
        outcome=outcome,
        agent=agent,
        booking=booking,
        note=note,
        kind=kind,
        at=clock.now(),
    )


def contacts_logged_today(*, agent: User) -> QuerySet[Contact]:
    """The agent's own contacts today, newest first."""
    midnight = datetime.combine(clock.today(), time(0), tzinfo=clock.LOCAL_ZONE)
    return Contact.objects.filter(agent=agent, at__gte=midnight).select_related("topic")
