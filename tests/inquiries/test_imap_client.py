"""The shared mailbox's IMAP client (skranke/inquiries/imap_client.py)
against a real Dovecot over TLS (tests/mail_servers.py), a mailbox of the
test's own each time."""

import socket
import threading
from dataclasses import replace

import pytest

from skranke.inquiries import imap_client
from skranke.inquiries.imap_client import (
    FetchedBatch,
    MailboxAccess,
    MailboxFolderMissing,
    MailboxSignInRefused,
    MailboxUnreachable,
    open_mailbox,
)
from tests.mail_servers import ImapServer


def mail(number: int, *, message_id: str = "", text: str = "") -> bytes:
    """A citizen's mail as it comes over the wire (CRLF line ends)."""
    message_id = message_id or f"<spoergsmaal-{number}@example.dk>"
    text = text or f"Hvornår kan jeg hente mit pas? (nr. {number})"
    return (
        f"From: Borger {number} <borger{number}@example.dk>\r\n"
        "To: Borgerservice <borgerservice@testkommune.dk>\r\n"
        f"Subject: =?utf-8?q?Sp=C3=B8rgsm=C3=A5l_{number}?=\r\n"
        f"Message-ID: {message_id}\r\n"
        "Date: Mon, 07 Dec 2026 09:00:00 +0100\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: 8bit\r\n"
        "\r\n"
        f"{text}\r\n"
    ).encode()


def by_password(server: ImapServer) -> MailboxAccess:
    return MailboxAccess(
        host=server.host,
        port=server.port,
        username=server.user,
        folder="INBOX",
        password=server.password,
        ssl_context=server.ssl_context(),
    )


def by_token(server: ImapServer, token: str = "") -> MailboxAccess:
    return replace(by_password(server), password="", access_token=token or server.oauth_token)


def fetch(
    access: MailboxAccess,
    *,
    uid_validity: int | None = None,
    after_uid: int = 0,
    max_bytes: int = 25_000_000,
) -> FetchedBatch:
    """What one session's fetch_new gives."""
    with open_mailbox(access=access) as session:
        return session.fetch_new(
            uid_validity=uid_validity, after_uid=after_uid, max_bytes=max_bytes
        )


def flags_by_uid(server: ImapServer) -> dict[int, frozenset[str]]:
    return {stored.uid: stored.flags for stored in server.messages()}


# --- Signing in -------------------------------------------------------------------


def test_it_signs_in_with_the_password_and_fetches_the_mail(imap_server: ImapServer) -> None:
    first = imap_server.deliver(mail(1))
    second = imap_server.deliver(mail(2))

    batch = fetch(by_password(imap_server))

    assert batch.uid_validity > 0
    assert [(m.uid, m.raw, m.size, m.cut) for m in batch.mails] == [
        (first, mail(1), len(mail(1)), False),
        (second, mail(2), len(mail(2)), False),
    ]
    assert not batch.more


def test_it_signs_in_with_an_oauth_token_by_xoauth2_and_fetches_the_mail(
    imap_server: ImapServer,
) -> None:
    uid = imap_server.deliver(mail(1))

    batch = fetch(by_token(imap_server))

    assert [(m.uid, m.raw) for m in batch.mails] == [(uid, mail(1))]


@pytest.mark.parametrize("password", ["forkert-kode", "adgangskode-æøå"])
def test_a_wrong_password_is_refused_and_not_repeated(
    imap_server: ImapServer, password: str
) -> None:
    with pytest.raises(MailboxSignInRefused) as refused:
        fetch(replace(by_password(imap_server), password=password))

    assert imap_server.user in str(refused.value)
    assert password not in str(refused.value)
    assert "æ" not in str(refused.value)
    assert refused.value.__cause__ is None
    assert refused.value.__suppress_context__


def test_a_wrong_token_is_refused_and_not_repeated(imap_server: ImapServer) -> None:
    with pytest.raises(MailboxSignInRefused) as refused:
        fetch(by_token(imap_server, "eyJ0eXAi.udloebet-token"))

    assert "AUTHENTICATIONFAILED" in str(refused.value)
    assert "udloebet" not in str(refused.value)


def test_the_password_does_not_sign_in_as_a_token(imap_server: ImapServer) -> None:
    # Microsoft 365 takes no password: the token must be the one sent.
    with pytest.raises(MailboxSignInRefused):
        fetch(by_token(imap_server, imap_server.password))


def test_the_access_shows_neither_password_nor_token(imap_server: ImapServer) -> None:
    shown = repr(replace(by_password(imap_server), access_token=imap_server.oauth_token))
    assert imap_server.password not in shown
    assert imap_server.oauth_token not in shown


# --- Reaching the server --------------------------------------------------------


def test_a_port_nobody_listens_on_is_unreachable(imap_server: ImapServer) -> None:
    with socket.socket() as probe:
        probe.bind((imap_server.host, 0))
        port = probe.getsockname()[1]

    with pytest.raises(MailboxUnreachable, match=f"{imap_server.host}:{port}"):
        fetch(replace(by_password(imap_server), port=port, timeout=10))


def test_a_server_whose_certificate_is_not_trusted_is_unreachable(
    imap_server: ImapServer,
) -> None:
    # No context of its own: the system's authorities, which do not know
    # the test CA, as they would not know a forged server's.
    with pytest.raises(MailboxUnreachable, match="CERTIFICATE_VERIFY_FAILED"):
        fetch(replace(by_password(imap_server), ssl_context=None))


def test_a_folder_that_does_not_exist_is_missing(imap_server: ImapServer) -> None:
    imap_server.deliver(mail(1))

    with pytest.raises(MailboxFolderMissing, match="Borgerservice"):
        fetch(replace(by_password(imap_server), folder="Borgerservice"))


def test_a_folder_with_a_danish_name_is_read(imap_server: ImapServer) -> None:
    # "Kø" as IMAP names it (modified UTF-7, RFC 3501 5.1.3).
    client = imap_server.connect()
    assert client.create("K&APg-")[0] == "OK"
    client.logout()
    uid = imap_server.deliver(mail(1), mailbox="K&APg-")
    imap_server.deliver(mail(2))

    batch = fetch(replace(by_password(imap_server), folder="Kø"))

    assert [(m.uid, m.raw) for m in batch.mails] == [(uid, mail(1))]


# --- Fetching -------------------------------------------------------------------


def test_fetching_after_a_uid_gives_only_the_newer_mail_in_order(
    imap_server: ImapServer,
) -> None:
    uids = [imap_server.deliver(mail(number)) for number in (1, 2, 3, 4)]
    validity = fetch(by_password(imap_server)).uid_validity

    with open_mailbox(access=by_password(imap_server)) as session:
        newer = session.fetch_new(uid_validity=validity, after_uid=uids[1])
        first = session.fetch_new(uid_validity=validity, after_uid=uids[1], limit=1)
        rest = session.fetch_new(uid_validity=validity, after_uid=first.mails[-1].uid, limit=1)
        none = session.fetch_new(uid_validity=validity, after_uid=uids[3])

    assert [m.uid for m in newer.mails] == uids[2:]
    assert [m.raw for m in newer.mails] == [mail(3), mail(4)]
    assert not newer.more
    assert ([m.uid for m in first.mails], first.more) == ([uids[2]], True)
    assert ([m.uid for m in rest.mails], rest.more) == ([uids[3]], False)
    # IMAP's "5:*" takes in the last mail even when its UID is 4.
    assert (none.mails, none.more) == ((), False)


def test_a_changed_uidvalidity_starts_from_the_first_mail(imap_server: ImapServer) -> None:
    uids = [imap_server.deliver(mail(number)) for number in (1, 2)]
    validity = fetch(by_password(imap_server)).uid_validity

    batch = fetch(by_password(imap_server), uid_validity=validity + 1, after_uid=uids[1])

    assert batch.uid_validity == validity
    assert [m.uid for m in batch.mails] == uids


def test_a_mail_larger_than_the_cap_comes_cut_with_its_whole_size(
    imap_server: ImapServer,
) -> None:
    large = mail(1, text="Vedhæftet ansøgning.\r\n" + "x" * 76 * 60)
    small = mail(2)
    uids = [imap_server.deliver(large), imap_server.deliver(small)]
    cap = len(small) + 10

    batch = fetch(by_password(imap_server), max_bytes=cap)

    [cut, whole] = batch.mails
    assert (cut.uid, cut.size, cut.cut, cut.raw) == (uids[0], len(large), True, large[:cap])
    assert (whole.uid, whole.size, whole.cut, whole.raw) == (uids[1], len(small), False, small)


def test_mail_fetched_in_many_pieces_comes_whole_and_in_order(
    imap_server: ImapServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each FETCH asks for one mail only.
    monkeypatch.setattr(imap_client, "FETCH_CHUNK_BYTES", 1)
    uids = [imap_server.deliver(mail(number)) for number in (1, 2, 3)]

    batch = fetch(by_password(imap_server))

    assert [m.uid for m in batch.mails] == uids
    assert [m.raw for m in batch.mails] == [mail(1), mail(2), mail(3)]


def test_a_batch_ends_at_its_byte_budget_and_says_more_waits(
    imap_server: ImapServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    uids = [imap_server.deliver(mail(number)) for number in (1, 2, 3)]
    monkeypatch.setattr(imap_client, "BATCH_BYTES", len(mail(1)) + len(mail(2)))

    with open_mailbox(access=by_password(imap_server)) as session:
        batch = session.fetch_new(uid_validity=None, after_uid=0)
        rest = session.fetch_new(uid_validity=batch.uid_validity, after_uid=batch.mails[-1].uid)

    assert ([m.uid for m in batch.mails], batch.more) == (uids[:2], True)
    assert ([m.uid for m in rest.mails], rest.more) == (uids[2:], False)


def test_fetching_marks_nothing_seen(imap_server: ImapServer) -> None:
    uids = [imap_server.deliver(mail(number)) for number in (1, 2)]

    assert len(fetch(by_password(imap_server)).mails) == 2

    assert flags_by_uid(imap_server) == {uid: frozenset() for uid in uids}


# --- Marking answered -------------------------------------------------------------


def test_marking_answered_flags_only_the_mail_with_that_message_id(
    imap_server: ImapServer,
) -> None:
    # The other's Message-ID holds this one's: IMAP's HEADER search finds both.
    other = imap_server.deliver(mail(1, message_id="<sv-spoergsmaal-1@example.dk>"))
    answered = imap_server.deliver(mail(2, message_id="<spoergsmaal-1@example.dk>"))

    with open_mailbox(access=by_password(imap_server)) as session:
        assert session.mark_answered(message_id="<spoergsmaal-1@example.dk>")

    assert flags_by_uid(imap_server) == {
        other: frozenset(),
        answered: frozenset({r"\Answered", r"\Seen"}),
    }


def test_marking_an_unknown_message_id_answered_changes_nothing(
    imap_server: ImapServer,
) -> None:
    uid = imap_server.deliver(mail(1))

    with open_mailbox(access=by_password(imap_server)) as session:
        assert not session.mark_answered(message_id="<ukendt@example.dk>")
        assert not session.mark_answered(message_id='<"\r\n" UID STORE 1:* +FLAGS (\\Deleted)>')
        assert not session.mark_answered(message_id="")

    assert flags_by_uid(imap_server) == {uid: frozenset()}


def test_a_session_removes_no_mail_from_the_folder(imap_server: ImapServer) -> None:
    # Marked for deletion by a colleague's mail client, not yet expunged: a
    # CLOSE at the end of the session would expunge it.
    deleted = imap_server.deliver(mail(1), flags=r"\Deleted")
    kept = imap_server.deliver(mail(2))

    with open_mailbox(access=by_password(imap_server)) as session:
        session.fetch_new(uid_validity=None, after_uid=0)
        session.mark_answered(message_id="<spoergsmaal-2@example.dk>")

    assert flags_by_uid(imap_server) == {
        deleted: frozenset({r"\Deleted"}),
        kept: frozenset({r"\Answered", r"\Seen"}),
    }


# --- Waiting for new mail -----------------------------------------------------------


def test_waiting_ends_when_mail_arrives_during_idle(
    imap_server: ImapServer, idling: threading.Event
) -> None:
    imap_server.deliver(mail(1))
    delivered: list[int] = []
    waited = threading.Event()

    def deliver_once_idle() -> None:
        # Only into the IDLE: not once the wait has ended without one.
        if idling.wait(timeout=60) and not waited.is_set():
            delivered.append(imap_server.deliver(mail(2)))

    with open_mailbox(access=by_password(imap_server)) as session:
        before = session.fetch_new(uid_validity=None, after_uid=0)
        deliverer = threading.Thread(target=deliver_once_idle)
        deliverer.start()
        try:
            # A ceiling, not a measure: the server tells at once.
            news = session.wait_for_new(seconds=120)
        finally:
            waited.set()
            idling.set()
            deliverer.join()
        after = session.fetch_new(uid_validity=before.uid_validity, after_uid=before.mails[-1].uid)

    assert news
    assert delivered, "the mail was not delivered during IDLE"
    assert [m.uid for m in after.mails] == delivered


def test_waiting_without_new_mail_ends_after_the_seconds_with_no_news(
    imap_server: ImapServer,
) -> None:
    # Mail there before the wait is no news.
    uid = imap_server.deliver(mail(1))

    with open_mailbox(access=by_password(imap_server)) as session:
        before = session.fetch_new(uid_validity=None, after_uid=0)
        news = session.wait_for_new(seconds=0.5)
        # The session goes on after IDLE.
        again = session.fetch_new(uid_validity=before.uid_validity, after_uid=0)
        assert session.mark_answered(message_id="<spoergsmaal-1@example.dk>")

    assert not news
    assert [m.uid for m in again.mails] == [uid]
