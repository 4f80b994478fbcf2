"""A proof of work in the manner of ALTCHA, made here (no third party, no
image, nothing to see or hear): the server picks a random salt and a
secret number n of at most `maxnumber`, and gives out SHA-256(salt + n)
with the salt. The client finds n by trying 0, 1, 2, …, about maxnumber/2
hashes on average: a second or so on a phone, nothing for one citizen, and
a real cost for someone making thousands of bookings.

Nothing is stored when a challenge is given: it carries its own expiry and
an HMAC over both, keyed from SECRET_KEY, so any app process can check it.
A solution is spent once (spent.py), so one solved challenge is one
booking attempt, not many."""

import base64
import binascii
import hashlib
import hmac
import json
import secrets
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.utils.crypto import salted_hmac

from skranke.challenge.spent import spend_proof
from skranke.core import clock

ALGORITHM = "SHA-256"
KEY_SALT = "skranke.challenge.proof_of_work"
# Long enough for a citizen who reads the review page slowly: the page's
# script solves the challenge as soon as it opens.
LIFETIME = timedelta(minutes=30)
# A solution is a few hundred characters; anything much longer is not one.
SOLUTION_MAX = 2000


@dataclass(frozen=True)
class Challenge:
    algorithm: str
    challenge: str
    salt: str
    maxnumber: int
    signature: str
    expires: int  # Unix time, seconds

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class Solution:
    challenge: str
    salt: str
    signature: str
    maxnumber: int
    expires: int
    number: int


def hash_attempt(*, salt: str, number: int) -> str:
    return hashlib.sha256(f"{salt}{number}".encode()).hexdigest()


def _signature(*, challenge: str, salt: str, maxnumber: int, expires: int) -> str:
    # The range is signed too: a solution says how hard its challenge was,
    # and one easier than the pressure now asks for does not pass.
    message = f"{ALGORITHM}:{challenge}:{salt}:{maxnumber}:{expires}"
    return salted_hmac(KEY_SALT, message, algorithm="sha256").hexdigest()


def issue_challenge(*, max_number: int | None = None) -> Challenge:
    """A challenge whose number is at most `max_number` (how hard the
    pressure makes it: pressure.py), CHALLENGE_MAX_NUMBER by default."""
    maxnumber = int(max_number or settings.CHALLENGE_MAX_NUMBER)
    salt = secrets.token_hex(12)
    challenge = hash_attempt(salt=salt, number=secrets.randbelow(maxnumber + 1))
    expires = int((clock.now() + LIFETIME).timestamp())
    return Challenge(
        algorithm=ALGORITHM,
        challenge=challenge,
        salt=salt,
        maxnumber=maxnumber,
        signature=_signature(challenge=challenge, salt=salt, maxnumber=maxnumber, expires=expires),
        expires=expires,
    )


def encode_solution(challenge: Challenge, *, number: int) -> str:
    """What a client sends: base64 of the challenge's JSON with `number`
    added (the tests' client; the page's script and API clients do the
    same)."""
    payload = json.dumps({**challenge.as_dict(), "number": number})
    return base64.b64encode(payload.encode()).decode()


def read_solution(text: str) -> Solution | None:
    """The solution in `text` (base64 of a JSON object, padded or not,
    standard or URL-safe alphabet), or None if it is not one."""
    text = text.strip()
    if not text or len(text) > SOLUTION_MAX:
        return None
    try:
        raw = base64.b64decode(
            text.replace("-", "+").replace("_", "/") + "=" * (-len(text) % 4), validate=True
        )
        data = json.loads(raw)
    except (binascii.Error, ValueError):
        return None
    if not isinstance(data, dict) or data.get("algorithm", ALGORITHM) != ALGORITHM:
        return None
    strings = [data.get(name) for name in ("challenge", "salt", "signature")]
    numbers = [data.get(name) for name in ("maxnumber", "expires", "number")]
    if not all(isinstance(value, str) for value in strings):
        return None
    # bool is an int to Python, not to anyone sending JSON.
    if not all(isinstance(value, int) and not isinstance(value, bool) for value in numbers):
        return None
    return Solution(
        challenge=data["challenge"],
        salt=data["salt"],
        signature=data["signature"],
        maxnumber=data["maxnumber"],
        expires=data["expires"],
        number=data["number"],
    )


def is_correct(solution: Solution) -> bool:
    """Whether `solution` answers a challenge we gave that has not
    expired; nothing is spent. The signature is checked first: it costs
    one HMAC, and nothing else is worth computing for a forged one."""
    expected = _signature(
        challenge=solution.challenge,
        salt=solution.salt,
        maxnumber=solution.maxnumber,
        expires=solution.expires,
    )
    if not hmac.compare_digest(expected, solution.signature):
        return False
    if clock.now().timestamp() >= solution.expires:
        return False
    if solution.number < 0:
        return False
    found = hash_attempt(salt=solution.salt, number=solution.number)
    return hmac.compare_digest(found, solution.challenge)


def spend_solution(*, text: str, least_max_number: int = 0) -> bool:
    """Whether `text` is a correct solution, to a challenge at least as
    hard as `least_max_number`, used for the first time; it cannot be used
    again."""
    solution = read_solution(text)
    if solution is None or solution.maxnumber < least_max_number or not is_correct(solution):
        return False
    return spend_proof(
        digest=solution.challenge,
        expires_at=datetime.fromtimestamp(solution.expires, tz=UTC),
    )
