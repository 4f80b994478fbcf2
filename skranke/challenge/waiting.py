"""The way through for a citizen without JavaScript: the page carries a
signed wait token that counts from CHALLENGE_WAIT_SECONDS after the page
was made. A person reads the page, waits, presses the button; a script
without a browser must wait as well. Like a solution it is good once,
and only from the address it was given to, so tokens collected in one
place cannot be handed round a botnet."""

import math
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.http import HttpRequest

from skranke.challenge.proof_of_work import LIFETIME
from skranke.challenge.spent import spend_proof
from skranke.core import clock
from skranke.rate_limits.limits import keyed_hash, network_of_caller

SALT = "skranke.challenge.wait"
TOKEN_MAX = 500


@dataclass(frozen=True)
class WaitCheck:
    passed: bool
    # Whole seconds still to wait when the token is ours but early (it is
    # then not spent, and the page may give it out again).
    seconds_left: int = 0


def _address_key(request: HttpRequest) -> str:
    return keyed_hash(f"wait:{network_of_caller(request)}")[:16]


def wait_seconds() -> int:
    return int(settings.CHALLENGE_WAIT_SECONDS)


def issue_wait_token(*, request: HttpRequest) -> str:
    now = clock.now().timestamp()
    return signing.dumps(
        {
            "id": secrets.token_hex(16),
            "by": _address_key(request),
            "from": math.ceil(now + wait_seconds()),
            "until": int(now + LIFETIME.total_seconds()),
        },
        salt=SALT,
    )


def _read(token: str) -> dict[str, object] | None:
    if not token or len(token) > TOKEN_MAX:
        return None
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    fields = ("id", "by", "from", "until")
    if not isinstance(data, dict) or any(name not in data for name in fields):
        return None
    return data


def check_wait_token(*, request: HttpRequest, token: str) -> WaitCheck:
    """Whether `token` lets this request through now; spent if it does."""
    data = _read(token)
    if data is None or data["by"] != _address_key(request):
        return WaitCheck(passed=False)
    starts, until = data["from"], data["until"]
    if not isinstance(starts, int) or not isinstance(until, int):
        return WaitCheck(passed=False)
    now = clock.now()
    if now.timestamp() >= until:
        return WaitCheck(passed=False)
    if now.timestamp() < starts:
        return WaitCheck(passed=False, seconds_left=math.ceil(starts - now.timestamp()))
    expires_at = datetime.fromtimestamp(until, tz=UTC) + timedelta(seconds=1)
    return WaitCheck(passed=spend_proof(digest=f"wait:{data['id']}", expires_at=expires_at))
