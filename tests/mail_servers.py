"""Real mail servers for the tests of the shared mailbox: Debian's Dovecot as
the IMAP server, over TLS on 127.0.0.1, and an SMTP sink (tests/smtp_sink.py)
that keeps what it is sent.

One Dovecot serves the whole session (`dovecot`); every test that asks for
`imap_server` gets a mailbox of its own on it, a new user, so no test sees
another's mail. Dovecot runs from a throwaway folder and configuration, on a
port of its own and never as root: under root (CI) as Debian's `dovecot` user,
otherwise as whoever runs the tests. Under CI=true a missing Dovecot is a
failure, never a skip; scripts/ensure-mail-servers installs it (make test
runs it)."""

import contextlib
import email.policy
import grp
import imaplib
import itertools
import os
import pwd
import re
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest

from tests.mail_tls import HOST, MailTls, make_mail_tls
from tests.smtp_sink import SmtpSink, start_smtp_sink

DOVECOT = Path("/usr/sbin/dovecot")
DOVECOT_IMAP = Path("/usr/lib/dovecot/imap")  # Debian's dovecot-imapd
# How long Dovecot may take to listen: a ceiling for a busy CI machine, not
# a measure (it listens within a fraction of a second).
STARTUP_TIMEOUT = 60.0
MAILBOXES = {"Sent": r"\Sent", "Drafts": r"\Drafts", "Trash": r"\Trash"}


# --- Dovecot -------------------------------------------------------------------


@dataclass(frozen=True)
class StoredMessage:
    """A message as the IMAP server holds it."""

    uid: int
    flags: frozenset[str]
    message: EmailMessage


@dataclass(frozen=True)
class ImapServer:
    """A mailbox of the test's own on the session's Dovecot, over IMAPS (TLS
    from the first byte; Dovecot offers no plaintext port). `password` signs
    in with LOGIN or AUTHENTICATE PLAIN; `oauth_token` with AUTHENTICATE
    XOAUTH2 or OAUTHBEARER, and neither works in the other's place."""

    host: str
    port: int
    user: str
    password: str
    oauth_token: str
    ca_path: Path

    def ssl_context(self) -> ssl.SSLContext:
        """A client context that verifies the server against the test CA."""
        return ssl.create_default_context(cafile=str(self.ca_path))

    def connect(self) -> imaplib.IMAP4_SSL:
        """A client signed in with the password."""
        client = imaplib.IMAP4_SSL(self.host, self.port, ssl_context=self.ssl_context(), timeout=30)
        client.login(self.user, self.password)
        return client

    def deliver(self, raw: bytes, *, mailbox: str = "INBOX", flags: str = "") -> int:
        """Put a message into the mailbox (by IMAP APPEND) as newly arrived
        mail, unseen unless `flags` says otherwise (r"\\Seen"); its UID."""
        with self._session() as client:
            data = _ok(client.append(mailbox, f"({flags})", "", raw))
        found = re.search(rb"APPENDUID \d+ (\d+)", data[0] or b"")
        assert found, f"Dovecot gave no UID for the message: {data!r}"
        return int(found.group(1))

    def messages(self, mailbox: str = "INBOX") -> list[StoredMessage]:
        """What the mailbox holds now, oldest first, with each message's
        flags. Reading sets no flag (EXAMINE, BODY.PEEK)."""
        with self._session() as client:
            _ok(client.select(_quoted(mailbox), readonly=True))
            data = _ok(client.uid("FETCH", "1:*", "(UID FLAGS BODY.PEEK[])"))
        return [_stored(head, body) for head, body in _fetched(data)]

    def mailboxes(self) -> list[str]:
        with self._session() as client:
            data = _ok(client.list())
        return [_mailbox_name(line) for line in data if isinstance(line, bytes)]

    @contextlib.contextmanager
    def _session(self) -> Iterator[imaplib.IMAP4_SSL]:
        client = self.connect()
        try:
            yield client
        finally:
            with contextlib.suppress(imaplib.IMAP4.error, OSError):
                client.logout()


def _ok(response: object) -> list[Any]:
    """The data of an answer imaplib gives as (status, data), which must be OK."""
    assert isinstance(response, tuple), response
    assert response[0] == "OK", f"Dovecot answered {response!r}"
    return list(response[1])


def _quoted(mailbox: str) -> str:
    return '"' + mailbox.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _mailbox_name(line: bytes) -> str:
    # (\HasNoChildren \Sent) "." Sent  or  ... "." "Name with spaces"
    name = line.decode().rsplit(' "." ', 1)[-1]
    return name[1:-1] if name.startswith('"') else name


def _fetched(data: list[Any]) -> list[tuple[bytes, bytes]]:
    """imaplib's FETCH answer as (items, literal) pairs: an item after the
    literal (FLAGS may come last) is in the bytes that follow the tuple."""
    found: list[tuple[bytes, bytes]] = []
    for part in data:
        if isinstance(part, tuple):
            found.append((part[0], part[1]))
        elif isinstance(part, bytes) and found:
            found[-1] = (found[-1][0] + part, found[-1][1])
    return found


def _stored(head: bytes, body: bytes) -> StoredMessage:
    uid = re.search(rb"UID (\d+)", head)
    flags = re.search(rb"FLAGS \(([^)]*)\)", head)
    assert uid, f"unexpected FETCH answer {head!r}"
    assert flags, f"unexpected FETCH answer {head!r}"
    return StoredMessage(
        uid=int(uid.group(1)),
        flags=frozenset(flags.group(1).decode().split()),
        message=parse_message(body),
    )


def parse_message(raw: bytes) -> EmailMessage:
    """A message as Python's email package reads it, its lines ending as
    Python writes them (on the wire and in Dovecot they end in CRLF)."""
    parser = BytesParser(policy=email.policy.default)
    return parser.parsebytes(raw.replace(b"\r\n", b"\n"))


class DovecotUnavailable(Exception):
    pass


def dovecot_unavailable() -> str | None:
    """Why Dovecot cannot serve the tests here, if it cannot."""
    if not (DOVECOT.exists() and DOVECOT_IMAP.exists()):
        return (
            f"the mail tests need Debian's Dovecot ({DOVECOT}, {DOVECOT_IMAP}: dovecot-imapd); "
            "scripts/ensure-mail-servers installs it (make test runs it)"
        )
    version = subprocess.run(
        [DOVECOT, "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    # 2.4 (Debian 13) renamed most of the settings written below.
    if not version.startswith("2.3."):
        return f"tests/mail_servers.py writes a Dovecot 2.3 configuration, but this is {version!r}"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("dovecot")
        except KeyError:
            return "running as root, the tests start Dovecot as the dovecot user, which is missing"
    return None


class Dovecot:
    """Debian's Dovecot with a configuration of its own in `folder`, on a free
    port of 127.0.0.1. Started by root, it runs as the `dovecot` user that
    Debian's package makes; otherwise as the user running the tests."""

    def __init__(self, *, tls: MailTls) -> None:
        self.tls = tls
        self.host = HOST
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self._account = pwd.getpwnam("dovecot") if os.geteuid() == 0 else pwd.getpwuid(os.geteuid())
        self._users = itertools.count(1)
        # Not under pytest's basetemp: its folders are private to the user
        # running the tests, and Unix sockets want a short path.
        self.folder = Path(tempfile.mkdtemp(prefix="skranke-dovecot-"))
        for name in ("run", "state", "home", "passwords", "oauth-tokens"):
            (self.folder / name).mkdir()
        shutil.copy(tls.cert_path, self.folder / "cert.pem")
        shutil.copy(tls.key_path, self.folder / "key.pem")
        for name in ("dovecot.log", "dovecot.conf"):
            (self.folder / name).touch()
        self._hand_over(self.folder, *self.folder.rglob("*"))

    def start(self) -> None:
        """Start Dovecot and return once it answers over TLS."""
        for _ in range(3):
            self.port = _free_port()
            (self.folder / "dovecot.conf").write_text(self._configuration())
            # Emptied for each try, then shared with Dovecot: both append.
            (self.folder / "dovecot.log").write_bytes(b"")
            log = (self.folder / "dovecot.log").open("ab")
            # Root starts it as the account (setuid before exec), never as root.
            root = os.geteuid() == 0
            self.process = subprocess.Popen(
                [DOVECOT, "-F", "-c", self.folder / "dovecot.conf"],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                user=self._account.pw_uid if root else None,
                group=self._account.pw_gid if root else None,
                extra_groups=[] if root else None,
            )
            log.close()
            if self._wait_until_listening():
                return
            # Another process took the free port before Dovecot bound it.
        raise DovecotUnavailable(f"Dovecot could not find a free port:\n{self.log()}")

    def stop(self) -> None:
        """Stop Dovecot (its own processes end with it) and remove its folder."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)

    def add_mailbox(self) -> ImapServer:
        """A new user, whose mailbox (INBOX, Sent, Drafts, Trash) is empty."""
        number = next(self._users)
        mailbox = ImapServer(
            host=self.host,
            port=self.port,
            user=f"postkasse{number}@testkommune.dk",
            password=f"adgangskode-{number}",
            oauth_token=f"oauth-token-{number}",
            ca_path=self.tls.ca_path,
        )
        # A passwd-file of its own for each user, read on the user's first
        # lookup: Dovecot looks at a file it has read again at most once a
        # second, so a user added to a shared one could go unseen.
        self._write("passwords", mailbox.user, f"{mailbox.user}:{{PLAIN}}{mailbox.password}")
        self._write("oauth-tokens", mailbox.user, f"{mailbox.user}:{{PLAIN}}{mailbox.oauth_token}")
        return mailbox

    def log(self) -> str:
        path = self.folder / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def _write(self, folder: str, user: str, line: str) -> None:
        new = self.folder / folder / f".{user}"
        new.write_text(f"{line}::::::\n")
        self._hand_over(new)
        new.replace(new.with_name(user))

    def _hand_over(self, *paths: Path) -> None:
        """Make what root writes for Dovecot its account's own."""
        if os.geteuid() == 0:
            for path in paths:
                os.chown(path, self._account.pw_uid, self._account.pw_gid)

    def _wait_until_listening(self) -> bool:
        """Whether Dovecot came up on self.port (False: the port was taken)."""
        assert self.process
        deadline = time.monotonic() + STARTUP_TIMEOUT
        context = self.tls.client_context()
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                if "Address already in use" in self.log():
                    return False
                raise DovecotUnavailable(f"Dovecot stopped at start:\n{self.log()}")
            try:
                with (
                    socket.create_connection((self.host, self.port), timeout=5) as raw,
                    context.wrap_socket(raw, server_hostname=self.host) as connection,
                ):
                    if connection.recv(1024).startswith(b"* OK"):
                        return True
            except ssl.SSLCertVerificationError:
                raise
            except OSError:
                pass  # not listening yet
            time.sleep(0.02)
        raise DovecotUnavailable(
            f"Dovecot did not listen within {STARTUP_TIMEOUT:.0f} s:\n{self.log()}"
        )

    def _configuration(self) -> str:
        folder, account = self.folder, self._account
        group = grp.getgrgid(account.pw_gid).gr_name
        mailboxes = "".join(
            f"  mailbox {name} {{\n    special_use = {use}\n    auto = subscribe\n  }}\n"
            for name, use in MAILBOXES.items()
        )
        return f"""\
# Written by tests/mail_servers.py for one test session (Dovecot 2.3).
instance_name = skranke-tests-{self.port}
base_dir = {folder}/run
state_dir = {folder}/state
log_path = {folder}/dovecot.log
protocols = imap
listen = {self.host}

# One account for every process, and no chroot: so it runs unprivileged.
default_login_user = {account.pw_name}
default_internal_user = {account.pw_name}
default_internal_group = {group}
first_valid_uid = {account.pw_uid}
last_valid_uid = {account.pw_uid}
first_valid_gid = {account.pw_gid}
last_valid_gid = {account.pw_gid}
service imap-login {{
  chroot =
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    port = {self.port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
  unix_listener anvil-auth-penalty {{
    path = anvil-auth-penalty-unused
  }}
}}
service auth-worker {{
  user = $default_internal_user
}}

ssl = required
ssl_cert = <{folder}/cert.pem
ssl_key = <{folder}/key.pem
disable_plaintext_auth = yes

# Passwords for LOGIN and PLAIN, OAuth tokens for XOAUTH2 and OAUTHBEARER
# (Dovecot 2.3 checks a token as a password in the passdb), a passwd-file
# for each user. Wrong ones are refused within half a second (Dovecot
# answers failures twice a second), without the 2-15 s penalty for the
# failures before from the same address (anvil's penalty socket is moved
# where the auth process does not look: it then keeps no penalties).
auth_mechanisms = plain login xoauth2 oauthbearer
auth_failure_delay = 0
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {folder}/passwords/%u
  mechanisms = plain login
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {folder}/oauth-tokens/%u
  mechanisms = xoauth2 oauthbearer
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {folder}/passwords/%u
  default_fields = uid={account.pw_uid} gid={account.pw_gid} home={folder}/home/%u
}}

mail_location = maildir:~/Maildir
namespace inbox {{
  inbox = yes
{mailboxes}}}
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


# --- Fixtures -------------------------------------------------------------------


def _unavailable(reason: str) -> None:
    """Under CI the mail tests must run: what keeps them from it fails them."""
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def mail_tls(tmp_path_factory: pytest.TempPathFactory) -> MailTls:
    return make_mail_tls(tmp_path_factory.mktemp("mail-tls"))


@pytest.fixture(scope="session")
def dovecot(mail_tls: MailTls) -> Iterator[Dovecot]:
    """The session's Dovecot, started on first use and stopped at the end."""
    reason = dovecot_unavailable()
    if reason:
        _unavailable(reason)
    server = Dovecot(tls=mail_tls)
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def imap_server(dovecot: Dovecot) -> ImapServer:
    """An empty mailbox of the test's own on the session's Dovecot."""
    return dovecot.add_mailbox()


@pytest.fixture
def smtp_sink(mail_tls: MailTls) -> Iterator[SmtpSink]:
    """An SMTP server of the test's own that accepts and keeps every message."""
    with start_smtp_sink(tls=mail_tls.server_context(), ca_path=mail_tls.ca_path) as sink:
        yield sink
