"""A municipality's shared mailbox on the tests' own Dovecot, and mail to
put in it."""

import threading
from collections.abc import Callable, Iterator
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import pytest
from django.test import override_settings

from skranke.contact_centre.models import Topic
from skranke.core.models import Location
from skranke.inquiries import imap_client
from skranke.inquiries.models import Mailbox
from tests.mail_servers import ImapServer
from tests.smtp_sink import SmtpSink

BORGERSERVICE = "borgerservice@testkommune.dk"

Mail = Callable[..., bytes]


@pytest.fixture
def mailbox(centre: Location, imap_server: ImapServer) -> Iterator[Mailbox]:
    """The centre's municipality's mailbox, signed in with a password, its
    server's certificate checked against the tests' authority."""
    with override_settings(MAILBOX_CA_FILE=str(imap_server.ca_path)):
        yield Mailbox.objects.create(
            municipality=centre.municipality,
            name="Borgerservice",
            address=BORGERSERVICE,
            host=imap_server.host,
            port=imap_server.port,
            username=imap_server.user,
            password=imap_server.password,
            location=centre,
        )


@pytest.fixture
def sending_by_smtp(smtp_sink: SmtpSink) -> Iterator[SmtpSink]:
    """The outbox sends e-mail by SMTP to the tests' sink."""
    with override_settings(
        EMAIL_TRANSPORT="email",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST=smtp_sink.host,
        EMAIL_PORT=smtp_sink.port,
        EMAIL_USE_TLS=False,
        EMAIL_HOST_USER="",
        EMAIL_HOST_PASSWORD="",
    ):
        yield smtp_sink


@pytest.fixture
def idling(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Set once the server has said it idles ("+ idling"), in any thread."""
    began = threading.Event()
    readline = imap_client._Connection.readline

    def noting_idle(self: imap_client._Connection) -> bytes:
        line = readline(self)
        if line.startswith(b"+ idling"):
            began.set()
        return line

    monkeypatch.setattr(imap_client._Connection, "readline", noting_idle)
    return began


@pytest.fixture
def passport_topic(centre: Location) -> Topic:
    return Topic.objects.create(municipality=centre.municipality, name_da="Pas", name_en="Passport")


def mail(
    *,
    sender: str = "Jens Hansen <jens@example.dk>",
    to: str = BORGERSERVICE,
    subject: str = "Mit pas er udløbet",
    text: str = "Hej\n\nHvordan får jeg et nyt pas?\n\nJens",
    html: str = "",
    message_id: str = "",
    in_reply_to: str = "",
    references: str = "",
    headers: dict[str, str] | None = None,
    sent_at: datetime | None = None,
) -> bytes:
    """A citizen's mail as a mail program sends it."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = message_id or make_msgid(domain="example.dk")
    if sent_at is not None:
        message["Date"] = format_datetime(sent_at)
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    if references:
        message["References"] = references
    for name, value in (headers or {}).items():
        message[name] = value
    if html and not text:
        message.set_content(html, subtype="html")
    else:
        message.set_content(text)
        if html:
            message.add_alternative(html, subtype="html")
    return bytes(message)
