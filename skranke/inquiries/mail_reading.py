"""Reading one e-mail from the shared mailbox, as IMAP gives it (RFC 5322
bytes), into what Skranke keeps of it: who wrote, to which address, in
which thread, the citizen's words and files, and whether a machine sent
it, so that nothing answers a machine and no answer of ours loops back.

Mail is often broken: a charset that lies or is unknown, base64 cut
short, headers no standard allows, bytes that are no mail at all. Reading
never raises on it: what could be read is kept, and the notes say what
could not. The standard library reads the mail (`email.policy.default`);
where its stricter parsers give up, the forgiving compat32 parser or the
raw header stands in. Pure: no database, no network, no clock."""

import codecs
import mimetypes
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.errors import MessageError
from email.header import decode_header, make_header
from email.message import Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from enum import StrEnum
from typing import NamedTuple

from skranke.inquiries.delivery_reports import ReturnedMail, read_returned_mail
from skranke.inquiries.html_text import reduce_html_to_text


class MailNote(StrEnum):
    """Why the text of a mail is not all there, as a stable code that the
    worklist translates."""

    TEXT_CUT = "text-cut"  # longer than the cap: cut
    ATTACHMENTS_ONLY = "attachments-only"  # no text, only files
    UNKNOWN_ENCODING = "unknown-encoding"  # a charset guessed: some letters may be wrong
    HTML_ONLY = "html-only"  # no plain text: the text was reduced from HTML
    MALFORMED = "malformed"  # the mail is broken: what could be read is kept
    EMPTY = "empty"  # neither text nor files


class AutomaticReason(StrEnum):
    """Why a mail counts as sent by a machine, as a stable code."""

    OWN_ADDRESS = "own-address"  # our own answer come back: a loop
    DELIVERY_REPORT = "delivery-report"
    MAILER_DAEMON = "mailer-daemon"
    AUTO_SUBMITTED = "auto-submitted"
    AUTOREPLY_HEADER = "autoreply-header"
    PRECEDENCE = "precedence"
    LIST = "list"


@dataclass(frozen=True)
class MailAttachment:
    filename: str
    content_type: str
    size: int  # bytes of the decoded content
    content: bytes


@dataclass(frozen=True)
class ReadMail:
    message_id: str  # "<…>" as in the header, "" if none
    in_reply_to: str  # the first id of In-Reply-To, "" if none
    references: tuple[str, ...]  # References, then In-Reply-To's ids not among them
    sender: str  # where answers go: Reply-To if given, else From; lower case
    sender_name: str
    recipients: tuple[str, ...]  # To, Cc, Delivered-To, X-Original-To; lower case
    subject: str
    sent_at: datetime | None  # the Date header in UTC
    text: str
    notes: tuple[MailNote, ...]
    attachments: tuple[MailAttachment, ...]
    automatic: bool  # never to be answered automatically
    automatic_reason: str  # an AutomaticReason, "" if not automatic
    returned: ReturnedMail | None = None  # a delivery report's failed mail


# What the standard library's header and MIME parsers have been seen to
# raise on malformed input, besides their own MessageError (fuzzing them on
# Python 3.11 and 3.13): a malformed mail is expected input here, so these
# mean "could not be read this way", not a fault of Skranke's. Too deep a
# nesting of parts or comments gives RecursionError.
_PARSER_FAILURES = (
    MessageError, ValueError, LookupError, TypeError, AttributeError, NameError, RecursionError
)  # fmt: skip
_POLICY = policy.default
# Serialises a forwarded mail as it came: header lines are not refolded.
_AS_SENT = policy.default.clone(refold_source="none", linesep="\r\n")

# No honest header is longer, and the header parser's cost grows fast with length.
_MAX_HEADER_CHARS = 16_384
_MAX_SUBJECT = 300
_MAX_NAME = 200  # Inquiry.sender_name
_MAX_ADDRESS = 254  # an e-mail address's limit (RFC 5321 with RFC 3696's erratum)
_MAX_ID = 998  # InquiryMessage.message_id: a header line's limit
_MAX_FILENAME = 255  # InquiryAttachment.filename
_MAX_CONTENT_TYPE = 100  # InquiryAttachment.content_type
# A thread's first mail finds the inquiry, its latest the answer it replies
# to; the ones between matter little, so a long chain keeps its ends.
_MAX_REFERENCES = 100
# No citizen's mail nests deeper or has more parts: a mail is read as far as these.
_MAX_DEPTH = 30
_MAX_PARTS = 500
# Every part costs the parser time and memory before any limit of ours can
# apply: a mail is parsed only as far as this many lines that may be a
# boundary ("--…"), far more than its first _MAX_PARTS parts need.
_MAX_BOUNDARY_LINES = 4 * _MAX_PARTS
# A header written more often than this (Delivered-To is written per hop)
# is read this many times.
_MAX_REPEATS = 50

_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
# Neither shown nor stored: control characters (PostgreSQL refuses NUL), lone surrogates.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_IN_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
# Token characters of a MIME type (RFC 2045).
_TYPE_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789!#$&-^_.+")

# Charsets that mail programs write when the text is really UTF-8 (a web form's
# mailer, a program that labels everything Latin-1). UTF-8 is self-checking: Danish
# text in one of these charsets is practically never also valid UTF-8.
_OFTEN_MISLABELLED = frozenset({"ascii", "iso8859-1", "iso8859-15", "cp1252"})
# Signatures of a signed mail: no words of the citizen's in them.
_SIGNATURES = frozenset(
    {"application/pkcs7-signature", "application/x-pkcs7-signature", "application/pgp-signature"}
)
# The standard library's own table, not the machine's: a name is the same anywhere.
_MIME_TYPES = mimetypes.MimeTypes()
_EXTENSIONS = {"message/delivery-status": ".txt", "message/global": ".eml", "text/calendar": ".ics"}

_PRECEDENCE_AUTOMATIC = frozenset({"bulk", "junk", "list", "auto_reply"})
# Headers by which a machine says it sent the mail, unless they say "no".
_SAY_AUTOMATIC = (
    ("Auto-Submitted", AutomaticReason.AUTO_SUBMITTED),  # RFC 3834
    ("X-Autoreply", AutomaticReason.AUTOREPLY_HEADER),
    ("X-Autorespond", AutomaticReason.AUTOREPLY_HEADER),
)
_DAEMONS = frozenset({"mailer-daemon", "postmaster"})


def _raw_values(message: Message, name: str, *, limit: int | None = _MAX_HEADER_CHARS) -> list[str]:
    """Every value of the header `name` as written, unfolded, at most `limit`
    characters of each; 8-bit bytes read as UTF-8 (RFC 6532), or else as
    Windows-1252 (older Danish mail programs)."""
    wanted = name.lower()
    values: list[str] = []
    for key, value in message.raw_items():
        if key.lower() == wanted and len(values) < _MAX_REPEATS:
            text = str(value).replace("\r", "").replace("\n", "")
            values.append(_read_8bit(text[:limit]))
    return values


def _read_8bit(text: str) -> str:
    # The parser keeps the bytes it could not read as ASCII as surrogates.
    if not any("\udc80" <= character <= "\udcff" for character in text):
        return text
    data = text.encode("utf-8", "surrogateescape")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def _first_value(message: Message, name: str) -> str:
    values = _raw_values(message, name)
    return values[0] if values else ""


def _decode_words(name: str, value: str) -> tuple[str, bool]:
    """The header's text with its RFC 2047 encoded words decoded, and
    whether the default policy's parser failed on it."""
    try:
        return str(_POLICY.header_factory(name, value)), False
    except _PARSER_FAILURES:
        pass
    try:
        return str(make_header(decode_header(value))), True
    except _PARSER_FAILURES:
        return value, True


def _tidy_line(text: str, *, limit: int) -> str:
    line = " ".join(_CONTROL_IN_LINE.sub(" ", text).split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class _Address:
    name: str
    address: str


def _read_addresses(message: Message, name: str) -> tuple[list[_Address], bool]:
    """The addresses in every `name` header, and whether reading one failed."""
    found: list[_Address] = []
    failed = False
    for value in _raw_values(message, name):
        try:
            # Read as To whatever its name: the policy reads Delivered-To and
            # Return-Path as plain text.
            header = _POLICY.header_factory("to", value)
            pairs = [(address.display_name, address.addr_spec) for address in header.addresses]
        except _PARSER_FAILURES:
            failed = True
            pairs = [
                (_decode_words("subject", shown)[0], spec) for shown, spec in getaddresses([value])
            ]
        for display_name, spec in pairs:
            address = _CONTROL_IN_LINE.sub("", spec).strip().lower()
            if "@" in address and len(address) <= _MAX_ADDRESS and " " not in address:
                found.append(_Address(_tidy_line(display_name, limit=_MAX_NAME), address))
    return found, failed


def _read_ids(message: Message, name: str) -> list[str]:
    ids: list[str] = []
    # Read whole: a long thread's References is long, and its last id, the
    # mail answered, matters most.
    for value in _raw_values(message, name, limit=None):
        ids.extend(found for found in _MESSAGE_ID.findall(value) if len(found) <= _MAX_ID)
    return ids


def _read_message_id(message: Message) -> str:
    value = _first_value(message, "Message-ID").strip()
    ids = _MESSAGE_ID.findall(value)
    if ids:
        return ids[0] if len(ids[0]) <= _MAX_ID else ""
    # Some programs leave out the angle brackets; the id is still the
    # mail's, and a mail read twice must be known as the same.
    if value and len(value) + 2 <= _MAX_ID and not any(c.isspace() or c in "<>" for c in value):
        return f"<{_CONTROL_IN_LINE.sub('', value)}>"
    return ""


def _read_date(message: Message) -> datetime | None:
    value = _first_value(message, "Date").strip()
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value)
        # "-0000" says the time is UTC and the sender's zone unknown
        # (RFC 5322 § 3.3); Python gives it without a zone.
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC)
    except (ValueError, TypeError, IndexError, OverflowError):
        return None


def _first_token(value: str) -> str:
    # "auto-replied; owner-email=…" or "auto-replied (vacation)": the keyword.
    words = value.split(";")[0].replace("(", " ").split()
    return words[0].lower() if words else ""


def _read_automatic(
    message: Message, *, sender: str, own_addresses: frozenset[str]
) -> AutomaticReason | None:
    """The first sign that a machine sent the mail, in the order below.

    X-Auto-Response-Suppress is no sign: Exchange sets it on ordinary mail
    to ask that no auto-reply is sent back, and a helpdesk that filtered
    on it lost people's mail. A mail that carries it from an automatic
    sender carries one of the signs below as well."""
    headers = {key.lower() for key in message}
    return_paths = [value.replace(" ", "") for value in _raw_values(message, "Return-Path")]
    returned_to = {found.address for found in _read_addresses(message, "Return-Path")[0]}
    if "x-skranke-inquiry" in headers or sender in own_addresses or returned_to & own_addresses:
        return AutomaticReason.OWN_ADDRESS
    if _content_type(message) == "multipart/report":
        return AutomaticReason.DELIVERY_REPORT
    from_addresses = [found.address for found in _read_addresses(message, "From")[0]]
    # A null reverse path is what bounces and auto-replies are sent with
    # (RFC 5321 § 4.5.5, RFC 3834 § 3.3).
    if "<>" in return_paths or any(address.split("@")[0] in _DAEMONS for address in from_addresses):
        return AutomaticReason.MAILER_DAEMON
    for name, reason in _SAY_AUTOMATIC:
        values = _raw_values(message, name)
        if values and _first_token(values[0]) != "no":
            return reason
    if _first_token(_first_value(message, "Precedence")) in _PRECEDENCE_AUTOMATIC:
        return AutomaticReason.PRECEDENCE
    if "list-id" in headers or "list-unsubscribe" in headers:
        return AutomaticReason.LIST
    return None


def _content_type(part: Message) -> str:
    try:
        content_type = part.get_content_type()
    except _PARSER_FAILURES:
        return "application/octet-stream"
    maintype, _, subtype = content_type.partition("/")
    valid = (
        maintype
        and subtype
        and len(content_type) <= _MAX_CONTENT_TYPE
        and set(maintype + subtype) <= _TYPE_CHARACTERS
    )
    return content_type if valid else "application/octet-stream"


def _find_codec(charset: str) -> str | None:
    try:
        return codecs.lookup(charset).name
    except (LookupError, ValueError, TypeError):
        return None


def _guess_text(data: bytes) -> str:
    """Bytes of a charset not known: UTF-8 if they are valid UTF-8, as most
    mail is and no other charset's text is by chance; else Windows-1252,
    what older Danish mail programs write, which reads every byte. UTF-8
    with replacement would make their æ "�"; Latin-1 would make UTF-8's "Ã¦"."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def _decode_text(data: bytes, charset: str | None) -> tuple[str, bool]:
    """The text of a part, and whether its charset had to be guessed (it
    was unknown, or the bytes did not fit it)."""
    codec = _find_codec(charset or "us-ascii")
    if codec is None:
        return _guess_text(data), True
    if codec in _OFTEN_MISLABELLED:
        try:
            return data.decode("utf-8"), False
        except UnicodeDecodeError:
            pass
    try:
        return data.decode(codec), False
    except (LookupError, ValueError):
        # A codec that is no text encoding (base64, zlib), or bytes that
        # are not in the charset the mail names.
        return _guess_text(data), True


def _tidy_text(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()


def _tidy_filename(name: str) -> str:
    # Only the name: a sender's directories (/, \) mean nothing here, and a
    # path must never reach whoever saves the file.
    name = _tidy_line(name.replace("\\", "/").rsplit("/", 1)[-1], limit=10_000).strip(" .")
    if len(name) > _MAX_FILENAME:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 16:
            name = stem[: _MAX_FILENAME - len(extension) - 1] + "." + extension
        else:
            name = name[:_MAX_FILENAME]
    return name


def _serialise(message: Message) -> bytes:
    try:
        return message.as_bytes(policy=_AS_SENT)
    except _PARSER_FAILURES:
        pass
    # The default policy refolds and re-encodes what a broken mail holds,
    # and can fail on it; compat32 writes it back as it was read, and as
    # text where its bytes writer fails on a part without its boundary.
    try:
        return message.as_bytes(policy=policy.compat32)
    except _PARSER_FAILURES:
        return message.as_string(policy=policy.compat32).encode("utf-8", "surrogateescape")


class _Text(NamedTuple):
    """A part's words, whether they came from HTML, and whether its charset
    was guessed."""

    words: str
    from_html: bool
    guessed: bool


@dataclass
class _BodyReader:
    """Walks a mail's parts: the citizen's words make the text, every other
    part is a file. Of a multipart/alternative's versions one gives the text
    (plain preferred), and all give their files: an image pasted into the
    HTML version is the citizen's too."""

    max_text_chars: int
    attachments: list[MailAttachment] = field(default_factory=list)
    malformed: bool = False
    # A part could not be read at all (not just with defects).
    failed: bool = False
    parts_read: int = 0

    def read(self, part: Message, depth: int = 0) -> list[_Text]:
        """The texts of `part` and the parts within it, in order."""
        if depth > _MAX_DEPTH or self.parts_read >= _MAX_PARTS:
            self.malformed = True
            return []
        self.parts_read += 1
        content_type = _content_type(part)
        try:
            if content_type.startswith("message/"):
                self._keep_message(part, content_type)
                return []
            if part.is_multipart():
                return self._read_multipart(part, content_type, depth)
            return self._read_leaf(part, content_type)
        except _PARSER_FAILURES:
            self.malformed = self.failed = True
            return []
        finally:
            # Decoding the content is what finds broken base64, so the
            # part's defects are counted after it.
            if part.defects:
                self.malformed = True

    def _read_multipart(self, part: Message, content_type: str, depth: int) -> list[_Text]:
        children = part.get_payload()
        versions = [self.read(child, depth + 1) for child in children if isinstance(child, Message)]
        if content_type != "multipart/alternative":
            return [text for version in versions for text in version]
        for version in versions:
            if any(text.words.strip() and not text.from_html for text in version):
                return version
        for version in versions:
            if any(text.words.strip() for text in version):
                return version
        return []

    def _read_leaf(self, part: Message, content_type: str) -> list[_Text]:
        if content_type in _SIGNATURES:
            return []
        filename = part.get_filename()
        is_file = filename is not None or part.get_content_disposition() == "attachment"
        data = part.get_payload(decode=True)
        content = data if isinstance(data, bytes) else b""
        # A multipart without a boundary is left as it came: its raw text
        # may still hold the citizen's words.
        if content_type.startswith("multipart/"):
            content_type = "text/plain"
        if is_file or content_type not in ("text/plain", "text/html"):
            self._keep_file(filename, content_type, content)
            return []
        words, guessed = _decode_text(content, part.get_content_charset())
        if content_type == "text/html":
            # A huge mail costs only what the text's cap can show.
            words = reduce_html_to_text(html=words, max_chars=self.max_text_chars)
        return [_Text(words, from_html=content_type == "text/html", guessed=guessed)]

    def _keep_message(self, part: Message, content_type: str) -> None:
        """A mail within the mail (forwarded as an attachment, or the mail a
        bounce returns), kept whole as a file a mail program opens."""
        payload = part.get_payload()
        if isinstance(payload, list):
            # A delivery status is blocks of fields, each parsed as a header.
            kept = payload if content_type == "message/delivery-status" else payload[:1]
            content = b"".join(_serialise(each) for each in kept if isinstance(each, Message))
        else:
            # The parser gives every message part a mail; should one come
            # without, its content is kept as it is.
            data = part.get_payload(decode=True)
            content = data if isinstance(data, bytes) else b""
        self._keep_file(part.get_filename(), content_type, content)

    def _keep_file(self, filename: str | None, content_type: str, content: bytes) -> None:
        name = _tidy_filename(_decode_words("subject", filename)[0]) if filename else ""
        if not name:
            extension = _EXTENSIONS.get(content_type) or _MIME_TYPES.guess_extension(content_type)
            name = f"attachment-{len(self.attachments) + 1}{extension or ''}"
        self.attachments.append(
            MailAttachment(
                filename=name, content_type=content_type, size=len(content), content=content
            )
        )


def _cut_text(text: str, *, limit: int) -> tuple[str, bool]:
    """`text` at most `limit` characters long, cut at a line break (or else
    a space) in its last half where there is one; and whether it was cut."""
    limit = max(limit, 0)
    if len(text) <= limit:
        return text, False
    head = text[:limit]
    for separator in ("\n", " "):
        at = head.rfind(separator)
        if at >= limit // 2:
            return head[:at].rstrip(), True
    return head, True


def _parse(raw: bytes) -> tuple[Message, bool]:
    """The mail parsed, and whether it could not be parsed whole: it has too
    many parts, or the default policy's parser failed on it."""
    at = -1  # where the mail is cut, if it is
    for _ in range(_MAX_BOUNDARY_LINES):
        at = raw.find(b"\n--", at + 1)
        if at < 0:
            break
    if at >= 0:
        return _parse(raw[:at])[0], True
    try:
        return BytesParser(policy=_POLICY).parsebytes(raw), False
    except _PARSER_FAILURES:
        return _parse_compat32(raw), True


def _parse_compat32(raw: bytes) -> Message:
    """compat32 reads structure from plain strings and survives what the
    default policy's header parsers do not; a structure nested too deep for
    it as well leaves the headers alone."""
    try:
        return BytesParser(policy=policy.compat32).parsebytes(raw)
    except _PARSER_FAILURES:
        pass
    try:
        message = BytesParser(policy=policy.compat32).parsebytes(raw, headersonly=True)
    except _PARSER_FAILURES:
        return Message()
    # Its body is MIME that could not be read: parts' headers and
    # boundaries, no text to show.
    message.set_payload("")
    return message


def read_mail(
    *, raw: bytes, own_addresses: frozenset[str], max_text_chars: int = 100_000
) -> ReadMail:
    """What Skranke keeps of the mail `raw` (RFC 5322 bytes, as IMAP gives
    them), read from the municipality's mailbox whose addresses are
    `own_addresses`. Never raises on a malformed mail: the notes say what
    could not be read."""
    own = frozenset(address.strip().lower() for address in own_addresses if address.strip())
    message, fell_back = _parse(raw)
    malformed = fell_back or bool(message.defects)

    reply_to, reply_to_failed = _read_addresses(message, "Reply-To")
    from_, from_failed = _read_addresses(message, "From")
    to, to_failed = _read_addresses(message, "To")
    cc, cc_failed = _read_addresses(message, "Cc")
    recipients = [*to, *cc]
    for name in ("Delivered-To", "X-Original-To"):
        recipients += _read_addresses(message, name)[0]
    malformed = malformed or reply_to_failed or from_failed or to_failed or cc_failed
    writer = (reply_to or from_ or [_Address("", "")])[0]
    sender_name = writer.name
    if not sender_name and reply_to and from_ and from_[0].address == writer.address:
        sender_name = from_[0].name

    subject, subject_failed = _decode_words("subject", _first_value(message, "Subject"))
    malformed = malformed or subject_failed

    in_reply_to = _read_ids(message, "In-Reply-To")
    references = list(dict.fromkeys([*_read_ids(message, "References"), *in_reply_to]))
    if len(references) > _MAX_REFERENCES:
        references = [references[0], *references[-(_MAX_REFERENCES - 1) :]]

    reader = _BodyReader(max_text_chars=max_text_chars)
    texts = reader.read(message)
    if reader.failed and not fell_back:
        # A part the default policy's parsers gave up on: the whole body
        # again as compat32 reads it, so that the part's file or words stay.
        reader = _BodyReader(max_text_chars=max_text_chars, malformed=True)
        texts = reader.read(_parse_compat32(raw))
    shown = [found for found in texts if found.words.strip()]
    text, cut = _cut_text(
        _tidy_text("\n\n".join(found.words for found in shown)), limit=max_text_chars
    )

    notes = {
        MailNote.TEXT_CUT: cut,
        MailNote.ATTACHMENTS_ONLY: not text and bool(reader.attachments),
        MailNote.UNKNOWN_ENCODING: any(found.guessed for found in shown),
        MailNote.HTML_ONLY: bool(shown) and all(found.from_html for found in shown),
        MailNote.MALFORMED: malformed or reader.malformed,
        MailNote.EMPTY: not text and not reader.attachments,
    }
    reason = _read_automatic(message, sender=writer.address, own_addresses=own)
    try:
        returned = read_returned_mail(message) if reason else None
    except _PARSER_FAILURES:
        returned = None
    return ReadMail(
        message_id=_read_message_id(message),
        in_reply_to=in_reply_to[0] if in_reply_to else "",
        references=tuple(references),
        sender=writer.address,
        sender_name=sender_name,
        recipients=tuple(dict.fromkeys(found.address for found in recipients)),
        subject=_tidy_line(subject, limit=_MAX_SUBJECT),
        sent_at=_read_date(message),
        text=text,
        notes=tuple(note for note, applies in notes.items() if applies),
        attachments=tuple(reader.attachments),
        automatic=reason is not None,
        automatic_reason=reason or "",
        returned=returned,
    )
