"""The words of Skranke's answers to a citizen's text message
(text_replies.py): "reply JA to cancel", the cancellation when the booking
sent no "cancelled" text to that number, "too late to cancel", and the
answer to a number Skranke has not written to; and a staff member's
answer to a citizen's e-mail or text message (answers.py). Declared to the
outbox (notifications/message_kinds.py), which discovers this module.

Their words are Skranke's own (FIXED_WORDING_KINDS): the citizen's next
answer depends on them ("JA"), and the last belongs to no municipality.
The first three are about a booking and carry what a booking's messages
carry (booking/message_texts.py); the last names nothing but the site,
as it goes to a number nobody has booked with.
"""

from collections.abc import Callable

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy, override

from skranke.booking.message_texts import booking_message_kind, is_reminder_still_wanted
from skranke.core.models import Location
from skranke.inquiries.models import InquiryMessage
from skranke.notifications.composed import Composed
from skranke.notifications.composing import fill_in
from skranke.notifications.message_kinds import MessageKind, message_kind, register_message_kind
from skranke.notifications.models import Message

Kind = Message.Kind

register_message_kind(
    booking_message_kind(
        kind=Kind.CANCEL_QUESTION,
        sms={
            False: gettext_lazy("Reply YES to cancel your time at {place} {date} at {time}."),
            True: gettext_lazy("Reply YES to cancel your telephone meeting {date} at {time}."),
        },
        # Asked about the booking as it stood: once it is moved or
        # cancelled, the question is no longer the one to send.
        still_wanted=is_reminder_still_wanted,
        most_segments=1,
    )
)
# Booking's own "cancelled" text, in its words (booking/message_texts.py
# is imported above, so it is registered), for a citizen whose booking
# sends no text to the number that answered.
register_message_kind(
    booking_message_kind(
        kind=Kind.CANCELLED_BY_TEXT,
        sms=dict(message_kind(Kind.CANCELLED).sms),
    )
)
register_message_kind(
    booking_message_kind(
        kind=Kind.NOT_CANCELLABLE,
        sms={
            False: gettext_lazy(
                "Your time at {place} {date} at {time} has passed or is already cancelled,"
                " so it cannot be cancelled. Book a new time: {site}"
            ),
            True: gettext_lazy(
                "Your telephone meeting {date} at {time} has passed or is already cancelled,"
                " so it cannot be cancelled. Book a new time: {site}"
            ),
        },
    )
)


NUMBER_TAKES_NO_TEXTS_SMS = gettext_lazy(
    "This number does not take messages. Contact Borgerservice: {site}"
)


def site_fields(location: Location | None = None) -> dict[str, str]:
    return {"site": settings.SITE_URL + "/"}


def compose_number_takes_no_texts(message: Message) -> Composed:
    with override(message.language):
        return Composed("", fill_in(text=str(NUMBER_TAKES_NO_TEXTS_SMS), fields=site_fields()))


register_message_kind(
    MessageKind(
        kind=Kind.NUMBER_TAKES_NO_TEXTS,
        fields=frozenset({"site"}),
        sample_fields=site_fields,
        compose=compose_number_takes_no_texts,
        sms={False: NUMBER_TAKES_NO_TEXTS_SMS},
        most_segments=1,
    )
)


# An answer's words are the staff member's; these stand for them in the
# outbox's previews and checks.
ANSWER_SMS = gettext_lazy("{answer}")
ANSWER_SUBJECT = gettext_lazy("Re: {subject}")


def sample_answer(location: Location | None = None) -> dict[str, str]:
    return {"answer": str(gettext_lazy("Thank you for your mail.")), "subject": "Pas"}


def compose_inquiry_answer(message: Message) -> Composed:
    """The answer as written, in the citizen's thread: its own Message-ID
    (kept with the answer, so the citizen's reply finds the inquiry), the
    mail it answers, and the thread before it; sent from the shared
    mailbox's address. X-Skranke-Inquiry marks it as ours, so that if it
    comes back (a loop) it is never taken for a citizen's mail."""
    answer = InquiryMessage.objects.select_related("inquiry__mailbox").get(outbox_message=message)
    inquiry = answer.inquiry
    if message.channel == Message.Channel.SMS:
        return Composed("", answer.text)
    headers = {"Message-ID": answer.message_id, "X-Skranke-Inquiry": str(inquiry.pk)}
    if answer.in_reply_to:
        headers["In-Reply-To"] = answer.in_reply_to
    if answer.references:
        headers["References"] = answer.references
    subject = inquiry.subject or ""
    if not subject.lower().startswith(("re:", "sv:")):
        with override(message.language):
            subject = fill_in(text=str(ANSWER_SUBJECT), fields={"subject": subject}).strip()
    return Composed(
        subject=subject[:200],
        body=answer.text,
        headers=headers,
        from_email=inquiry.mailbox.address if inquiry.mailbox else "",
    )


def written_by_staff(
    *, kind: str, compose: Callable[[Message], Composed], subject: Promise
) -> MessageKind:
    """A kind whose words a member of staff wrote (or the citizen did):
    nothing for a municipality to change, the placeholders for previews."""
    return MessageKind(
        kind=kind,
        fields=frozenset({"answer", "subject"}),
        sample_fields=sample_answer,
        compose=compose,
        sms={False: ANSWER_SMS},
        email_subject=subject,
        email_leads={False: ANSWER_SMS},
        most_segments=10,
    )


register_message_kind(
    written_by_staff(
        kind=Kind.INQUIRY_ANSWER, compose=compose_inquiry_answer, subject=ANSWER_SUBJECT
    )
)


FORWARD_SUBJECT = gettext_lazy("Fwd: {subject}")


def compose_inquiry_forward(message: Message) -> Composed:
    """The thread sent on to a department, from the shared mailbox, with
    the citizen's address to answer to (an e-mail's): the department may
    answer the citizen itself."""
    forward = InquiryMessage.objects.select_related("inquiry__mailbox").get(outbox_message=message)
    inquiry = forward.inquiry
    headers = {"Message-ID": forward.message_id, "X-Skranke-Inquiry": str(inquiry.pk)}
    if inquiry.channel == inquiry.Channel.EMAIL:
        headers["Reply-To"] = inquiry.sender
    with override(message.language):
        subject = fill_in(text=str(FORWARD_SUBJECT), fields={"subject": inquiry.subject or "–"})
    return Composed(
        subject=subject.strip()[:200],
        body=forward.text,
        headers=headers,
        from_email=inquiry.mailbox.address if inquiry.mailbox else "",
    )


register_message_kind(
    written_by_staff(
        kind=Kind.INQUIRY_FORWARD, compose=compose_inquiry_forward, subject=FORWARD_SUBJECT
    )
)
