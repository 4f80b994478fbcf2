"""A mail read from the shared mailbox, into its inquiry: a new thread is a
new inquiry on the worklist; a citizen's reply (to their own mail or to
our answer) joins the inquiry it answers and opens it again; a mail read
twice (the mailbox read again after a failure) is kept once.

Threads are found as mail programs find them: by the ids in the mail's
In-Reply-To and References, which name the earlier mails of the thread,
ours among them. A subject alone does not join a thread: two citizens
both writing "Pas" are two inquiries."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction

from skranke.core import clock
from skranke.core.cpr import contains_cpr_number
from skranke.inquiries.mail_reading import MailNote, ReadMail
from skranke.inquiries.models import (
    Inquiry,
    InquiryAttachment,
    InquiryMessage,
    Mailbox,
    MailRoute,
)
from skranke.inquiries.returned_mail import return_reported_mail


def add_mail_to_inquiries(
    *, mailbox: Mailbox, read: ReadMail, uid: int, uid_validity: int, cut: bool
) -> InquiryMessage | None:
    """Keep `read` (the mail with `uid` in the mailbox) in its inquiry, or a
    new one. None if it was kept before."""
    # A mail without a Message-ID still must be found again if read twice:
    # its place in the mailbox names it as long as the mailbox's UIDs hold.
    message_id = read.message_id or f"<uid-{uid_validity}-{uid}@mailbox-{mailbox.pk}>"
    if InquiryMessage.objects.filter(mailbox=mailbox, message_id=message_id).exists():
        return None
    notes = list(read.notes)
    if cut and MailNote.TEXT_CUT not in notes:
        notes.append(MailNote.TEXT_CUT)
    received_at = _received_at(read=read)
    try:
        with transaction.atomic():
            inquiry = _thread_of(mailbox=mailbox, read=read)
            if inquiry is None:
                inquiry = _new_inquiry(mailbox=mailbox, read=read, received_at=received_at)
            elif not read.automatic:
                _reopen(inquiry=inquiry, received_at=received_at)
            if contains_cpr_number(read.text) or contains_cpr_number(read.subject):
                Inquiry.objects.filter(pk=inquiry.pk).update(has_cpr_number=True)
            message = InquiryMessage.objects.create(
                inquiry=inquiry,
                direction=InquiryMessage.Direction.IN,
                at=received_at,
                mailbox=mailbox,
                message_id=message_id[:998],
                in_reply_to=read.in_reply_to[:998],
                references=" ".join(read.references),
                imap_uid=uid,
                text=read.text,
                notes=",".join(notes)[:300],
                automatic=read.automatic_reason[:30] if read.automatic else "",
            )
            _keep_attachments(message=message, read=read)
            if read.returned is not None:
                return_reported_mail(
                    inquiry=inquiry,
                    message_id=read.returned.message_id,
                    reason=read.returned.reason,
                    at=received_at,
                )
    except IntegrityError:
        # Read at the same moment by another worker: kept once, by it.
        return None
    return message


# How far back a mail's own Date is believed: a mailbox that could not be
# read for a weekend still dates its mail when it came, but a sender's clock
# set years wrong does not make an inquiry years overdue.
DATE_BELIEVED = timedelta(days=7)


def _received_at(*, read: ReadMail) -> datetime:
    now = clock.now()
    if read.sent_at is None or not now - DATE_BELIEVED <= read.sent_at <= now:
        return now
    return read.sent_at


def _thread_of(*, mailbox: Mailbox, read: ReadMail) -> Inquiry | None:
    # A delivery report belongs with the mail it returns.
    returned = read.returned.message_id if read.returned is not None else ""
    ids = [*read.references, read.in_reply_to, returned]
    ids = [each for each in ids if each]
    if not ids:
        return None
    earlier = (
        InquiryMessage.objects.filter(inquiry__mailbox=mailbox, message_id__in=ids)
        .select_related("inquiry")
        .order_by("-at", "-pk")
        .first()
    )
    return earlier.inquiry if earlier is not None else None


def _new_inquiry(*, mailbox: Mailbox, read: ReadMail, received_at: datetime) -> Inquiry:
    route = (
        MailRoute.objects.filter(mailbox=mailbox, address__in=read.recipients)
        .order_by("pk")
        .first()
    )
    location = route.location if route is not None and route.location else mailbox.location
    topic = route.topic if route is not None and route.topic else mailbox.topic
    return Inquiry.objects.create(
        municipality_id=mailbox.municipality_id,
        channel=Inquiry.Channel.EMAIL,
        mailbox=mailbox,
        location=location,
        topic=topic,
        sender=read.sender[:254],
        sender_name=read.sender_name[:200],
        subject=read.subject[:300],
        received_at=received_at,
        last_received_at=received_at,
        # An automatic mail that starts no thread of ours (a list, a bounce
        # of a mail we never sent) is kept, but nobody need answer it.
        status=Inquiry.Status.SETTLED if read.automatic else Inquiry.Status.OPEN,
        closed_at=received_at if read.automatic else None,
    )


def _reopen(*, inquiry: Inquiry, received_at: datetime) -> None:
    """The citizen wrote again: the inquiry is open until answered again,
    and the worklist counts from its first mail still unanswered."""
    changes: dict[str, object] = {"last_received_at": received_at}
    if inquiry.status != Inquiry.Status.OPEN:
        changes |= {
            "status": Inquiry.Status.OPEN,
            "received_at": received_at,
            "closed_at": None,
            "claimed_by": None,
            "claimed_at": None,
        }
    Inquiry.objects.filter(pk=inquiry.pk).update(**changes)


def _keep_attachments(*, message: InquiryMessage, read: ReadMail) -> None:
    keep = settings.INQUIRY_ATTACHMENTS_KEPT
    cap = settings.INQUIRY_ATTACHMENT_MAX_BYTES
    InquiryAttachment.objects.bulk_create(
        InquiryAttachment(
            message=message,
            filename=attachment.filename[:255],
            content_type=attachment.content_type[:100],
            size=attachment.size,
            content=attachment.content if keep and attachment.size <= cap else None,
        )
        for attachment in read.attachments
    )
