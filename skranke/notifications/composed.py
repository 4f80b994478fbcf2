"""A message as it goes: what the app that sends it composed, and what the
transports send."""

from dataclasses import dataclass


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
