"""What the outbox holds about citizens, declared to privacy
(core/personal_data_registry.py), which discovers this module.

A message keeps its recipient (a number or an address), its subject and
text (which hold the booking's link), the centre's reason for a
cancellation, and the provider's id and last error; after the message
period they go, and that a message was sent stays. A message still on its
way keeps its recipient until it has gone. A request for access finds the
messages sent to the citizen's number or address, or about their
bookings. Bookings and visits are named by their paths only: the outbox
stands below the apps that hold them.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from skranke.core.personal_data_registry import (
    CitizenSearch,
    Erasing,
    PersonalData,
    Retention,
    Shown,
    any_filled,
    exported_moment,
    register_personal_data,
)
from skranke.notifications.models import Message

ON_ITS_WAY = (Message.Status.HELD, *Message.OPEN)


def find_messages(search: CitizenSearch) -> list[Message]:
    """The messages to the citizen's number or address, or about their
    bookings, newest first."""
    by_recipient = Q(pk__in=[])
    if search.phone:
        by_recipient |= Q(recipient=search.phone)
    if search.email:
        by_recipient |= Q(recipient__iexact=search.email)
    in_municipality = search.in_municipality(
        "booking__location__municipality"
    ) | search.in_municipality("visit__location__municipality")
    return list(
        Message.objects.filter(by_recipient | Q(booking_id__in=search.booking_ids))
        .filter(in_municipality)
        .select_related("booking")
        .order_by("-due_at", "-pk")
    )


def message_as_json(message: Message) -> dict[str, object]:
    return {
        "booking_code": message.booking.code if message.booking else "",
        "kind": message.kind,
        "channel": message.channel,
        "recipient": message.recipient,
        "status": message.status,
        "due_at": exported_moment(message.due_at),
        "sent_at": exported_moment(message.sent_at),
        "subject": message.subject,
        "text": message.body,
    }


def _messages_to_erase(erasing: Erasing) -> list[int]:
    return [
        message.pk
        for message in erasing.rows
        if erasing.may_go(message.booking_id) and message.status not in ON_ITS_WAY
    ]


register_personal_data(
    # Counted from sending; a message never sent (skipped, failed) from
    # when it was due.
    PersonalData(
        kind="messages",
        label=_("text messages and e-mails"),
        model=Message,
        order=60,
        erased={
            "recipient": "",
            "subject": "",
            "body": "",
            "reason": "",
            "provider_id": "",
            "last_error": "",
        },
        retention=Retention(
            setting="message_days",
            moment="due_at",
            also_before=("sent_at",),
            municipality=(
                "booking__location__municipality_id",
                "visit__location__municipality_id",
                "staff_member__municipality_id",  # a password-reset mail
                "municipality_id",  # an answer to a citizen's e-mail
            ),
            still_there=any_filled(
                "recipient", "subject", "body", "reason", "provider_id", "last_error"
            ),
            also=~Q(status__in=ON_ITS_WAY),
        ),
        shown=Shown(
            key="messages",
            template="notifications/citizen_data.html",
            find=find_messages,
            as_json=message_as_json,
        ),
        on_request=_messages_to_erase,
    ),
)
