"""What the contact centre does with an inquiry: take it (so that two
colleagues do not answer the same citizen), let it go, answer it (through
the outbox, in the citizen's thread), settle it without an answer, or
forward it to a department. Closing one logs it in the
contact log, with its channel, topic and outcome, so the key figures
count it as they count a call; the log's line and the inquiry's state are
written together or not at all.

Each change is an update of the inquiry as it was seen (open, and not a
colleague's), so of two colleagues pressing at once one wins and the
other is told."""

from collections.abc import Callable
from datetime import datetime
from email.utils import make_msgid

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.timezone import localtime
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from skranke.accounts.models import User
from skranke.contact_centre.contact_log import log_contact
from skranke.contact_centre.models import Contact
from skranke.core import clock
from skranke.core.cpr import contains_cpr_number
from skranke.core.errors import InvalidInput
from skranke.core.free_text import clean_text
from skranke.inquiries.errors import InquiryClosed, InquiryRefused, InquiryTaken
from skranke.inquiries.models import Department, Inquiry, InquiryMessage
from skranke.inquiries.worklist import inquiries_for
from skranke.notifications.models import Message

ANSWER_MAX = 5000
# A long thread's References keep its first mails and the latest, as mail
# programs do; the latest are what thread the answer.
REFERENCES_KEPT = 20
CPR_NUMBER_IN_ANSWER = _(
    "An answer must not hold a CPR number: the e-mail is not secure. Write without it."
)
NO_SUCH_INQUIRY = _("There is no such inquiry, or it is not yours to see.")

# How each way of closing counts in the contact log.
FORWARD_OUTCOMES = frozenset(
    {Contact.Outcome.TRANSFERRED, Contact.Outcome.FAILED_TRANSFER, Contact.Outcome.BOUNCED}
)


def claim_inquiry(*, staff: User, inquiry_id: int) -> Inquiry:
    """Take the open inquiry: a colleague's stays theirs (InquiryTaken)."""
    inquiry = _visible(staff=staff, inquiry_id=inquiry_id)
    taken = (
        Inquiry.objects.filter(pk=inquiry.pk, status=Inquiry.Status.OPEN)
        .filter(Q(claimed_by__isnull=True) | Q(claimed_by=staff))
        .update(claimed_by=staff, claimed_at=clock.now())
    )
    if not taken:
        _refuse(inquiry_id=inquiry.pk)
    inquiry.refresh_from_db()
    return inquiry


def release_inquiry(*, staff: User, inquiry_id: int) -> Inquiry:
    """Let one's own inquiry go back on the list for anyone."""
    inquiry = _visible(staff=staff, inquiry_id=inquiry_id)
    released = Inquiry.objects.filter(
        pk=inquiry.pk, status=Inquiry.Status.OPEN, claimed_by=staff
    ).update(claimed_by=None, claimed_at=None)
    if not released:
        _refuse(inquiry_id=inquiry.pk)
    inquiry.refresh_from_db()
    return inquiry


def settle_inquiry(
    *, staff: User, inquiry_id: int, topic_id: int | None, kind: str = ""
) -> Inquiry:
    """Close it without an answer (the citizen's question answered another
    way, a thank-you, nothing to do): settled at first contact."""
    return _close(
        staff=staff,
        inquiry_id=inquiry_id,
        status=Inquiry.Status.SETTLED,
        topic_id=topic_id,
        outcome=Contact.Outcome.SETTLED,
        kind=kind,
    )


def forward_inquiry(
    *,
    staff: User,
    inquiry_id: int,
    topic_id: int | None,
    outcome: str,
    kind: str = "",
    department_id: int | None = None,
    note: str = "",
) -> Inquiry:
    """Close it as sent on to a department: forwarded, or (counted as for
    calls) a forward that failed or came back unanswered. With a
    department, the thread goes to its address by the outbox, with the
    staff member's `note` on top and the citizen's address to answer to."""
    if outcome not in FORWARD_OUTCOMES:
        raise InquiryRefused(_("Choose how the forward went."), field="outcome")
    department = None
    if department_id:
        inquiry = _visible(staff=staff, inquiry_id=inquiry_id)
        department = Department.objects.filter(
            pk=department_id, municipality_id=inquiry.municipality_id
        ).first()
        if department is None:
            raise InquiryRefused(_("Choose the department."), field="department")
    try:
        note = clean_text(note, field="note", limit=ANSWER_MAX, required=False)
    except InvalidInput as refused:
        raise InquiryRefused(refused.message, field="note") from refused

    def send_on(inquiry: Inquiry, now: datetime) -> None:
        if department is not None:
            _write_sent(
                inquiry=inquiry,
                staff=staff,
                text=_forwarded_text(inquiry=inquiry, note=note),
                now=now,
                forward_to=department,
            )

    _close(
        staff=staff,
        inquiry_id=inquiry_id,
        status=Inquiry.Status.FORWARDED,
        topic_id=topic_id,
        outcome=outcome,
        kind=kind,
        also=send_on,
    )
    return Inquiry.objects.get(pk=inquiry_id)


def _forwarded_text(*, inquiry: Inquiry, note: str) -> str:
    """The note, then the citizen's messages, oldest first, each with when
    it came and from whom."""
    parts = [note] if note else []
    for message in inquiry.messages.filter(direction=InquiryMessage.Direction.IN):
        moment = localtime(message.at, clock.LOCAL_ZONE).strftime("%d-%m-%Y %H:%M")
        parts.append(f"---- {moment}, {inquiry.sender_name or inquiry.sender}:\n{message.text}")
    return "\n\n".join(parts)


def answer_inquiry(
    *, staff: User, inquiry_id: int, text: str, topic_id: int | None, kind: str = ""
) -> InquiryMessage:
    """Send `text` to the citizen, by e-mail in their thread or by SMS, and
    close the inquiry as settled at first contact. The answer goes through
    the outbox (retried, and counted if it fails, as every message)."""
    if contains_cpr_number(text):
        raise InquiryRefused(CPR_NUMBER_IN_ANSWER, field="answer")
    try:
        text = clean_text(text, field="answer", limit=ANSWER_MAX, required=False)
    except InvalidInput as refused:
        raise InquiryRefused(refused.message, field="answer") from refused
    if not text:
        raise InquiryRefused(_("Write the answer."), field="answer")
    answered: list[InquiryMessage] = []

    def write_answer(inquiry: Inquiry, now: datetime) -> None:
        answered.append(_write_sent(inquiry=inquiry, staff=staff, text=text, now=now))

    _close(
        staff=staff,
        inquiry_id=inquiry_id,
        status=Inquiry.Status.ANSWERED,
        topic_id=topic_id,
        outcome=Contact.Outcome.SETTLED,
        kind=kind,
        also=write_answer,
    )
    return answered[0]


def _write_sent(
    *,
    inquiry: Inquiry,
    staff: User,
    text: str,
    now: datetime,
    forward_to: Department | None = None,
) -> InquiryMessage:
    """The answer to the citizen, in their thread, or the thread sent on to
    a department: kept with the inquiry, and in the outbox to go."""
    asked = inquiry.messages.filter(direction=InquiryMessage.Direction.IN).order_by("-at", "-pk")
    last = asked.first()
    references = last.references.split() if last is not None else []
    if last is not None and last.message_id:
        references.append(last.message_id)
    by_sms = inquiry.channel == Inquiry.Channel.SMS and forward_to is None
    booking = inquiry.booking if forward_to is None else None
    outbox = Message.objects.create(
        kind=Message.Kind.INQUIRY_ANSWER if forward_to is None else Message.Kind.INQUIRY_FORWARD,
        channel=Message.Channel.SMS if by_sms else Message.Channel.EMAIL,
        booking=booking,
        municipality_id=None if booking else inquiry.municipality_id,
        recipient=inquiry.sender if forward_to is None else forward_to.email,
        language=get_language()[:2] or settings.LANGUAGE_CODE,
        due_at=now,
        next_attempt_at=now,
    )
    domain = (inquiry.mailbox.address if inquiry.mailbox else "").rpartition("@")[2]
    return InquiryMessage.objects.create(
        inquiry=inquiry,
        direction=InquiryMessage.Direction.OUT
        if forward_to is None
        else InquiryMessage.Direction.FORWARDED,
        at=now,
        mailbox=inquiry.mailbox,
        message_id=make_msgid(idstring=f"inquiry-{inquiry.pk}", domain=domain or None),
        in_reply_to=last.message_id if last is not None else "",
        references=" ".join(references[-REFERENCES_KEPT:]),
        text=text,
        staff=staff,
        outbox_message=outbox,
        forwarded_to=forward_to.name if forward_to is not None else "",
    )


def _close(
    *,
    staff: User,
    inquiry_id: int,
    status: str,
    topic_id: int | None,
    outcome: str,
    kind: str,
    also: Callable[[Inquiry, datetime], None] | None = None,
) -> Inquiry:
    inquiry = _visible(staff=staff, inquiry_id=inquiry_id)
    now = clock.now()
    with transaction.atomic():
        closed = (
            Inquiry.objects.filter(pk=inquiry.pk, status=Inquiry.Status.OPEN)
            .filter(Q(claimed_by__isnull=True) | Q(claimed_by=staff))
            .update(status=status, closed_at=now, claimed_by=staff, claimed_at=now)
        )
        if not closed:
            _refuse(inquiry_id=inquiry.pk)
        contact = log_contact(
            agent=staff,
            channel=inquiry.channel,
            topic_id=topic_id,
            outcome=outcome,
            booking_code=inquiry.booking.code if inquiry.booking else "",
            kind=kind,
        )
        Contact.objects.filter(pk=contact.pk).update(location=inquiry.location, at=now)
        Inquiry.objects.filter(pk=inquiry.pk).update(contact=contact, topic=contact.topic)
        if status == Inquiry.Status.ANSWERED and inquiry.first_answered_at is None:
            Inquiry.objects.filter(pk=inquiry.pk).update(first_answered_at=now)
        if also is not None:
            also(inquiry, now)
    inquiry.refresh_from_db()
    return inquiry


def _visible(*, staff: User, inquiry_id: int) -> Inquiry:
    inquiry = inquiries_for(staff=staff).select_related("booking").filter(pk=inquiry_id).first()
    if inquiry is None:
        raise InquiryRefused(NO_SUCH_INQUIRY)
    return inquiry


def _refuse(*, inquiry_id: int) -> None:
    """Why the update found nothing to change."""
    status, claimed_by = Inquiry.objects.values_list("status", "claimed_by").get(pk=inquiry_id)
    if status != Inquiry.Status.OPEN:
        raise InquiryClosed()
    if claimed_by is not None:
        raise InquiryTaken()
    raise InquiryRefused(NO_SUCH_INQUIRY)
