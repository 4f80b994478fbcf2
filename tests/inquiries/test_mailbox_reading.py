"""The worker reads the shared mailbox on the tests' own Dovecot: each
thread one inquiry, a reply joins its thread, a mail read twice is kept
once, nothing is marked read in the mailbox, and a mailbox that cannot be
read says why and is read when it can be again, with nothing lost."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client, override_settings

from skranke.accounts.models import Role, User
from skranke.core import clock
from skranke.core.models import Location
from skranke.inquiries.mailbox_reading import read_mailbox, read_mailboxes
from skranke.inquiries.models import Inquiry, InquiryMessage, Mailbox, MailRoute
from skranke.worker.heartbeat import record_heartbeat
from tests.booking.test_staff_booking import member
from tests.centre import at
from tests.inquiries.conftest import BORGERSERVICE, mail
from tests.mail_servers import ImapServer

pytestmark = pytest.mark.django_db


def test_a_thread_is_one_inquiry_and_a_mail_read_twice_is_kept_once(
    mailbox: Mailbox, imap_server: ImapServer
) -> None:
    clock.set_now(at(7, 10, 0))
    imap_server.deliver(mail(message_id="<first@example.dk>", sent_at=at(7, 9, 55)))
    imap_server.deliver(
        mail(
            sender="Karen Jensen <karen@example.dk>",
            subject="Sundhedskort",
            html="<p>Mit <b>sundhedskort</b> er væk.</p><script>alert(1)</script>",
            text="",
        )
    )
    assert read_mailboxes() == 2

    first, second = Inquiry.objects.order_by("pk")
    assert (first.sender, first.sender_name, first.subject) == (
        "jens@example.dk",
        "Jens Hansen",
        "Mit pas er udløbet",
    )
    assert first.received_at == at(7, 9, 55)  # when the citizen sent it
    assert first.location == mailbox.location
    assert first.status == Inquiry.Status.OPEN
    assert "Hvordan får jeg et nyt pas?" in first.messages.get().text
    assert second.messages.get().text.strip() == "Mit sundhedskort er væk."

    # The citizen writes again in the same thread: it joins the inquiry.
    clock.set_now(at(7, 11, 0))
    imap_server.deliver(
        mail(
            subject="Re: Mit pas er udløbet",
            text="Jeg har fundet det gamle pas.",
            in_reply_to="<first@example.dk>",
            references="<first@example.dk>",
        )
    )
    assert read_mailbox(mailbox=Mailbox.objects.get()) == 1
    assert Inquiry.objects.count() == 2
    assert first.messages.count() == 2

    # Read from the start again (the server numbered its mail anew): the
    # three mails are known by their ids, and nothing is kept twice.
    Mailbox.objects.update(uid_validity=1, last_uid=0)
    assert read_mailbox(mailbox=Mailbox.objects.get()) == 0
    assert InquiryMessage.objects.count() == 3
    # Reading marked nothing as read for the people who use the mailbox.
    assert all("\\Seen" not in stored.flags for stored in imap_server.messages())


def test_the_address_written_to_guesses_the_place(
    mailbox: Mailbox, imap_server: ImapServer, location: Location
) -> None:
    library = Location.objects.create(
        municipality=location.municipality, slug="bibliotek", name="Biblioteket"
    )
    MailRoute.objects.create(mailbox=mailbox, address="bibliotek@testkommune.dk", location=library)
    imap_server.deliver(mail(to="Biblioteket <Bibliotek@testkommune.dk>"))
    imap_server.deliver(mail(to=BORGERSERVICE))
    read_mailboxes()
    assert [inquiry.location for inquiry in Inquiry.objects.order_by("pk")] == [
        library,
        mailbox.location,
    ]


def test_automatic_mail_is_kept_but_never_waits_for_an_answer(
    mailbox: Mailbox, imap_server: ImapServer
) -> None:
    clock.set_now(at(7, 10, 0))
    imap_server.deliver(mail(message_id="<asked@example.dk>"))
    read_mailboxes()
    inquiry = Inquiry.objects.get()
    Inquiry.objects.filter(pk=inquiry.pk).update(status=Inquiry.Status.ANSWERED)

    # The citizen's out-of-office answers our answer: kept in the thread,
    # and the inquiry stays answered.
    imap_server.deliver(
        mail(
            subject="Fraværende: Re: Mit pas",
            text="Jeg er på ferie til mandag.",
            references="<asked@example.dk>",
            headers={"Auto-Submitted": "auto-replied"},
        )
    )
    # A newsletter nobody asked about starts no work either.
    imap_server.deliver(
        mail(sender="nyhedsbrev@example.dk", headers={"List-Id": "<nyheder.example.dk>"})
    )
    clock.set_now(at(7, 10, 2))
    read_mailbox(mailbox=Mailbox.objects.get())
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.ANSWERED
    assert inquiry.messages.filter(automatic="auto-submitted").count() == 1
    newsletter = Inquiry.objects.exclude(pk=inquiry.pk).get()
    assert newsletter.status == Inquiry.Status.SETTLED


def test_a_cpr_number_is_noted(mailbox: Mailbox, imap_server: ImapServer) -> None:
    imap_server.deliver(mail(text="Mit CPR-nummer er 010190-1234, kan I hjælpe?"))
    read_mailboxes()
    assert Inquiry.objects.get().has_cpr_number


def test_a_mailbox_that_cannot_be_read_says_why_and_loses_nothing(
    mailbox: Mailbox,
    imap_server: ImapServer,
    centre: Location,
    staff_client: Callable[[User], Client],
) -> None:
    clock.set_now(at(7, 10, 0))
    record_heartbeat(moment=clock.now())
    imap_server.deliver(mail())
    # The password expired.
    Mailbox.objects.update(password="udløbet")
    assert read_mailboxes() == 0
    refused = Mailbox.objects.get()
    assert refused.status == Mailbox.Status.REFUSED
    assert refused.failing_since == at(7, 10, 0)
    assert "udløbet" not in refused.last_error
    # The manager's overview says so.
    overview = staff_client(member(Role.MANAGER, centre)).get("/personale/overblik/")
    assert (
        "The mailbox Borgerservice refuses Skranke's sign-in since 7. dec 10:00"
        in overview.content.decode()
    )

    # Mended, it is tried again after a while, not at every round.
    Mailbox.objects.update(password=imap_server.password)
    clock.advance(timedelta(seconds=30))
    assert read_mailboxes() == 0
    clock.advance(timedelta(minutes=5))
    assert read_mailboxes() == 1
    mended = Mailbox.objects.get()
    assert (mended.status, mended.failing_since, mended.last_error) == (
        Mailbox.Status.OK,
        None,
        "",
    )
    clock.advance(timedelta(seconds=2))
    overview = staff_client(member(Role.ADMINISTRATOR, centre)).get("/personale/overblik/")
    assert "The mailbox" not in overview.content.decode()

    # The server cannot be reached.
    Mailbox.objects.update(port=1)
    clock.advance(timedelta(minutes=1))
    imap_server.deliver(mail(subject="Anden henvendelse"))
    read_mailboxes()
    assert Mailbox.objects.get().status == Mailbox.Status.UNREACHABLE
    Mailbox.objects.update(port=imap_server.port)
    clock.advance(timedelta(minutes=5))
    assert read_mailboxes() == 1
    assert Inquiry.objects.count() == 2


def test_a_server_whose_certificate_is_not_trusted_is_not_read(
    mailbox: Mailbox, imap_server: ImapServer
) -> None:
    imap_server.deliver(mail())
    with override_settings(MAILBOX_CA_FILE=""):
        read_mailboxes()
    assert Mailbox.objects.get().status == Mailbox.Status.UNREACHABLE
    assert not Inquiry.objects.exists()


def test_a_token_url_that_is_not_https_is_said_to_be_wrong(mailbox: Mailbox) -> None:
    Mailbox.objects.update(
        sign_in=Mailbox.SignIn.OAUTH2,
        token_url="http://login.example.dk/token",
        client_id="app",
        client_secret="secret-value",
    )
    assert read_mailboxes() == 0
    refused = Mailbox.objects.get()
    assert refused.status == Mailbox.Status.REFUSED
    assert "secret-value" not in refused.last_error
