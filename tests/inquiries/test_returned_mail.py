"""A forward or an answer that never arrived: refused by the mail server
(the outbox gives up), or returned by a delivery report in the shared
mailbox. A forward counts as failed, as for calls, and its inquiry is on
the worklist again (skranke/inquiries/returned_mail.py,
delivery_reports.py)."""

from collections.abc import Callable

import pytest
from django.test import Client

from skranke.accounts.models import Role, User
from skranke.contact_centre.models import Contact, Topic
from skranke.core import clock
from skranke.core.models import Location
from skranke.inquiries.handling import answer_inquiry, forward_inquiry
from skranke.inquiries.mail_reading import read_mail
from skranke.inquiries.mailbox_reading import read_mailboxes
from skranke.inquiries.models import Department, Inquiry, InquiryMessage, Mailbox
from skranke.inquiries.returned_mail import notice_undelivered_mail
from skranke.notifications.delivery import deliver_due_messages
from skranke.notifications.models import Message
from tests.booking.test_staff_booking import member
from tests.centre import at
from tests.inquiries.conftest import BORGERSERVICE, mail
from tests.mail_servers import ImapServer
from tests.smtp_sink import SmtpSink

pytestmark = pytest.mark.django_db

URL = "/personale/henvendelser/"
TECHNICAL = "teknik@testkommune.dk"
REJECTED = f"smtp; 550 5.1.1 <{TECHNICAL}>: Recipient address rejected"


def delivery_report(
    *, returned_id: str, action: str = "failed", returned_as: str = "message/rfc822"
) -> bytes:
    """A delivery report as Postfix writes one."""
    returned = (
        f"From: {BORGERSERVICE}\nTo: {TECHNICAL}\nSubject: Fwd: Rotter\nMessage-ID: {returned_id}\n"
    )
    if returned_as == "message/rfc822":
        returned += "\nDer er rotter i vores kælder.\n"
    return (
        "From: MAILER-DAEMON@mail.testkommune.dk (Mail Delivery System)\n"
        f"To: {BORGERSERVICE}\n"
        "Subject: Undelivered Mail Returned to Sender\n"
        "Message-ID: <20261207101500.4F2A1@mail.testkommune.dk>\n"
        "Auto-Submitted: auto-replied\n"
        "MIME-Version: 1.0\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="graense"\n'
        "\n"
        "--graense\n"
        "Content-Type: text/plain; charset=utf-8\n"
        "\n"
        "This is the mail system at host mail.testkommune.dk.\n"
        "I'm sorry to have to inform you that your message could not\n"
        "be delivered to one or more recipients.\n"
        "\n"
        "--graense\n"
        "Content-Type: message/delivery-status\n"
        "\n"
        "Reporting-MTA: dns; mail.testkommune.dk\n"
        "\n"
        f"Final-Recipient: rfc822; {TECHNICAL}\n"
        f"Action: {action}\n"
        "Status: 5.1.1\n"
        f"Diagnostic-Code: {REJECTED}\n"
        "\n"
        "--graense\n"
        f"Content-Type: {returned_as}\n"
        "\n"
        f"{returned}"
        "--graense--\n"
    ).encode()


# --- Reading a delivery report ---------------------------------------------------------


@pytest.mark.parametrize("returned_as", ["message/rfc822", "text/rfc822-headers"])
def test_a_delivery_report_names_the_mail_it_returns_and_why(returned_as: str) -> None:
    read = read_mail(
        raw=delivery_report(returned_id="<fwd-1@testkommune.dk>", returned_as=returned_as),
        own_addresses=frozenset({BORGERSERVICE}),
    )
    assert read.automatic
    assert read.returned is not None
    assert read.returned.message_id == "<fwd-1@testkommune.dk>"
    assert read.returned.reason == REJECTED


def test_a_delay_or_a_bounce_in_free_text_returns_nothing() -> None:
    own = frozenset({BORGERSERVICE})
    delayed = read_mail(
        raw=delivery_report(returned_id="<fwd-1@testkommune.dk>", action="delayed"),
        own_addresses=own,
    )
    assert delayed.automatic
    assert delayed.returned is None
    free_text = read_mail(
        raw=mail(
            sender="MAILER-DAEMON@mail.testkommune.dk",
            subject="Undeliverable: Fwd: Rotter",
            text="Your message to teknik@testkommune.dk could not be delivered.",
        ),
        own_addresses=own,
    )
    assert free_text.returned is None
    # A citizen's mail is never read as a report, whatever it holds.
    citizen = read_mail(raw=mail(text="Action: failed\n"), own_addresses=own)
    assert citizen.returned is None


def test_a_malformed_report_is_read_as_far_as_it_goes() -> None:
    broken = delivery_report(returned_id="<fwd-1@testkommune.dk>").replace(
        b"Content-Type: message/delivery-status\n\n", b"Content-Type: message/delivery-status\n"
    )
    read = read_mail(raw=broken, own_addresses=frozenset({BORGERSERVICE}))
    assert read.automatic  # kept, for staff to read
    no_id = delivery_report(returned_id="ingen")
    assert read_mail(raw=no_id, own_addresses=frozenset({BORGERSERVICE})).returned is None


# --- What comes of it ------------------------------------------------------------------


def forwarded(*, centre: Location, topic: Topic) -> tuple[Inquiry, InquiryMessage, User]:
    """The citizen's mail read, and forwarded to Teknik og Miljø."""
    read_mailboxes()
    inquiry = Inquiry.objects.get()
    technical = Department.objects.create(
        municipality=centre.municipality, name="Teknik og Miljø", email=TECHNICAL
    )
    agent = member(Role.CONTACT_AGENT, centre)
    forward_inquiry(
        staff=agent,
        inquiry_id=inquiry.pk,
        topic_id=topic.pk,
        outcome=Contact.Outcome.TRANSFERRED,
        department_id=technical.pk,
        note="Til jer.",
    )
    forward = InquiryMessage.objects.get(direction=InquiryMessage.Direction.FORWARDED)
    return inquiry, forward, agent


def test_a_forward_returned_by_a_delivery_report_is_a_failed_forward_and_open_again(
    mailbox: Mailbox,
    imap_server: ImapServer,
    sending_by_smtp: SmtpSink,
    passport_topic: Topic,
    centre: Location,
    staff_client: Callable[[User], Client],
) -> None:
    clock.set_now(at(7, 10, 0))
    imap_server.deliver(mail(subject="Rotter", text="Der er rotter i vores kælder."))
    inquiry, forward, agent = forwarded(centre=centre, topic=passport_topic)
    deliver_due_messages()
    assert [e.rcpt_tos for e in sending_by_smtp.envelopes] == [(TECHNICAL,)]
    assert Contact.objects.get().outcome == Contact.Outcome.TRANSFERRED

    # The department's server took it, then found no such user.
    clock.set_now(at(7, 10, 15))
    report = delivery_report(returned_id=forward.message_id)
    imap_server.deliver(report)
    imap_server.deliver(report)  # delivered twice: kept and counted once
    assert read_mailboxes() == 1

    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.closed_at, inquiry.received_at) == (
        Inquiry.Status.OPEN,
        None,
        at(7, 10, 0),  # the citizen has waited since they wrote
    )
    assert Contact.objects.get().outcome == Contact.Outcome.FAILED_TRANSFER
    forward.refresh_from_db()
    assert (forward.returned_at, forward.returned_reason) == (at(7, 10, 15), REJECTED)
    # The report is in the thread, answered by nobody.
    assert inquiry.messages.filter(automatic="delivery-report").count() == 1

    client = staff_client(agent)
    worklist = client.get(URL).content.decode()
    assert "The forward came back" in worklist
    page = client.get(f"{URL}{inquiry.pk}/").content.decode()
    assert "It did not reach the department (7. dec 10:15); the inquiry is open again." in page
    assert "Recipient address rejected" in page

    # Answered now: a late second report changes nothing.
    answer_inquiry(
        staff=agent, inquiry_id=inquiry.pk, text="Vi ringer til dig.", topic_id=passport_topic.pk
    )
    imap_server.deliver(delivery_report(returned_id=forward.message_id).replace(b"4F2A1", b"4F2A2"))
    read_mailboxes()
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.ANSWERED
    assert sorted(Contact.objects.values_list("outcome", flat=True)) == [
        Contact.Outcome.FAILED_TRANSFER,
        Contact.Outcome.SETTLED,
    ]


def test_a_forward_the_mail_server_refuses_is_a_failed_forward_and_open_again(
    mailbox: Mailbox,
    imap_server: ImapServer,
    sending_by_smtp: SmtpSink,
    passport_topic: Topic,
    centre: Location,
) -> None:
    clock.set_now(at(7, 10, 0))
    sending_by_smtp.refused.add(TECHNICAL)
    imap_server.deliver(mail(subject="Rotter"))
    inquiry, forward, _ = forwarded(centre=centre, topic=passport_topic)
    deliver_due_messages()
    assert Message.objects.get().status == Message.Status.DEAD
    assert notice_undelivered_mail() == 1
    assert notice_undelivered_mail() == 0

    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.OPEN
    assert Contact.objects.get().outcome == Contact.Outcome.FAILED_TRANSFER
    forward.refresh_from_db()
    assert "Recipient address rejected" in forward.returned_reason


def test_an_answer_that_did_not_reach_the_citizen_is_said_on_the_page(
    mailbox: Mailbox,
    imap_server: ImapServer,
    sending_by_smtp: SmtpSink,
    passport_topic: Topic,
    centre: Location,
    staff_client: Callable[[User], Client],
) -> None:
    clock.set_now(at(7, 10, 0))
    sending_by_smtp.refused.add("jens@example.dk")
    imap_server.deliver(mail())
    read_mailboxes()
    inquiry = Inquiry.objects.get()
    agent = member(Role.CONTACT_AGENT, centre)
    answer_inquiry(
        staff=agent, inquiry_id=inquiry.pk, text="Bestil tid.", topic_id=passport_topic.pk
    )
    deliver_due_messages()
    assert notice_undelivered_mail() == 1

    # Answered it was: the figures stand, and the page says it went wrong.
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.ANSWERED
    assert Contact.objects.get().outcome == Contact.Outcome.SETTLED
    page = staff_client(agent).get(f"{URL}{inquiry.pk}/").content.decode()
    assert "It did not reach the citizen" in page
