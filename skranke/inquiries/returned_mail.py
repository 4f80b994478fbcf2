"""An answer or a forward that never reached its recipient: the outbox gave
up on it (the server refused it, or every attempt failed), or a delivery
report came back into the shared mailbox naming it.

The inquiry's page says so either way. A forward that did not reach the
department is counted as for calls, as a forward that failed (the
contact's outcome becomes "failed_transfer"), and its inquiry is open on
the worklist again, from when the citizen first wrote: the department
never had it, so nobody is answering the citizen."""

from datetime import datetime

from django.db import transaction

from skranke.contact_centre.models import Contact
from skranke.core import clock
from skranke.inquiries.models import Inquiry, InquiryMessage
from skranke.notifications.models import Message

BATCH = 100
# The outbox's own words when a message dies without an error of its own.
GAVE_UP = "not delivered"


def return_mail(*, sent: InquiryMessage, reason: str, at: datetime) -> bool:
    """Note that `sent` (an answer or a forward) came back undelivered, and
    for a forward, open its inquiry again and count the forward as failed.
    False if it was noted before (a report read twice, or after the
    outbox's failure)."""
    with transaction.atomic():
        noted = InquiryMessage.objects.filter(pk=sent.pk, returned_at__isnull=True).update(
            returned_at=at, returned_reason=reason[:300]
        )
        if not noted or sent.direction != InquiryMessage.Direction.FORWARDED:
            return bool(noted)
        inquiry = Inquiry.objects.get(pk=sent.inquiry_id)
        if inquiry.contact_id is not None:
            Contact.objects.filter(
                pk=inquiry.contact_id, outcome=Contact.Outcome.TRANSFERRED
            ).update(outcome=Contact.Outcome.FAILED_TRANSFER)
        # Still as the forward left it: not answered or reopened since.
        Inquiry.objects.filter(pk=inquiry.pk, status=Inquiry.Status.FORWARDED).update(
            status=Inquiry.Status.OPEN, closed_at=None, claimed_by=None, claimed_at=None
        )
    return True


def return_reported_mail(*, inquiry: Inquiry, message_id: str, reason: str, at: datetime) -> bool:
    """A delivery report read into `inquiry` names `message_id` as not
    delivered: the answer or forward it was, noted as come back."""
    sent = (
        InquiryMessage.objects.filter(inquiry=inquiry, message_id=message_id)
        .exclude(direction=InquiryMessage.Direction.IN)
        .first()
    )
    return sent is not None and return_mail(sent=sent, reason=reason, at=at)


def notice_undelivered_mail() -> int:
    """The worker's job: answers and forwards the outbox gave up on, noted
    as come back; how many. Looked for from the outbox's dead messages,
    which are few (an index holds them), not from every mail ever sent."""
    dead = Message.objects.filter(
        status=Message.Status.DEAD,
        kind__in=[Message.Kind.INQUIRY_ANSWER, Message.Kind.INQUIRY_FORWARD],
    )
    undelivered = (
        InquiryMessage.objects.filter(returned_at__isnull=True, outbox_message__in=dead)
        .exclude(direction=InquiryMessage.Direction.IN)
        .select_related("outbox_message")
        .order_by("pk")[:BATCH]
    )
    now = clock.now()
    noted = 0
    for sent in undelivered:
        error = sent.outbox_message.last_error if sent.outbox_message else ""
        noted += return_mail(sent=sent, reason=error or GAVE_UP, at=now)
    return noted
