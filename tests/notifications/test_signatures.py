"""The signature on GatewayAPI's status reports: a token signed with the
webhook's secret by HS256 is taken; no other algorithm, no "none", no
other secret, no altered claims. The tokens here are made by hand, so that
they do not depend on the code that checks them."""

import base64
import hmac
import json
from datetime import UTC, datetime, timedelta

import pytest

from skranke.notifications.signatures import (
    BadSignature,
    check_token_times,
    sign_hs256_token,
    verify_hs256_token,
)

SECRET = "webhook-secret"
CLAIMS = {"id": 1001, "status": "DELIVERED", "userref": "17"}


def encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def token(
    header: object,
    claims: object = CLAIMS,
    *,
    secret: str = SECRET,
    digest: str = "sha256",
    signature: str | None = None,
) -> str:
    signed = f"{encode(json.dumps(header).encode())}.{encode(json.dumps(claims).encode())}"
    if signature is None:
        signature = encode(hmac.new(secret.encode(), signed.encode(), digest).digest())
    return f"{signed}.{signature}"


def test_a_token_as_gatewayapi_makes_it_is_taken() -> None:
    made = token({"alg": "HS256", "typ": "JWT"})
    assert verify_hs256_token(token=made, secret=SECRET) == CLAIMS
    # Other header fields do not matter.
    assert verify_hs256_token(token=token({"alg": "HS256", "kid": "1"}), secret=SECRET) == CLAIMS
    signed = sign_hs256_token(claims=CLAIMS, secret=SECRET)
    assert verify_hs256_token(token=signed, secret=SECRET) == CLAIMS


@pytest.mark.parametrize(
    "forged",
    [
        pytest.param(token({"alg": "HS256"}, secret="guessed"), id="another secret"),
        pytest.param(token({"alg": "none"}, signature=""), id="alg none, unsigned"),
        pytest.param(token({"alg": "none", "typ": "JWT"}), id="alg none, signed anyway"),
        pytest.param(token({"alg": "None"}, signature=""), id="alg None"),
        pytest.param(token({"alg": "HS512"}, digest="sha512"), id="HS512, same secret"),
        pytest.param(token({"alg": "HS384"}, digest="sha384"), id="HS384, same secret"),
        pytest.param(token({"alg": "hs256"}), id="alg in lower case"),
        pytest.param(token({"alg": "RS256"}), id="RS256 header, HMAC signature"),
        pytest.param(token({"typ": "JWT"}), id="no alg"),
        pytest.param(token({"alg": ["HS256"]}), id="alg not a string"),
        pytest.param(token(["HS256"]), id="header not an object"),
        pytest.param(token({"alg": "HS256"}, ["a", "list"]), id="claims not an object"),
        pytest.param(token({"alg": "HS256", "crit": ["b64"], "b64": False}), id="unencoded"),
        pytest.param(token({"alg": "HS256"}, signature="c2lnbmF0dXJl"), id="wrong signature"),
        pytest.param("", id="empty"),
        pytest.param("a.b", id="two parts"),
        pytest.param("a.b.c.d.e", id="five parts, as an encrypted token"),
        pytest.param("æøå.b.c", id="not base64"),
    ],
)
def test_a_forged_or_malformed_token_is_refused(forged: str) -> None:
    with pytest.raises(BadSignature):
        verify_hs256_token(token=forged, secret=SECRET)


def test_altered_claims_are_refused() -> None:
    header, _claims, signature = token({"alg": "HS256"}).split(".")
    altered = encode(json.dumps(CLAIMS | {"status": "UNDELIVERABLE"}).encode())
    with pytest.raises(BadSignature):
        verify_hs256_token(token=f"{header}.{altered}.{signature}", secret=SECRET)


def test_without_a_secret_nothing_is_taken() -> None:
    # Not even a token "signed" with the empty secret.
    with pytest.raises(BadSignature):
        verify_hs256_token(token=token({"alg": "HS256"}, secret=""), secret="")


NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
MOMENT = int(NOW.timestamp())


def times_pass(**claims: object) -> bool:
    try:
        check_token_times(
            claims=claims, now=NOW, max_age=timedelta(minutes=5), leeway=timedelta(minutes=1)
        )
    except BadSignature:
        return False
    return True


def test_the_times_a_token_carries_are_checked_with_leeway() -> None:
    assert times_pass()  # GatewayAPI's tokens carry none
    assert times_pass(exp=MOMENT + 300, iat=MOMENT - 30, nbf=MOMENT - 30)
    assert times_pass(exp=MOMENT - 30)  # within the clocks' leeway
    assert not times_pass(exp=MOMENT - 120)
    assert times_pass(iat=MOMENT - 5 * 60 - 30)
    assert not times_pass(iat=MOMENT - 10 * 60)  # issued too long ago
    assert not times_pass(iat=MOMENT + 10 * 60)
    assert not times_pass(nbf=MOMENT + 10 * 60)
    assert times_pass(nbf=MOMENT + 30)


@pytest.mark.parametrize("value", ["yesterday", True, None, float("nan"), [MOMENT]])
@pytest.mark.parametrize("name", ["exp", "nbf", "iat"])
def test_a_time_that_is_not_a_number_is_refused(name: str, value: object) -> None:
    assert not times_pass(**{name: value})
