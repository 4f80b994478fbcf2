"""A message as it goes: what the app that sends it composed, and what the
transports send."""

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


@dataclass(frozen=True)
class Composed:
    subject: str  # empty for a text message
    body: str
    # Files an e-mail carries (a booking's calendar file); none in an SMS.
    attachments: tuple[Attachment, ...] = ()
    # An e-mail's own headers (an answer's Message-ID, In-Reply-To and
    # References, so that it joins the citizen's thread), and the address
    # it is sent from when not DEFAULT_FROM_EMAIL (the shared mailbox's).
    headers: Mapping[str, str] = field(default_factory=dict)
    from_email: str = ""
