"""Checking the signature on GatewayAPI's status reports: each carries a
JSON Web Token signed with HMAC-SHA256 and the secret set on the webhook
(header X-Gwapi-Signature). Checked with joserfc, as single sign-on checks
its ID tokens (sign_in/single_sign_on.py)."""

from datetime import datetime, timedelta
from typing import Any

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey
from joserfc.jws import JWSRegistry

# GatewayAPI signs with HS256. The token's header may not choose another
# way to be checked: not "none", not another algorithm.
ALGORITHM = "HS256"
# Only the algorithm is pinned: other header fields are let through, as
# GatewayAPI may add some (a `crit` joserfc does not know is still refused).
_REGISTRY = JWSRegistry(algorithms=[ALGORITHM], strict_check_header=False)
# The times a token may carry (RFC 7519, 4.1.4-6); its other claims are the
# report, which the caller compares with the body.
TIME_CLAIMS = ("exp", "nbf", "iat")


class BadSignature(Exception):
    pass


def verify_hs256_token(*, token: str, secret: str) -> dict[str, Any]:
    """The token's claims, if it is signed with `secret` using HS256."""
    if not secret:
        raise BadSignature  # no secret configured: accept nothing
    try:
        decoded = jwt.decode(token, OctKey.import_key(secret), registry=_REGISTRY)
    except (JoseError, ValueError, TypeError) as error:
        raise BadSignature from error
    return decoded.claims


def check_token_times(
    *, claims: dict[str, Any], now: datetime, max_age: timedelta, leeway: timedelta
) -> None:
    """RFC 7519's times, where the token carries them: not expired (exp),
    not used before its time (nbf), issued (iat) neither in the future nor
    longer than `max_age` ago. `leeway` allows for the two clocks."""
    moment = int(now.timestamp())
    times = {name: claims[name] for name in TIME_CLAIMS if name in claims}
    registry = jwt.JWTClaimsRegistry(now=moment, leeway=int(leeway.total_seconds()))
    try:
        registry.validate(times)
    except JoseError as error:
        raise BadSignature from error
    # How old a token may be is the application's to say (RFC 7519, 4.1.6).
    if "iat" in times and moment - times["iat"] > (max_age + leeway).total_seconds():
        raise BadSignature


def sign_hs256_token(*, claims: dict[str, Any], secret: str) -> str:
    """A token as GatewayAPI makes them; for tests and the fake provider."""
    return jwt.encode(
        {"alg": ALGORITHM}, dict(claims), OctKey.import_key(secret), registry=_REGISTRY
    )
