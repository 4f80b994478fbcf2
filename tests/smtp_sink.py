"""An SMTP server for the tests that accepts every message and keeps it, as a
relay would take the contact centre's answers: real SMTP over TCP on
127.0.0.1, with STARTTLS and, once the connection is encrypted, AUTH PLAIN,
LOGIN and XOAUTH2 against the sink's own credentials. Mail sent without
AUTH is kept too, marked so (`Envelope.authenticated_as`).

It runs an asyncio server on a thread of its own (the standard library has
no SMTP server since Python 3.12). A message is kept before the server
answers DATA, so once smtplib returns the test can read it: no waiting."""

import asyncio
import base64
import binascii
import contextlib
import email.policy
import re
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from tests.mail_tls import HOST

MECHANISMS = ("PLAIN", "LOGIN", "XOAUTH2")
_ADDRESS = re.compile(r"(?:FROM|TO):\s*<([^>]*)>", re.IGNORECASE)


@dataclass(frozen=True)
class Envelope:
    """One message as the sink received it."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes
    authenticated_as: str | None
    over_tls: bool

    @property
    def message(self) -> EmailMessage:
        """The message parsed, its lines ending as Python writes them (`data`
        keeps the CRLF they had on the wire)."""
        parser = BytesParser(policy=email.policy.default)
        return parser.parsebytes(self.data.replace(b"\r\n", b"\n"))


@dataclass
class SmtpSink:
    """The sink as a test sees it. `user` signs in with `password` (PLAIN,
    LOGIN) or with `oauth_token` (XOAUTH2); a test may set them to an IMAP
    mailbox's, as a shared mailbox signs in to both with one account."""

    host: str
    port: int
    ca_path: Path
    user: str = "kontaktcenter@testkommune.dk"
    password: str = "smtp-adgangskode"
    oauth_token: str = "smtp-oauth-token"
    envelopes: list[Envelope] = field(default_factory=list)
    # Addresses the sink answers RCPT with 550, as a server with no such user.
    refused: set[str] = field(default_factory=set)

    @property
    def messages(self) -> list[EmailMessage]:
        """The messages received, in order, parsed."""
        return [envelope.message for envelope in self.envelopes]

    def ssl_context(self) -> ssl.SSLContext:
        """A client context that verifies the sink against the test CA."""
        return ssl.create_default_context(cafile=str(self.ca_path))


class _Quit(Exception):
    pass


class _Session:
    """One client's connection, command by command (RFC 5321)."""

    def __init__(
        self,
        sink: SmtpSink,
        tls: ssl.SSLContext,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
    ) -> None:
        self.sink, self.tls, self.reader, self.writer = sink, tls, reader, writer
        self.greeted = False
        self.over_tls = False
        self.authenticated_as: str | None = None
        self.mail_from: str | None = None
        self.rcpt_tos: list[str] = []

    async def run(self) -> None:
        await self.reply("220 skranke-sink ESMTP")
        commands = {
            "EHLO": self.ehlo,
            "HELO": self.helo,
            "STARTTLS": self.starttls,
            "AUTH": self.auth,
            "MAIL": self.mail,
            "RCPT": self.rcpt,
            "DATA": self.data,
            "RSET": self.rset,
            "NOOP": self.noop,
            "VRFY": self.vrfy,
            "QUIT": self.quit,
        }
        with contextlib.suppress(_Quit):
            while line := await self.reader.readline():
                verb, _, argument = line.decode("utf-8", "replace").strip().partition(" ")
                command = commands.get(verb.upper())
                if command is None:
                    await self.reply("500 5.5.2 Command not recognised")
                else:
                    await command(argument.strip())

    async def reply(self, *lines: str) -> None:
        """A reply of one or more lines with the same code."""
        *first, last = lines
        text = "".join(f"{line[:3]}-{line[4:]}\r\n" for line in first) + f"{last}\r\n"
        self.writer.write(text.encode())
        await self.writer.drain()

    async def ehlo(self, argument: str) -> None:
        self.greeted = True
        self.reset()
        extensions = ["250 8BITMIME", "250 SMTPUTF8"]
        extensions.append(f"250 AUTH {' '.join(MECHANISMS)}" if self.over_tls else "250 STARTTLS")
        await self.reply("250 skranke-sink", *extensions, "250 HELP")

    async def helo(self, argument: str) -> None:
        self.greeted = True
        self.reset()
        await self.reply("250 skranke-sink")

    async def starttls(self, argument: str) -> None:
        if self.over_tls:
            await self.reply("503 5.5.1 TLS already active")
            return
        await self.reply("220 2.0.0 Ready to start TLS")
        await self.writer.start_tls(self.tls)
        # RFC 3207: the client starts again with EHLO.
        self.over_tls, self.greeted = True, False
        self.reset()

    async def auth(self, argument: str) -> None:
        if not self.over_tls:
            await self.reply("530 5.7.0 Must issue a STARTTLS command first")
            return
        if self.authenticated_as is not None:
            await self.reply("503 5.5.1 Already authenticated")
            return
        mechanism, _, initial = argument.partition(" ")
        if mechanism.upper() not in MECHANISMS:
            await self.reply("504 5.5.4 Unrecognised authentication type")
            return
        try:
            user = await self.authenticate(mechanism.upper(), initial)
        except (binascii.Error, UnicodeDecodeError, ValueError):
            await self.reply("501 5.5.2 Cannot decode the response")
            return
        if user is None:
            await self.reply("535 5.7.8 Authentication credentials invalid")
        else:
            self.authenticated_as = user
            await self.reply("235 2.7.0 Authentication successful")

    async def authenticate(self, mechanism: str, initial: str) -> str | None:
        """Who the client proves to be with `mechanism`, if it proves it."""
        sink = self.sink
        if mechanism == "PLAIN":
            _, user, password = (await self.response(initial)).split("\0")
            return user if (user, password) == (sink.user, sink.password) else None
        if mechanism == "LOGIN":
            user = await self.response(initial, ask="Username:")
            password = await self.response("", ask="Password:")
            return user if (user, password) == (sink.user, sink.password) else None
        if mechanism == "XOAUTH2":
            fields = dict(
                part.split("=", 1) for part in (await self.response(initial)).split("\1") if part
            )
            proof = (fields.get("user"), fields.get("auth"))
            return sink.user if proof == (sink.user, f"Bearer {sink.oauth_token}") else None
        raise AssertionError(mechanism)

    async def response(self, initial: str, *, ask: str = "") -> str:
        """The client's answer to a challenge (or the one it sent first),
        decoded from base64."""
        if not initial:
            await self.reply(f"334 {base64.b64encode(ask.encode()).decode()}")
            initial = (await self.reader.readline()).decode().strip()
        if initial == "*":
            raise ValueError("the client cancelled")
        return "" if initial == "=" else base64.b64decode(initial, validate=True).decode()

    async def mail(self, argument: str) -> None:
        found = _ADDRESS.match(argument)
        if not self.greeted:
            await self.reply("503 5.5.1 Send EHLO first")
        elif self.mail_from is not None:
            await self.reply("503 5.5.1 Nested MAIL command")
        elif not found or not argument.upper().startswith("FROM:"):
            await self.reply("501 5.5.4 Syntax: MAIL FROM:<address>")
        else:
            self.mail_from = found.group(1)
            await self.reply("250 2.1.0 OK")

    async def rcpt(self, argument: str) -> None:
        found = _ADDRESS.match(argument)
        if self.mail_from is None:
            await self.reply("503 5.5.1 Send MAIL first")
        elif not found or not argument.upper().startswith("TO:"):
            await self.reply("501 5.5.4 Syntax: RCPT TO:<address>")
        elif found.group(1).lower() in self.sink.refused:
            await self.reply(f"550 5.1.1 <{found.group(1)}>: Recipient address rejected")
        else:
            self.rcpt_tos.append(found.group(1))
            await self.reply("250 2.1.5 OK")

    async def data(self, argument: str) -> None:
        if not self.rcpt_tos or self.mail_from is None:
            await self.reply("503 5.5.1 Send RCPT first")
            return
        await self.reply("354 End data with <CR><LF>.<CR><LF>")
        lines = []
        while (line := await self.reader.readline()) not in (b".\r\n", b".\n"):
            if not line:
                raise ConnectionResetError("the client left during DATA")
            lines.append(line[1:] if line.startswith(b".") else line)  # RFC 5321 4.5.2
        self.sink.envelopes.append(
            Envelope(
                mail_from=self.mail_from,
                rcpt_tos=tuple(self.rcpt_tos),
                data=b"".join(lines),
                authenticated_as=self.authenticated_as,
                over_tls=self.over_tls,
            )
        )
        self.reset()
        await self.reply("250 2.0.0 OK: kept")

    async def rset(self, argument: str) -> None:
        self.reset()
        await self.reply("250 2.0.0 OK")

    async def noop(self, argument: str) -> None:
        await self.reply("250 2.0.0 OK")

    async def vrfy(self, argument: str) -> None:
        await self.reply("252 2.1.5 Cannot verify, but will accept")

    async def quit(self, argument: str) -> None:
        await self.reply("221 2.0.0 Bye")
        raise _Quit

    def reset(self) -> None:
        self.mail_from, self.rcpt_tos = None, []


@contextlib.contextmanager
def start_smtp_sink(*, tls: ssl.SSLContext, ca_path: Path) -> Iterator[SmtpSink]:
    """An SmtpSink listening on a free port of 127.0.0.1 until the block ends."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="smtp-sink", daemon=True)
    thread.start()
    sink = SmtpSink(host=HOST, port=0, ca_path=ca_path)
    sessions: set[asyncio.Task[None]] = set()

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task
        sessions.add(task)
        try:
            await _Session(sink, tls, reader, writer).run()
        except (ConnectionError, ssl.SSLError):
            pass  # the client went away; what it sent in full is kept
        finally:
            writer.close()
            sessions.discard(task)

    async def start() -> asyncio.Server:
        return await asyncio.start_server(serve, HOST, 0, limit=1 << 20)

    async def stop(server: asyncio.Server) -> None:
        server.close()
        for task in list(sessions):
            task.cancel()
        await asyncio.gather(*sessions, return_exceptions=True)

    server = asyncio.run_coroutine_threadsafe(start(), loop).result(timeout=30)
    sink.port = server.sockets[0].getsockname()[1]
    try:
        yield sink
    finally:
        asyncio.run_coroutine_threadsafe(stop(server), loop).result(timeout=30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=30)
        loop.close()
