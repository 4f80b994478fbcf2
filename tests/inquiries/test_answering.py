"""A citizen's mail, answered from Skranke: it comes into the shared mailbox
on the tests' Dovecot, the worker reads it onto the worklist, an agent
answers it, the outbox sends the answer by SMTP (the tests' sink) in the
citizen's thread, the citizen's mail program files it under their
question, the shared mailbox marks the question answered, and the
citizen's reply opens the inquiry again. The answer is logged as a
contact; an answer holding a CPR number is refused and nothing typed is
lost."""

from collections.abc import Callable

import pytest
from django.test import Client

from skranke.access_log.models import AccessRecord
from skranke.accounts.models import Role, User
from skranke.contact_centre.models import Contact, Topic
from skranke.core import clock
from skranke.core.models import Location, Municipality
from skranke.inquiries.mailbox_marking import mark_answered_mails
from skranke.inquiries.mailbox_reading import read_mailboxes
from skranke.inquiries.models import Department, Inquiry, InquiryMessage, Mailbox
from skranke.notifications.delivery import deliver_due_messages
from skranke.notifications.models import Message
from tests.booking.test_staff_booking import member
from tests.centre import at
from tests.inquiries.conftest import BORGERSERVICE, mail
from tests.mail_servers import Dovecot, ImapServer
from tests.smtp_sink import SmtpSink

pytestmark = pytest.mark.django_db

URL = "/personale/henvendelser/"


def test_an_answer_goes_in_the_citizens_thread_and_the_question_is_marked_answered(
    mailbox: Mailbox,
    imap_server: ImapServer,
    dovecot: Dovecot,
    sending_by_smtp: SmtpSink,
    passport_topic: Topic,
    centre: Location,
    staff_client: Callable[[User], Client],
) -> None:
    clock.set_now(at(7, 10, 0))
    question = mail(message_id="<spoergsmaal-1@example.dk>", sent_at=at(7, 9, 58))
    imap_server.deliver(question)
    read_mailboxes()
    inquiry = Inquiry.objects.get()

    agent = member(Role.CONTACT_AGENT, centre)
    client = staff_client(agent)
    assert "Mit pas er udløbet" in client.get(URL).content.decode()
    clock.set_now(at(7, 10, 5))
    answered = client.post(
        f"{URL}{inquiry.pk}/handling/",
        {
            "action": "answer",
            "answer": "Kære Jens\r\n\r\nDu kan bestille en tid på vores hjemmeside.\r\n",
            "topic": passport_topic.pk,
        },
    )
    assert answered.status_code == 302
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.first_answered_at) == (Inquiry.Status.ANSWERED, at(7, 10, 5))
    assert AccessRecord.objects.filter(
        user=agent, action=AccessRecord.Action.ANSWERED_INQUIRY, inquiry=inquiry
    ).exists()
    contact = Contact.objects.get()
    assert (contact.channel, contact.outcome, contact.topic) == (
        Contact.Channel.EMAIL,
        Contact.Outcome.SETTLED,
        passport_topic,
    )

    deliver_due_messages()
    assert Message.objects.get().status == Message.Status.SENT
    [envelope] = sending_by_smtp.envelopes
    assert envelope.rcpt_tos == ("jens@example.dk",)
    [sent] = sending_by_smtp.messages
    assert sent["From"] == BORGERSERVICE
    assert sent["Subject"] == "Re: Mit pas er udløbet"
    assert sent["In-Reply-To"] == "<spoergsmaal-1@example.dk>"
    assert sent["References"] == "<spoergsmaal-1@example.dk>"
    assert "Du kan bestille en tid" in sent.get_content()

    # In the citizen's own mailbox the answer names their question: their
    # mail program shows it in the same thread.
    citizen = dovecot.add_mailbox()
    citizen.deliver(question, mailbox="Sent", flags="\\Seen")
    citizen.deliver(bytes(sent))
    [asked] = citizen.messages("Sent")
    [got] = citizen.messages()
    assert got.message["In-Reply-To"] == asked.message["Message-ID"]
    assert got.message["Subject"] == "Re: " + asked.message["Subject"]

    # The shared mailbox shows the question as answered.
    assert mark_answered_mails() == 1
    [kept] = imap_server.messages()
    assert "\\Answered" in kept.flags

    # The citizen answers the answer: the inquiry opens again, waiting.
    clock.set_now(at(7, 12, 0))
    imap_server.deliver(
        mail(
            subject="Re: Mit pas er udløbet",
            text="Tak! Kan jeg også komme uden tid?",
            in_reply_to=sent["Message-ID"],
            references=f"<spoergsmaal-1@example.dk> {sent['Message-ID']}",
        )
    )
    clock.set_now(at(7, 12, 2))
    read_mailboxes()
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.OPEN
    assert [message.direction for message in inquiry.messages.all()] == ["in", "out", "in"]


def test_an_answer_with_a_cpr_number_is_refused_and_kept_for_mending(
    centre: Location, passport_topic: Topic, staff_client: Callable[[User], Client]
) -> None:
    clock.set_now(at(7, 10, 0))
    inquiry = Inquiry.objects.create(
        municipality=centre.municipality,
        channel=Inquiry.Channel.EMAIL,
        sender="jens@example.dk",
        subject="Pas",
    )
    client = staff_client(member(Role.CONTACT_AGENT, centre))
    typed = "Dit CPR-nummer 010190-1234 er registreret."
    answer = client.post(
        f"{URL}{inquiry.pk}/handling/",
        {"action": "answer", "answer": typed, "topic": passport_topic.pk},
        follow=True,
    )
    page = answer.content.decode()
    assert "An answer must not hold a CPR number" in page
    assert typed in page  # back in its box
    assert not Message.objects.exists()
    assert not InquiryMessage.objects.exists()
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.OPEN


def test_forwarded_to_a_department_by_mail_with_the_citizen_to_answer_to(
    mailbox: Mailbox,
    imap_server: ImapServer,
    sending_by_smtp: SmtpSink,
    passport_topic: Topic,
    centre: Location,
    staff_client: Callable[[User], Client],
) -> None:
    clock.set_now(at(7, 10, 0))
    imap_server.deliver(mail(subject="Rotter i kælderen", text="Der er rotter i vores kælder."))
    read_mailboxes()
    inquiry = Inquiry.objects.get()
    technical = Department.objects.create(
        municipality=centre.municipality, name="Teknik og Miljø", email="teknik@testkommune.dk"
    )
    client = staff_client(member(Role.CONTACT_AGENT, centre))
    assert "Teknik og Miljø" in client.get(f"{URL}{inquiry.pk}/").content.decode()
    answer = client.post(
        f"{URL}{inquiry.pk}/handling/",
        {
            "action": "forward",
            "topic": passport_topic.pk,
            "outcome": Contact.Outcome.TRANSFERRED,
            "department": technical.pk,
            "note": "Borgeren venter svar fra jer.",
        },
    )
    assert answer.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.FORWARDED
    assert Contact.objects.get().outcome == Contact.Outcome.TRANSFERRED

    deliver_due_messages()
    [sent] = sending_by_smtp.messages
    assert sending_by_smtp.envelopes[0].rcpt_tos == ("teknik@testkommune.dk",)
    assert sent["Subject"] == "Fwd: Rotter i kælderen"
    assert sent["Reply-To"] == "jens@example.dk"
    assert sent["From"] == BORGERSERVICE
    body = sent.get_content()
    assert body.startswith("Borgeren venter svar fra jer.")
    assert "Der er rotter i vores kælder." in body
    # The page says where it went.
    page = client.get(f"{URL}{inquiry.pk}/").content.decode()
    assert "Sent on to Teknik og Miljø" in page

    # Another municipality's department cannot be chosen.
    other = Inquiry.objects.create(
        municipality=centre.municipality,
        channel=Inquiry.Channel.EMAIL,
        sender="x@example.dk",
        subject="Andet",
    )
    elsewhere = Department.objects.create(
        municipality=Municipality.objects.create(slug="anden", name="Anden"),
        name="Andens",
        email="x@anden.dk",
    )
    refused = client.post(
        f"{URL}{other.pk}/handling/",
        {
            "action": "forward",
            "topic": passport_topic.pk,
            "outcome": Contact.Outcome.TRANSFERRED,
            "department": elsewhere.pk,
        },
        follow=True,
    )
    assert "Choose the department." in refused.content.decode()
    other.refresh_from_db()
    assert other.status == Inquiry.Status.OPEN
