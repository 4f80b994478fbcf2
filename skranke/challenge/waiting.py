"""The way through for a citizen without JavaScript: the page carries a
signed wait token that counts from a wait after the page was made. A
person reads the page, waits, presses the button; a script without a
browser must wait as well. The wait grows with the pressure (pressure.py).

A token is good once, for the draft it was given with, in the browser
session it was given to, from the network it was given to; and a network
has one token out at a time (models.OutstandingWait): a later one replaces
it. So one wait books one draft, and tokens collected in one place can be
neither handed round a botnet nor saved up."""

import math
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core import signing
from django.http import HttpRequest

from skranke.challenge.models import OutstandingWait
from skranke.challenge.proof_of_work import LIFETIME
from skranke.challenge.spent import spend_proof
from skranke.core import clock
from skranke.database.deleting import delete_found
from skranke.rate_limits.limits import keyed_hash, network_of_caller

SALT = "skranke.challenge.wait"
TOKEN_MAX = 600


@dataclass(frozen=True)
class WaitCheck:
    passed: bool
    # Whole seconds still to wait when the token is ours but early (it is
    # then not spent, and the page may give it out again).
    seconds_left: int = 0


def _network_key(request: HttpRequest) -> str:
    return keyed_hash(f"wait:{network_of_caller(request)}")


def _bound_to(request: HttpRequest, draft: str) -> str:
    """The draft and the session, as a keyed hash."""
    session = request.session.session_key or ""
    return keyed_hash(f"wait:{draft}:{session}")[:32]


def issue_wait_token(*, request: HttpRequest, draft: str, seconds: int) -> str:
    """A token for `draft` in this session, due in `seconds`; the network's
    earlier token no longer works."""
    if request.session.session_key is None:
        request.session.save()  # a session to bind the token to
    now = clock.now()
    token_id = secrets.token_hex(16)
    until = int(now.timestamp() + LIFETIME.total_seconds())
    OutstandingWait.objects.update_or_create(
        network=_network_key(request),
        defaults={"token_id": token_id, "expires_at": datetime.fromtimestamp(until, tz=UTC)},
    )
    return signing.dumps(
        {
            "id": token_id,
            "for": _bound_to(request, draft),
            "from": math.ceil(now.timestamp() + seconds),
            "until": until,
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
    fields = ("id", "for", "from", "until")
    if not isinstance(data, dict) or any(name not in data for name in fields):
        return None
    return data


def check_wait_token(*, request: HttpRequest, draft: str, token: str) -> WaitCheck:
    """Whether `token` lets this request for `draft` through now; spent if
    it does."""
    data = _read(token)
    if data is None or data["for"] != _bound_to(request, draft):
        return WaitCheck(passed=False)
    outstanding = OutstandingWait.objects.filter(network=_network_key(request)).first()
    if outstanding is None or outstanding.token_id != data["id"]:
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


def forget_outstanding_waits() -> int:
    """The worker's job: forget the tokens that have expired; how many."""
    return delete_found(OutstandingWait.objects.filter(expires_at__lte=clock.now()))
