"""The shared mailbox's side of IMAP (RFC 3501) over TLS: signing in (a
password with LOGIN, or an OAuth 2 access token with AUTHENTICATE XOAUTH2),
fetching the mail that came after the last UID read, marking a mail
answered, and waiting for new mail with IDLE (RFC 2177).

Reading leaves the folder as it was but for flags: mail is fetched with
BODY.PEEK, so nothing becomes \\Seen by being read, and nothing is ever
expunged, moved or copied (the session ends with LOGOUT, never CLOSE,
which would expunge what others marked \\Deleted). Every failure comes out
as one of three exceptions, whose text keeps the server's words but never
a password or a token."""

import base64
import contextlib
import imaplib
import itertools
import re
import ssl
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from email.parser import BytesHeaderParser

# The bytes of mail (each cut at max_bytes) asked for in one FETCH, and in
# one batch: imaplib holds a whole answer in memory, and the caller a whole
# batch. A batch ends early, with `more`, once it has this much.
FETCH_CHUNK_BYTES = 10_000_000
BATCH_BYTES = 100_000_000
# UIDs whose sizes are asked for in one FETCH: a short command line.
SIZES_CHUNK = 500
# RFC 2177: a server may drop a client idle for 30 minutes; a longer wait is
# left to the caller, who asks again.
IDLE_AT_MOST_SECONDS = 25 * 60
# The longest line taken from the server (imaplib's own limit).
LONGEST_LINE = 1_000_000
RECEIVE_BYTES = 64 * 1024
# A tag of our own for IDLE, which imaplib cannot send: imaplib's tags are
# upper case, so no lower-case tag can be one it has in use.
IDLE_TAG = "skranke-idle-{}"
LITERAL_AT_END = re.compile(rb"\{(\d+)\}\r\n\Z")
EXISTS = re.compile(rb"\* \d+ EXISTS\b", re.IGNORECASE)
BYE = re.compile(rb"\* BYE\b", re.IGNORECASE)


class MailboxUnreachable(Exception):
    """The server cannot be reached or talked to: DNS, a refused connection,
    a timeout, TLS (a certificate not trusted), the server hanging up or
    answering what no IMAP server should."""


class MailboxSignInRefused(Exception):
    """The server refused to sign in: a wrong or expired password, a token
    refused, a user name unknown."""


class MailboxFolderMissing(Exception):
    """The folder to read cannot be selected: no such folder, or the user
    may not open it."""


@dataclass(frozen=True)
class MailboxAccess:
    """Where the mailbox is and how to sign in to it."""

    host: str
    port: int
    username: str
    folder: str
    # Sign in with LOGIN when there is a password, else with AUTHENTICATE
    # XOAUTH2 and the access token. Neither is shown by repr(): an access
    # may end up in a log.
    password: str = field(default="", repr=False)
    access_token: str = field(default="", repr=False)
    # None: the system's trusted certificate authorities, and the host name
    # checked (ssl.create_default_context()); never unverified.
    ssl_context: ssl.SSLContext | None = None
    # Seconds to wait at most for the connection and for each answer.
    timeout: float = 30.0


@dataclass(frozen=True)
class FetchedMail:
    uid: int
    size: int  # RFC822.SIZE: the whole mail's, even when raw is cut
    raw: bytes  # the whole mail, or its first max_bytes when it is larger
    cut: bool  # whether raw is only the start of a larger mail


@dataclass(frozen=True)
class FetchedBatch:
    uid_validity: int
    mails: tuple[FetchedMail, ...]  # in UID order
    more: bool  # more new mail waits than this batch holds


class _Connection(imaplib.IMAP4_SSL):
    """imaplib's client over TLS, reading through a buffer of its own.

    imaplib reads through a file object that cannot be read again once a
    read has timed out, and waiting for IDLE's news is a read that times
    out; the socket itself can. imaplib's documentation invites overriding
    read and readline."""

    def __init__(self, *, host: str, port: int, ssl_context: ssl.SSLContext, timeout: float):
        self._received = bytearray()
        super().__init__(host, port, ssl_context=ssl_context, timeout=timeout)

    def read(self, size: int) -> bytes:
        while len(self._received) < size:
            self._receive()
        data = bytes(self._received[:size])
        del self._received[:size]
        return data

    def readline(self) -> bytes:
        searched = 0
        while (end := self._received.find(b"\n", searched)) < 0:
            if len(self._received) > LONGEST_LINE:
                raise self.error(f"the server sent a line longer than {LONGEST_LINE} bytes")
            searched = len(self._received)
            self._receive()
        line = bytes(self._received[: end + 1])
        del self._received[: end + 1]
        return line

    def _receive(self) -> None:
        data = self.sock.recv(RECEIVE_BYTES)
        if not data:
            raise self.abort("the server closed the connection")
        self._received += data


@contextlib.contextmanager
def open_mailbox(*, access: MailboxAccess) -> Iterator["MailboxSession"]:
    """A session signed in to the mailbox, signed out when the block ends.

    Raises MailboxUnreachable and MailboxSignInRefused; the session's
    methods raise MailboxUnreachable and MailboxFolderMissing."""
    session = MailboxSession(client=_connect(access=access), access=access)
    try:
        session._sign_in()
        yield session
    finally:
        session._end()


class MailboxSession:
    """A signed-in connection to the mailbox (from open_mailbox). Not for
    use by two threads at once."""

    def __init__(self, *, client: _Connection, access: MailboxAccess) -> None:
        self._client = client
        self._access = access
        self._selected = False
        self._broken = False
        self._capabilities: frozenset[str] | None = None
        self._idle_refused = False
        self._idle_tags = itertools.count(1)

    def fetch_new(
        self,
        *,
        uid_validity: int | None,
        after_uid: int,
        limit: int = 100,
        max_bytes: int = 25_000_000,
    ) -> FetchedBatch:
        """The folder's mail with a UID above `after_uid`, at most `limit`
        of them, oldest first, each cut at `max_bytes`.

        UIDs count within one UIDVALIDITY only: when the folder's differs
        from `uid_validity` (or that is None), it starts from the first
        mail, and the caller knows the ones it has by their Message-ID."""
        if limit < 1 or max_bytes < 1:
            raise ValueError("limit and max_bytes must be at least 1")
        with self._talking():
            current = self._select()
            after = after_uid if uid_validity == current else 0
            uids = self._uids_after(after)
            sizes = self._sizes(uids[:limit])
            taken = _within_budget(sizes, max_bytes=max_bytes)
            bodies: dict[int, bytes] = {}
            for chunk in _chunks_by_bytes(taken, max_bytes=max_bytes):
                bodies.update(self._bodies(chunk, max_bytes=max_bytes))
        mails = tuple(
            FetchedMail(uid=uid, size=size, raw=bodies[uid], cut=size > max_bytes)
            for uid, size in taken
            if uid in bodies  # gone since the search: expunged by someone else
        )
        more = len(uids) > limit or len(taken) < len(sizes)
        return FetchedBatch(uid_validity=current, mails=mails, more=more)

    def mark_answered(self, *, message_id: str) -> bool:
        """Flag the folder's mail with this Message-ID \\Answered (and \\Seen,
        as a mail client answering it would); whether there was one."""
        wanted = _bare_message_id(message_id)
        # A Message-ID is printable ASCII (RFC 5322); anything else cannot
        # be a mail's, and must not reach the command line.
        if not wanted or not all(" " < char < "\x7f" for char in wanted):
            return False
        with self._talking():
            if not self._selected:
                self._select()
            status, data = self._client.uid("SEARCH", "HEADER", "Message-ID", _quoted(wanted))
            self._expect_ok(status, data, "UID SEARCH")
            candidates = _numbers(data)
            if not candidates:
                return False
            # SEARCH HEADER finds the text anywhere in the field: keep the
            # mails whose Message-ID is this one, not one containing it.
            status, data = self._client.uid(
                "FETCH", _uid_set(candidates), "(UID BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])"
            )
            self._expect_ok(status, data, "UID FETCH")
            matching = [
                uid
                for uid, header in _literals(data).items()
                if uid in candidates and _message_id_in(header) == wanted
            ]
            if not matching:
                return False
            status, data = self._client.uid(
                "STORE", _uid_set(matching), "+FLAGS.SILENT", r"(\Answered \Seen)"
            )
            self._expect_ok(status, data, "UID STORE")
        return True

    def wait_for_new(self, *, seconds: float) -> bool:
        """Wait with IDLE until the server tells of new mail in the folder,
        or `seconds` have passed (25 minutes at most); whether new mail may
        be there. Without IDLE on the server, True at once: the caller
        polls."""
        with self._talking():
            if not self._selected:
                self._select()
            # Told of already, while the session did something else.
            if any(self._client.response("EXISTS")[1]):
                return True
            if not self.can_wait():
                return True
            return self._idle(seconds=min(seconds, IDLE_AT_MOST_SECONDS))

    def can_wait(self) -> bool:
        """Whether the server tells of new mail (IDLE): if not, or if it
        refused IDLE once, the caller polls."""
        with self._talking():
            return "IDLE" in self._server_capabilities() and not self._idle_refused

    # --- The conversation --------------------------------------------------

    def _sign_in(self) -> None:
        """LOGIN with the password, else AUTHENTICATE XOAUTH2 with the token.

        The exceptions are not chained: what imaplib raised may hold the
        server's echo of what it was sent."""
        access = self._access
        who = f"{access.username} on {access.host}"
        if not access.password and not access.access_token:
            raise MailboxSignInRefused(
                f"{who}: neither a password nor an access token to sign in with"
            )
        try:
            if access.password:
                self._client.login(_quoted(access.username), access.password)
            else:
                self._client.authenticate("XOAUTH2", _xoauth2(access))
        except ValueError:  # UnicodeEncodeError (not ASCII), or a line break
            raise MailboxSignInRefused(
                f"{who}: the user name or password holds characters IMAP's LOGIN cannot carry"
            ) from None
        except imaplib.IMAP4.abort as error:
            self._broken = True
            text = _server_text(error.args, access=access)
            raise MailboxUnreachable(f"{self._where()}: {text}") from None
        except imaplib.IMAP4.error as error:
            text = _server_text(error.args, access=access)
            raise MailboxSignInRefused(f"{who}: {text}") from None
        except OSError as error:
            self._broken = True
            raise MailboxUnreachable(f"{self._where()}: {_reason(error)}") from None

    def _select(self) -> int:
        """SELECT the folder, read-write (so flags can be set); its
        UIDVALIDITY."""
        folder = self._access.folder
        status, data = self._client.select(_mailbox_name(folder))
        if status != "OK":
            raise MailboxFolderMissing(
                f"{self._access.host} has no folder {folder!r} to open: "
                f"{_server_text(data, access=self._access)}"
            )
        self._selected = True
        # What SELECT counted is no news: news is what comes after.
        self._client.response("EXISTS")
        found = [value for value in self._client.response("UIDVALIDITY")[1] if value]
        if not found or not isinstance(found[-1], bytes) or not found[-1].isdigit():
            raise MailboxUnreachable(f"{self._access.host} gave the folder no UIDVALIDITY")
        return int(found[-1])

    def _uids_after(self, after: int) -> list[int]:
        status, data = self._client.uid("SEARCH", f"UID {after + 1}:*")
        self._expect_ok(status, data, "UID SEARCH")
        # "n:*" always takes in the last mail, even when its UID is below n.
        return sorted(uid for uid in _numbers(data) if uid > after)

    def _sizes(self, uids: Sequence[int]) -> list[tuple[int, int]]:
        """(UID, RFC822.SIZE) of the mails, in UID order."""
        sizes: dict[int, int] = {}
        for start in range(0, len(uids), SIZES_CHUNK):
            chunk = uids[start : start + SIZES_CHUNK]
            status, data = self._client.uid("FETCH", _uid_set(chunk), "(UID RFC822.SIZE)")
            self._expect_ok(status, data, "UID FETCH")
            for part in data:
                head = part[0] if isinstance(part, tuple) else part
                uid = re.search(rb"\bUID (\d+)", head or b"")
                size = re.search(rb"\bRFC822\.SIZE (\d+)", head or b"")
                if uid and size and int(uid.group(1)) in chunk:
                    sizes[int(uid.group(1))] = int(size.group(1))
        return sorted(sizes.items())

    def _bodies(self, uids: Sequence[int], *, max_bytes: int) -> dict[int, bytes]:
        # A partial FETCH of a mail smaller than max_bytes gives it whole.
        status, data = self._client.uid(
            "FETCH", _uid_set(uids), f"(UID BODY.PEEK[]<0.{max_bytes}>)"
        )
        self._expect_ok(status, data, "UID FETCH")
        return {uid: raw for uid, raw in _literals(data).items() if uid in uids}

    def _server_capabilities(self) -> frozenset[str]:
        # Asked after signing in: a server may offer more to a signed-in
        # user than in its greeting.
        if self._capabilities is None:
            status, data = self._client.capability()
            self._expect_ok(status, data, "CAPABILITY")
            words = b" ".join(part for part in data if isinstance(part, bytes)).split()
            self._capabilities = frozenset(
                word.decode("ascii", "replace").upper() for word in words
            )
        return self._capabilities

    def _idle(self, *, seconds: float) -> bool:
        """IDLE (RFC 2177) until the server tells of new mail (EXISTS) or
        `seconds` have passed, then DONE; whether it told of new mail."""
        tag = IDLE_TAG.format(next(self._idle_tags)).encode()
        self._client.send(tag + b" IDLE\r\n")
        news = False
        while not (line := self._next_response()).startswith(b"+"):
            if line.startswith(tag + b" "):
                # IDLE refused after all: the caller polls.
                self._idle_refused = True
                return True
            news = news or bool(EXISTS.match(line))
        deadline = time.monotonic() + seconds
        while not news and (left := deadline - time.monotonic()) > 0:
            try:
                line = self._next_response(wait_at_most=left)
            except TimeoutError:
                break
            news = bool(EXISTS.match(line))
        self._client.send(b"DONE\r\n")
        while not (line := self._next_response()).startswith(tag + b" "):
            news = news or bool(EXISTS.match(line))
        return news

    def _next_response(self, *, wait_at_most: float | None = None) -> bytes:
        """The server's next response line while imaplib is not reading
        (during IDLE), with any literal in it read and left out. The first
        line is waited for `wait_at_most` seconds if given (TimeoutError
        after; nothing is lost)."""
        if wait_at_most is not None:
            self._client.sock.settimeout(wait_at_most)
        try:
            line = self._client.readline()
        finally:
            self._client.sock.settimeout(self._access.timeout)
        while literal := LITERAL_AT_END.search(line):
            self._client.read(int(literal.group(1)))
            line = line[: literal.start()] + self._client.readline()
        if BYE.match(line):
            raise self._client.abort(
                f"the server hung up: {_server_text([line], access=self._access)}"
            )
        return line

    def _expect_ok(self, status: str, data: Sequence[object], command: str) -> None:
        if status != "OK":
            raise MailboxUnreachable(
                f"{self._access.host} answered {command} with {status}: "
                f"{_server_text(data, access=self._access)}"
            )

    @contextlib.contextmanager
    def _talking(self) -> Iterator[None]:
        """imaplib's and the network's failures as MailboxUnreachable."""
        try:
            yield
        except imaplib.IMAP4.error as error:
            # The connection lost (abort), or a command the server answered
            # with BAD, or an answer imaplib could not read: a server not
            # to be talked to further.
            self._broken = True
            text = _server_text(error.args, access=self._access)
            raise MailboxUnreachable(f"{self._where()}: {text}") from error
        except OSError as error:
            self._broken = True
            raise MailboxUnreachable(f"{self._where()}: {_reason(error)}") from error

    def _where(self) -> str:
        return f"{self._access.host}:{self._access.port}"

    def _end(self) -> None:
        """Sign out (LOGOUT: never CLOSE, which expunges), or just hang up
        on a connection that failed, rather than wait for it again."""
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            if self._broken:
                self._client.shutdown()
            else:
                self._client.logout()


def _connect(*, access: MailboxAccess) -> _Connection:
    # imaplib's own default context verifies nothing: always pass one.
    context = access.ssl_context or ssl.create_default_context()
    try:
        return _Connection(
            host=access.host, port=access.port, ssl_context=context, timeout=access.timeout
        )
    except imaplib.IMAP4.error as error:
        text = _server_text(error.args, access=access)
        raise MailboxUnreachable(f"{access.host}:{access.port}: {text}") from error
    except OSError as error:
        raise MailboxUnreachable(f"{access.host}:{access.port}: {_reason(error)}") from error


def _xoauth2(access: MailboxAccess) -> Callable[[bytes], bytes]:
    """XOAUTH2's answers to the server (imaplib base64-encodes them)."""
    credentials = _xoauth2_credentials(access)
    answered = False

    def answer(challenge: bytes) -> bytes:
        nonlocal answered
        # The first continuation asks for the credentials. One after that
        # carries the server's reason for refusing them and wants an empty
        # answer, after which the server says NO.
        if answered:
            return b""
        answered = True
        return credentials

    return answer


def _xoauth2_credentials(access: MailboxAccess) -> bytes:
    return f"user={access.username}\x01auth=Bearer {access.access_token}\x01\x01".encode()


def _without_secrets(text: str, *, access: MailboxAccess) -> str:
    """`text` with the password and token blotted out, as they are and as
    XOAUTH2 sends the token: a server may echo what it was sent."""
    secrets = [access.password, access.access_token]
    if access.access_token:
        secrets.append(base64.b64encode(_xoauth2_credentials(access)).decode())
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


# --- IMAP's syntax ----------------------------------------------------------------


def _quoted(text: str) -> str:
    """An IMAP quoted string (RFC 3501, 4.3), which holds no line break."""
    if any(char in text for char in "\r\n\0"):
        raise ValueError("an IMAP string cannot hold a line break")
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _mailbox_name(folder: str) -> str:
    """The folder's name as IMAP writes it, quoted: modified UTF-7 (RFC 3501,
    5.1.3), so that Danish folder names (æ, ø, å) can be read."""
    written: list[str] = []
    other: list[str] = []

    def write_other() -> None:
        if other:
            data = base64.b64encode("".join(other).encode("utf-16-be")).decode()
            written.append("&" + data.rstrip("=").replace("/", ",") + "-")
            other.clear()

    for char in folder:
        if " " <= char <= "~":
            write_other()
            written.append("&-" if char == "&" else char)
        else:
            other.append(char)
    write_other()
    return _quoted("".join(written))


def _uid_set(uids: Iterable[int]) -> str:
    return ",".join(str(uid) for uid in uids)


def _numbers(data: Sequence[object]) -> list[int]:
    """The numbers of a SEARCH answer."""
    words = b" ".join(part for part in data if isinstance(part, bytes)).split()
    return [int(word) for word in words if word.isdigit()]


def _literals(data: Sequence[object]) -> dict[int, bytes]:
    """The literal (a body, a header) of each mail in a UID FETCH answer, by
    UID. imaplib gives a response with a literal as (what came before it,
    the literal), then what followed it (UID may come last) as bytes; a
    response that begins with a number is another mail's (a flag changed
    by someone else), without a literal."""
    found: dict[int, bytes] = {}
    head, literal = b"", None
    for part in [*data, b"0"]:
        if isinstance(part, bytes) and not part[:1].isdigit():
            head += part
            continue
        uid = re.search(rb"\bUID (\d+)", head)
        if uid and literal is not None:
            found[int(uid.group(1))] = literal
        head, literal = part if isinstance(part, tuple) else (b"", None)
    return found


def _bare_message_id(message_id: str) -> str:
    """A Message-ID without its angle brackets and folding whitespace."""
    return "".join(message_id.split()).removeprefix("<").removesuffix(">")


def _message_id_in(header: bytes) -> str:
    value = BytesHeaderParser().parsebytes(header).get("Message-ID", "")
    return _bare_message_id(str(value))


def _within_budget(sizes: Sequence[tuple[int, int]], *, max_bytes: int) -> list[tuple[int, int]]:
    """The first mails whose bytes, each cut at max_bytes, fit BATCH_BYTES
    (always the first mail)."""
    taken: list[tuple[int, int]] = []
    total = 0
    for uid, size in sizes:
        total += min(size, max_bytes)
        if taken and total > BATCH_BYTES:
            break
        taken.append((uid, size))
    return taken


def _chunks_by_bytes(sizes: Sequence[tuple[int, int]], *, max_bytes: int) -> Iterator[list[int]]:
    """The UIDs in runs whose bytes fit FETCH_CHUNK_BYTES (or one mail)."""
    chunk: list[int] = []
    total = 0
    for uid, size in sizes:
        if chunk and total + min(size, max_bytes) > FETCH_CHUNK_BYTES:
            yield chunk
            chunk, total = [], 0
        chunk.append(uid)
        total += min(size, max_bytes)
    if chunk:
        yield chunk


def _server_text(data: Iterable[object], *, access: MailboxAccess) -> str:
    """What the server said, as text, without the secrets (blotted out
    before the text is cut, so that no part of one is left)."""
    parts = [
        part.decode("utf-8", "replace") if isinstance(part, bytes) else str(part)
        for part in data
        if part is not None
    ]
    return " ".join(_without_secrets(" ".join(parts), access=access).split())[:300]


def _reason(error: OSError) -> str:
    return str(error) or type(error).__name__
