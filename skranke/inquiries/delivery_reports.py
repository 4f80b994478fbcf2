"""A delivery report (RFC 3464, "bounce"): which of our mails it returns,
and why it could not be delivered. A forward to a department that comes
back this way never reached it (returned_mail.py).

Only a report that says a recipient failed counts: "delayed" is news, not
a failure, and a bounce in free text (no multipart/report) is kept as any
automatic mail, for staff to read."""

import re
from dataclasses import dataclass
from email.message import Message
from email.parser import HeaderParser

_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
_NOT_SHOWN = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]+")
_MAX_ID = 998  # InquiryMessage.message_id: a header line's limit
_MAX_REASON = 300  # InquiryMessage.returned_reason
# A report names its mail's recipients in blocks; none names this many.
_MAX_BLOCKS = 100


@dataclass(frozen=True)
class ReturnedMail:
    message_id: str  # the returned mail's, "<…>"
    reason: str  # the receiving server's words, or the status code


def read_returned_mail(report: Message) -> ReturnedMail | None:
    """The mail `report` returns as undeliverable, if it is a delivery
    report that says a recipient failed and carries the mail or its
    headers. The caller catches what the parser raises on a malformed one."""
    parts = report.get_payload()
    if report.get_content_type() != "multipart/report" or not isinstance(parts, list):
        return None
    failures: list[str] = []
    returned_id = ""
    for part in parts:
        if not isinstance(part, Message):
            continue
        content_type = part.get_content_type()
        if content_type in ("message/delivery-status", "message/global-delivery-status"):
            failures += _failures(part)
        elif content_type in ("message/rfc822", "message/global", "text/rfc822-headers"):
            returned_id = returned_id or _returned_id(part, content_type)
    if not failures or not returned_id:
        return None
    return ReturnedMail(message_id=returned_id, reason=failures[0])


def _failures(status: Message) -> list[str]:
    """Why each failed recipient failed: the server's diagnostic, else the
    status code."""
    blocks = status.get_payload()
    if not isinstance(blocks, list):
        return []
    reasons = []
    for block in blocks[:_MAX_BLOCKS]:
        if not isinstance(block, Message):
            continue
        if str(block.get("Action", "")).strip().lower() != "failed":
            continue
        reason = str(block.get("Diagnostic-Code", "") or block.get("Status", "") or "failed")
        reasons.append(_NOT_SHOWN.sub(" ", reason).strip()[:_MAX_REASON])
    return reasons


def _returned_id(part: Message, content_type: str) -> str:
    if content_type == "text/rfc822-headers":
        text = part.get_payload(decode=True)
        if not isinstance(text, bytes):
            return ""
        headers = HeaderParser().parsestr(text.decode("utf-8", "replace"), headersonly=True)
    else:
        inner = part.get_payload()
        if not isinstance(inner, list) or not inner or not isinstance(inner[0], Message):
            return ""
        headers = inner[0]
    found = _MESSAGE_ID.findall(str(headers.get("Message-ID", "")))
    return found[0] if found and len(found[0]) <= _MAX_ID else ""
