"""A client's side of the proof of work, as the page's script and an API
client do it: try 0, 1, 2, … until the hash matches."""

import base64
import json
import re
from typing import Any

from skranke.challenge.proof_of_work import hash_attempt


def solve(challenge: dict[str, Any]) -> str:
    """The X-Skranke-Challenge header (or the form's field) for `challenge`."""
    for number in range(challenge["maxnumber"] + 1):
        if hash_attempt(salt=challenge["salt"], number=number) == challenge["challenge"]:
            payload = json.dumps({**challenge, "number": number})
            return base64.b64encode(payload.encode()).decode()
    raise AssertionError("no number solves the challenge")


def challenge_on_page(html: str) -> dict[str, Any] | None:
    """The challenge in the review page's form (its data attributes), if any."""
    box = re.search(r"<div class=\"challenge\" data-challenge ([^>]*)>", html)
    if box is None:
        return None
    found = dict(re.findall(r'data-([a-z]+)="([^"]*)"', box.group(1)))
    return {
        "algorithm": found["algorithm"],
        "challenge": found["hash"],
        "salt": found["salt"],
        "maxnumber": int(found["maxnumber"]),
        "signature": found["signature"],
        "expires": int(found["expires"]),
    }


def wait_token_on_page(html: str) -> str:
    found = re.search(r'name="challenge_wait" value="([^"]+)"', html)
    assert found, "no wait token on the page"
    return found.group(1)
