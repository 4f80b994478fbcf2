"""Checking the signature on GatewayAPI's status reports: each carries a
JSON Web Token signed with HMAC-SHA256 and the secret set on the webhook
(header X-Gwapi-Signature). A few lines, so no JWT library."""

import base64
import binascii
import hashlib
import hmac
import json
from datetime import datetime, timedelta
from typing import Any


class BadSignature(Exception):
    pass


def _decode_part(part: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    except (binascii.Error, ValueError) as error:
        raise BadSignature from error


def verify_hs256_token(*, token: str, secret: str) -> dict[str, Any]:
    """The token's claims, if it is signed with `secret` using HS256."""
    if not secret:
        raise BadSignature  # no secret configured: accept nothing
    parts = token.split(".")
    if len(parts) != 3:
        raise BadSignature
    header_part, claims_part, signature_part = parts
    try:
        header = json.loads(_decode_part(header_part))
        claims = json.loads(_decode_part(claims_part))
    except (ValueError, UnicodeDecodeError) as error:
        raise BadSignature from error
    # Only HS256: a token may not choose a weaker way to be checked ("none").
    if not isinstance(header, dict) or header.get("alg") != "HS256":
        raise BadSignature
    expected = hmac.new(
        secret.encode(), f"{header_part}.{claims_part}".encode(), hashlib.sha256
    ).digest()
    if not hmac.compare_digest(expected, _decode_part(signature_part)):
        raise BadSignature
    if not isinstance(claims, dict):
        raise BadSignature
    return claims


def check_token_times(
    *, claims: dict[str, Any], now: datetime, max_age: timedelta, leeway: timedelta
) -> None:
    """RFC 7519's times, where the token carries them: not expired (exp),
    not used before its time (nbf), issued (iat) neither in the future nor
    longer than `max_age` ago. `leeway` allows for the two clocks."""
    moment = now.timestamp()
    times = {name: claims[name] for name in ("exp", "nbf", "iat") if name in claims}
    if any(not _is_number(value) for value in times.values()):
        raise BadSignature
    if "exp" in times and moment > times["exp"] + leeway.total_seconds():
        raise BadSignature
    for name in ("nbf", "iat"):
        if name in times and times[name] > moment + leeway.total_seconds():
            raise BadSignature
    if "iat" in times and moment - times["iat"] > (max_age + leeway).total_seconds():
        raise BadSignature


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def sign_hs256_token(*, claims: dict[str, Any], secret: str) -> str:
    """A token as GatewayAPI makes them; for tests and the fake provider."""

    def encode(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    header = encode(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = encode(json.dumps(claims).encode())
    signature = hmac.new(secret.encode(), f"{header}.{body}".encode(), hashlib.sha256).digest()
    return f"{header}.{body}.{encode(signature)}"
