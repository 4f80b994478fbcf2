"""Secrets in a message's links, cut short wherever a message is shown to
someone other than its citizen: the console a developer or a demo reads,
the development list of sent messages. A booking's manage link carries
its token (`?token=…`) and a survey's its own (`/undersoegelse/…/`);
whoever reads them whole can change the booking or answer for the
citizen. Booking codes (6 characters) stay readable."""

import re

# A token is a query's `token=` value, or a path segment of 16 URL-safe
# characters or more between two slashes (Skranke's tokens have 32); a
# host name has dots, and a booking code 6 characters.
_TOKEN = re.compile(
    r"(?<=token=)(?P<query>[A-Za-z0-9_-]{4})[A-Za-z0-9_-]+"
    r"|(?<=/)(?P<path>[A-Za-z0-9_-]{4})[A-Za-z0-9_-]{12,}(?=/)"
)


def mask_tokens(text: str) -> str:
    """`text` with every token in it cut to its first four characters."""
    return _TOKEN.sub(lambda found: f"{found['query'] or found['path']}…", text)
