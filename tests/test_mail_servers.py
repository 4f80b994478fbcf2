"""The mail servers the shared mailbox's tests run against (tests/mail_servers.py):
Dovecot over IMAPS and the SMTP sink, driven here with the standard library's
own clients, as a check that the fixtures serve what those tests need."""

import base64
import imaplib
import smtplib
import ssl
from email.message import EmailMessage

import pytest

from tests.mail_servers import Dovecot, ImapServer
from tests.smtp_sink import SmtpSink

QUESTION = (
    b"From: Borger <borger@example.dk>\r\n"
    b"To: Kontaktcenter <kontakt@testkommune.dk>\r\n"
    b"Subject: =?utf-8?q?Sp=C3=B8rgsm=C3=A5l_om_pas?=\r\n"
    b"Message-ID: <spoergsmaal-1@example.dk>\r\n"
    b"Date: Mon, 07 Dec 2026 09:00:00 +0100\r\n"
    b"MIME-Version: 1.0\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"Content-Transfer-Encoding: 8bit\r\n"
    b"\r\n"
    b"Hvorn\xc3\xa5r kan jeg hente mit pas?\r\n"
)


def reply_to_question() -> EmailMessage:
    reply = EmailMessage()
    reply["From"] = "Kontaktcenter <kontakt@testkommune.dk>"
    reply["To"] = "Borger <borger@example.dk>"
    reply["Subject"] = "Sv: Spørgsmål om pas"
    reply["Message-ID"] = "<svar-1@testkommune.dk>"
    reply["In-Reply-To"] = "<spoergsmaal-1@example.dk>"
    reply["References"] = "<spoergsmaal-1@example.dk>"
    reply.set_content("Dit pas kan hentes fra torsdag.\n.\nMed venlig hilsen\n")
    return reply


def imaps(server: ImapServer, context: ssl.SSLContext | None = None) -> imaplib.IMAP4_SSL:
    context = context or ssl.create_default_context(cafile=str(server.ca_path))
    return imaplib.IMAP4_SSL(server.host, server.port, ssl_context=context, timeout=30)


# --- IMAP ------------------------------------------------------------------------


def test_it_signs_in_over_imaps_with_a_certificate_the_test_ca_vouches_for(
    imap_server: ImapServer,
) -> None:
    client = imaps(imap_server)
    assert client.sock.getpeercert()["subjectAltName"] == (  # type: ignore[attr-defined]
        ("IP Address", "127.0.0.1"),
        ("DNS", "localhost"),
    )
    assert client.login(imap_server.user, imap_server.password)[0] == "OK"
    client.logout()


def test_a_client_trusting_only_the_system_cas_refuses_the_server(imap_server: ImapServer) -> None:
    with pytest.raises(ssl.SSLCertVerificationError):
        imaps(imap_server, ssl.create_default_context())


def test_it_refuses_a_wrong_password(imap_server: ImapServer) -> None:
    client = imaps(imap_server)
    with pytest.raises(imaplib.IMAP4.error, match="AUTHENTICATIONFAILED"):
        client.login(imap_server.user, "forkert")
    client.logout()


def test_xoauth2_signs_in_with_the_token_and_not_with_the_password(
    imap_server: ImapServer,
) -> None:
    def xoauth2(secret: str) -> bytes:
        return f"user={imap_server.user}\1auth=Bearer {secret}\1\1".encode()

    client = imaps(imap_server)
    with pytest.raises(imaplib.IMAP4.error):
        client.authenticate("XOAUTH2", lambda _: xoauth2(imap_server.password))
    assert client.authenticate("XOAUTH2", lambda _: xoauth2(imap_server.oauth_token))[0] == "OK"
    client.logout()
    client = imaps(imap_server)
    with pytest.raises(imaplib.IMAP4.error):
        client.login(imap_server.user, imap_server.oauth_token)
    client.logout()


def test_a_delivered_message_arrives_unseen_and_can_be_fetched(imap_server: ImapServer) -> None:
    uid = imap_server.deliver(QUESTION)

    client = imap_server.connect()
    client.select("INBOX")
    assert client.uid("SEARCH", "UNSEEN")[1] == [str(uid).encode()]
    _, data = client.uid("FETCH", str(uid), "(BODY.PEEK[])")
    client.logout()
    assert data[0][1] == QUESTION
    [stored] = imap_server.messages()
    assert stored.uid == uid
    assert r"\Seen" not in stored.flags
    assert stored.message["Subject"] == "Spørgsmål om pas"
    assert stored.message.get_content() == "Hvornår kan jeg hente mit pas?\n"


def test_the_answered_flag_set_by_a_client_is_kept(imap_server: ImapServer) -> None:
    uid = imap_server.deliver(QUESTION)

    client = imap_server.connect()
    client.select("INBOX")
    assert client.uid("STORE", str(uid), "+FLAGS", r"(\Answered)")[0] == "OK"
    client.logout()

    [stored] = imap_server.messages()
    assert r"\Answered" in stored.flags
    assert r"\Seen" not in stored.flags


def test_a_reply_appended_to_sent_is_kept_in_the_question_s_thread(
    imap_server: ImapServer,
) -> None:
    imap_server.deliver(QUESTION)
    assert {"INBOX", "Sent", "Drafts", "Trash"} <= set(imap_server.mailboxes())

    client = imap_server.connect()
    result = client.append("Sent", r"(\Seen)", "", reply_to_question().as_bytes())
    client.logout()

    assert result[0] == "OK"
    [sent] = imap_server.messages("Sent")
    assert sent.flags >= {r"\Seen"}
    assert sent.message["In-Reply-To"] == "<spoergsmaal-1@example.dk>"
    assert sent.message["References"] == "<spoergsmaal-1@example.dk>"
    [question] = imap_server.messages("INBOX")
    assert question.message["Message-ID"] == sent.message["In-Reply-To"]


def test_each_mailbox_starts_empty_and_holds_only_its_own_mail(dovecot: Dovecot) -> None:
    first, second = dovecot.add_mailbox(), dovecot.add_mailbox()
    first.deliver(QUESTION)

    assert len(first.messages()) == 1
    assert second.messages() == []
    assert second.messages("Sent") == []


# --- SMTP ------------------------------------------------------------------------


def test_the_sink_keeps_a_message_sent_without_tls(smtp_sink: SmtpSink) -> None:
    with smtplib.SMTP(smtp_sink.host, smtp_sink.port, timeout=30) as client:
        client.send_message(reply_to_question())

    [envelope] = smtp_sink.envelopes
    assert envelope.mail_from == "kontakt@testkommune.dk"
    assert envelope.rcpt_tos == ("borger@example.dk",)
    assert (envelope.authenticated_as, envelope.over_tls) == (None, False)
    [message] = smtp_sink.messages
    assert message["Subject"] == "Sv: Spørgsmål om pas"
    assert message["In-Reply-To"] == "<spoergsmaal-1@example.dk>"
    # The line holding only "." came through dot-stuffing intact.
    assert message.get_content() == "Dit pas kan hentes fra torsdag.\n.\nMed venlig hilsen\n"


def test_the_sink_offers_auth_only_after_starttls(smtp_sink: SmtpSink) -> None:
    with smtplib.SMTP(smtp_sink.host, smtp_sink.port, timeout=30) as client:
        client.ehlo()
        assert not client.has_extn("auth")
        with pytest.raises(smtplib.SMTPNotSupportedError):
            client.login(smtp_sink.user, smtp_sink.password)
        client.starttls(context=smtp_sink.ssl_context())
        client.ehlo()
        assert client.has_extn("auth")
        with pytest.raises(smtplib.SMTPAuthenticationError):
            client.login(smtp_sink.user, "forkert")
        client.login(smtp_sink.user, smtp_sink.password)
        client.send_message(reply_to_question())

    [envelope] = smtp_sink.envelopes
    assert (envelope.authenticated_as, envelope.over_tls) == (smtp_sink.user, True)


@pytest.mark.parametrize("mechanism", ["PLAIN", "LOGIN"])
def test_the_sink_accepts_its_password_by_either_mechanism(
    smtp_sink: SmtpSink, mechanism: str
) -> None:
    with smtplib.SMTP(smtp_sink.host, smtp_sink.port, timeout=30) as client:
        client.starttls(context=smtp_sink.ssl_context())
        client.user, client.password = smtp_sink.user, smtp_sink.password
        authobject = client.auth_plain if mechanism == "PLAIN" else client.auth_login
        assert client.auth(mechanism, authobject)[0] == 235
        client.sendmail("kontakt@testkommune.dk", ["borger@example.dk"], QUESTION)

    assert smtp_sink.envelopes[0].authenticated_as == smtp_sink.user
    assert smtp_sink.envelopes[0].data == QUESTION


def test_the_sink_accepts_xoauth2_with_its_token(smtp_sink: SmtpSink) -> None:
    def xoauth2(secret: str) -> str:
        return f"user={smtp_sink.user}\1auth=Bearer {secret}\1\1"

    with smtplib.SMTP(smtp_sink.host, smtp_sink.port, timeout=30) as client:
        client.starttls(context=smtp_sink.ssl_context())
        client.ehlo()
        with pytest.raises(smtplib.SMTPAuthenticationError):
            client.auth("XOAUTH2", lambda challenge=None: xoauth2(smtp_sink.password))
        client.auth("XOAUTH2", lambda challenge=None: xoauth2(smtp_sink.oauth_token))
        client.send_message(reply_to_question())

    assert smtp_sink.envelopes[0].authenticated_as == smtp_sink.user


def test_the_sink_answers_a_malformed_auth_without_failing(smtp_sink: SmtpSink) -> None:
    with smtplib.SMTP(smtp_sink.host, smtp_sink.port, timeout=30) as client:
        client.starttls(context=smtp_sink.ssl_context())
        client.ehlo()
        assert client.docmd("AUTH", "PLAIN not-base64!")[0] == 501
        plain = base64.b64encode(b"no separators").decode()
        assert client.docmd("AUTH", f"PLAIN {plain}")[0] == 501
        assert client.docmd("AUTH", "CRAM-MD5")[0] == 504
        assert client.noop()[0] == 250
