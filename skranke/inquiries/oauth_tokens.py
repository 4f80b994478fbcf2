"""Access tokens for signing in to the shared mailbox with OAuth 2: the
client-credentials grant (RFC 6749, 4.4), as Microsoft 365 wants for an
app that reads a mailbox with IMAP's AUTHENTICATE XOAUTH2.

A token is kept in Django's cache until shortly before it expires, so the
worker asks the token endpoint about once an hour, not on every round. The
client secret and the tokens never appear in an exception's text, in a
cache key or in a log."""

import hashlib
from urllib.parse import quote_plus, urlsplit

import requests
from django.core.cache import cache

# A token is used no later than this long before it expires: a token that
# expires while the mailbox is read would fail the round.
EXPIRY_MARGIN_SECONDS = 60
# Plain http only to a stand-in on this machine (the tests'); the secret
# must not cross a network unencrypted.
LOCAL_HOSTS = ("127.0.0.1", "localhost")
# How much of the endpoint's explanation of a refusal to keep.
EXPLANATION_LENGTH = 300


class TokenRefused(Exception):
    """The token endpoint said no (4xx): a wrong client id or secret, an
    expired secret, a scope the app may not have."""


class TokenEndpointUnreachable(Exception):
    """No usable answer from the token endpoint: the network, a timeout, a
    5xx, an answer that is not a token."""


def fetch_access_token(
    *, token_url: str, client_id: str, client_secret: str, scope: str, timeout: float = 20.0
) -> str:
    """An access token for `scope` by the client-credentials grant, from the
    cache while it has more than a minute left, else from `token_url`.

    Raises ValueError for a token URL that is not https (other than to this
    machine), TokenRefused and TokenEndpointUnreachable."""
    _check_token_url(token_url)
    key = _cache_key(token_url=token_url, client_id=client_id, scope=scope)
    kept = cache.get(key)
    if isinstance(kept, str) and kept:
        return kept
    # As typed, and as the form carries it: an endpoint may echo either.
    secrets = (client_secret, quote_plus(client_secret))
    try:
        response = requests.post(
            token_url,
            data={
                "grant_type": "client_credentials",
                "client_id": client_id,
                "client_secret": client_secret,
                "scope": scope,
            },
            headers={"Accept": "application/json"},
            timeout=timeout,
            # A redirect means a wrong address, for the administrator to
            # fix, not one to send the secret on to.
            allow_redirects=False,
        )
    except requests.RequestException as error:
        # Not chained: the exception holds the request, and so the secret.
        raise TokenEndpointUnreachable(
            _without(f"{token_url} did not answer: {error}", secrets)
        ) from None
    if 400 <= response.status_code < 500:
        raise TokenRefused(
            f"{token_url} refused the client {client_id!r} "
            f"({response.status_code}): {_explanation(response, secrets)}"
        )
    if response.status_code != 200:
        raise TokenEndpointUnreachable(f"{token_url} answered {response.status_code}")
    try:
        answer = response.json()
    except ValueError:
        raise TokenEndpointUnreachable(f"{token_url} answered something other than JSON") from None
    token = answer.get("access_token") if isinstance(answer, dict) else None
    if not isinstance(token, str) or not token:
        raise TokenEndpointUnreachable(f"{token_url} answered without an access token")
    seconds = _lifetime(answer.get("expires_in"))
    if seconds > EXPIRY_MARGIN_SECONDS:
        cache.set(key, token, seconds - EXPIRY_MARGIN_SECONDS)
    return token


def forget_access_token(*, token_url: str, client_id: str, scope: str) -> None:
    """Drop the kept token, so the next fetch asks the endpoint: for when
    the mailbox refused it (revoked before it expired)."""
    cache.delete(_cache_key(token_url=token_url, client_id=client_id, scope=scope))


def _check_token_url(token_url: str) -> None:
    parts = urlsplit(token_url)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and parts.hostname in LOCAL_HOSTS:
        return
    raise ValueError(f"the token URL must begin with https://, not {token_url!r}")


def _cache_key(*, token_url: str, client_id: str, scope: str) -> str:
    # Hashed: any cache backend takes the key, whatever the URL's length
    # and characters.
    digest = hashlib.sha256("\n".join((token_url, client_id, scope)).encode()).hexdigest()
    return f"inquiries:oauth-token:{digest}"


def _lifetime(expires_in: object) -> int:
    """The token's lifetime in seconds as the endpoint gave it (a number or
    a string of one, as some endpoints send it); 0 if it gave none."""
    if isinstance(expires_in, bool):
        return 0
    if isinstance(expires_in, int | float):
        return int(expires_in)
    if isinstance(expires_in, str) and expires_in.strip().isdigit():
        return int(expires_in)
    return 0


def _explanation(response: requests.Response, secrets: tuple[str, ...]) -> str:
    """The endpoint's reason for a refusal: OAuth's `error` and
    `error_description` when it gave them, else the start of its answer;
    without the secrets (blotted out before the text is cut, so that no
    part of one is left)."""
    try:
        answer = response.json()
    except ValueError:
        answer = None
    if isinstance(answer, dict) and answer.get("error"):
        text = f"{answer.get('error')}: {answer.get('error_description', '')}"
    else:
        text = response.text
    return " ".join(_without(text, secrets).split())[:EXPLANATION_LENGTH]


def _without(text: str, secrets: tuple[str, ...]) -> str:
    """`text` with each secret blotted out: an endpoint may echo what it was
    sent, and an exception's text ends up in logs and on the admin page."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text
