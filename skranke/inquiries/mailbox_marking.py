"""Once an answer has gone, the citizen's mail is marked answered in the
shared mailbox as well (IMAP's \\Answered flag), so that colleagues who
also read the mailbox in their mail program see it is done. A worker job:
a mailbox that cannot be reached now is marked at a later round; a mail
gone from the mailbox (moved, deleted) is not looked for again."""

from django.db.models import Exists, OuterRef

from skranke.core import clock
from skranke.inquiries.imap_client import open_mailbox
from skranke.inquiries.mailbox_reading import MAILBOX_FAILURES, mailbox_access
from skranke.inquiries.models import InquiryMessage, Mailbox
from skranke.notifications.models import Message

BATCH = 100
SENT = [Message.Status.SENT, Message.Status.DELIVERED]


def mark_answered_mails(*, batch: int = BATCH) -> int:
    """Mark the mails answered since the last round; how many were marked."""
    answered = InquiryMessage.objects.filter(
        inquiry=OuterRef("inquiry"),
        direction=InquiryMessage.Direction.OUT,
        at__gte=OuterRef("at"),
        outbox_message__status__in=SENT,
    )
    due = list(
        InquiryMessage.objects.filter(
            Exists(answered),
            direction=InquiryMessage.Direction.IN,
            marked_answered_at__isnull=True,
            mailbox__isnull=False,
            mailbox__active=True,
            mailbox__status=Mailbox.Status.OK,
        )
        .exclude(message_id__startswith="<uid-")  # a mail without its own id
        .select_related("mailbox")
        .order_by("mailbox_id", "pk")[:batch]
    )
    marked = 0
    by_mailbox: dict[Mailbox, list[InquiryMessage]] = {}
    for mail in due:
        if mail.mailbox is not None:
            by_mailbox.setdefault(mail.mailbox, []).append(mail)
    for mailbox, mails in by_mailbox.items():
        try:
            with open_mailbox(access=mailbox_access(mailbox=mailbox)) as session:
                for mail in mails:
                    session.mark_answered(message_id=mail.message_id)
                    # Found or not (moved to another folder), it is done.
                    InquiryMessage.objects.filter(pk=mail.pk).update(marked_answered_at=clock.now())
                    marked += 1
        except MAILBOX_FAILURES:
            continue  # the reading says why; marked at a later round
    return marked
