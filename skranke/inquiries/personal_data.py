"""What the written inquiries hold about citizens, declared to privacy
(core/personal_data_registry.py), which discovers this module. One
declaration per model, each with what it holds and why it is kept so long.
"""

from django.db.models import Q
from django.utils.functional import Promise
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
from skranke.inquiries.models import Inquiry, ReceivedText

# A text message a citizen sent in answer to Skranke's (text_replies.py):
# their number and their words, which may hold anything, a CPR number too.
# Kept as long as the outbox keeps the messages it answers (message_days),
# counted from when it came; then the number and the text go, and the row
# stays, so that the provider's webhook sent again still finds it. A text
# from a number Skranke has not written to is kept without either.
register_personal_data(
    PersonalData(
        kind="received_texts",
        label=_("text messages from citizens"),
        model=ReceivedText,
        order=65,
        erased={"sender": "", "text": ""},
        retention=Retention(
            setting="message_days",
            moment="received_at",
            municipality=("booking__location__municipality_id",),
            still_there=any_filled("sender", "text"),
        ),
    ),
)

# What a citizen wrote to the shared mailbox or in a text message, with the
# answers and files: the whole inquiry goes once closed for the period (its
# line in the contact log stays, without it). One that holds a CPR number
# goes after its own, usually shorter, period. An open one is kept: it
# waits for an answer.
CLOSED = ~Q(status=Inquiry.Status.OPEN) & Q(closed_at__isnull=False)


def find_inquiries(search: CitizenSearch) -> list[Inquiry]:
    """What the citizen wrote from their address or number, or about their
    bookings (a text message's), newest first, with the thread."""
    senders = [sender for sender in (search.email, search.phone) if sender]
    found = Q(sender__in=senders) | Q(booking_id__in=search.booking_ids)
    if search.email:
        found |= Q(sender__iexact=search.email)
    return list(
        Inquiry.objects.filter(found)
        .filter(search.in_municipality("municipality"))
        .prefetch_related("messages__attachments")
        .order_by("-received_at", "-pk")
    )


def inquiry_as_json(inquiry: Inquiry) -> dict[str, object]:
    return {
        "channel": inquiry.channel,
        "from": inquiry.sender,
        "name": inquiry.sender_name,
        "subject": inquiry.subject,
        "received_at": exported_moment(inquiry.received_at),
        "status": inquiry.status,
        "messages": [
            {
                "direction": message.direction,
                "at": exported_moment(message.at),
                "text": message.text,
                "files": [file.filename for file in message.attachments.all()],
            }
            for message in inquiry.messages.all()
        ],
    }


def _inquiries_to_erase(erasing: Erasing) -> list[int]:
    """All the citizen's inquiries, open ones too: whoever asks to be
    erased does not wait for an answer."""
    return [inquiry.pk for inquiry in erasing.rows if erasing.may_go(inquiry.booking_id)]


def _closed_inquiries(
    *,
    kind: str,
    label: str | Promise,
    order: int,
    setting: str,
    with_cpr_number: bool,
    shown: Shown | None = None,
) -> PersonalData:
    return PersonalData(
        kind=kind,
        label=label,
        model=Inquiry,
        order=order,
        erased=None,
        shown=shown,
        on_request=_inquiries_to_erase if shown else None,
        retention=Retention(
            setting=setting,
            moment="closed_at",
            municipality=("municipality_id",),
            also=CLOSED & Q(has_cpr_number=with_cpr_number),
        ),
    )


register_personal_data(
    _closed_inquiries(
        kind="inquiries",
        label=_("e-mails and text messages from citizens"),
        order=66,
        setting="inquiry_days",
        with_cpr_number=False,
        # The request for access shows every inquiry once, here.
        shown=Shown(
            key="inquiries",
            template="inquiries/citizen_data.html",
            find=find_inquiries,
            as_json=inquiry_as_json,
            records_about=lambda rows, _search: Q(inquiry_id__in=[row.pk for row in rows]),
        ),
    ),
    _closed_inquiries(
        kind="inquiries_with_cpr_numbers",
        label=_("e-mails and text messages from citizens holding a CPR number"),
        order=67,
        setting="inquiry_cpr_days",
        with_cpr_number=True,
    ),
)
