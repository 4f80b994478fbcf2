"""OpenID Connect, the protocol: the authorization code flow with PKCE,
state and nonce, and the ID token checked here, not trusted. Used by the
staff's single sign-on (single_sign_on.py) and the citizens' MitID through
a broker (citizen_sign_in.py); each says which provider, what to ask for,
and what the subject it gets back means.

A provider is any row with an issuer, a client ID and secret, and the
claim that identifies a person (Provider)."""

import hashlib
import hmac
from collections.abc import Callable, Mapping
from logging import Logger
from typing import Any, Protocol, TypeVar

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from authlib.oidc.core import CodeIDToken
from django.contrib.sessions.backends.base import SessionBase
from django.core.cache import cache
from django.core.exceptions import ValidationError
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from skranke.accounts.models import validate_issuer_url
from skranke.core import clock

PENDING_SECONDS = 10 * 60
# Clocks differ a little between Skranke and the provider.
LEEWAY_SECONDS = 60
PROVIDER_TIMEOUT_SECONDS = 10
METADATA_CACHE_SECONDS = 60 * 60
# Signatures by the provider's published (public) keys only: never "none",
# never a shared secret.
SIGNING_ALGORITHMS = [
    "RS256",
    "RS384",
    "RS512",
    "PS256",
    "PS384",
    "PS512",
    "ES256",
    "ES384",
    "ES512",
]


class Provider(Protocol):
    pk: Any
    issuer: str
    client_id: str
    client_secret: str
    subject_claim: str


P = TypeVar("P", bound=Provider)


class SignOnRefused(Exception):
    """A sign-in through a provider that signed no one in.

    `reason`: "expired" (no sign-in under way, or it took too long), "state"
    (the answer does not belong to this browser's sign-in), "declined" (the
    provider answered with an error), "unreachable", "misconfigured" (the
    provider's configuration does not match the settings), "token" (the
    code or the ID token was not accepted); and for staff, "unknown" (no
    staff member has this identity), "inactive" (the staff member is
    deactivated)."""

    def __init__(self, reason: str, *, provider_id: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.provider_id = provider_id


def read_provider_metadata(*, provider: Provider) -> dict[str, Any]:
    """The provider's discovery document (its endpoints), kept for an hour."""
    digest = hashlib.sha256(provider.issuer.encode()).hexdigest()[:16]
    key = f"openid-connect:metadata:{type(provider).__name__}:{provider.pk}:{digest}"
    cached = cache.get(key)
    if isinstance(cached, dict):
        return cached
    url = provider.issuer.rstrip("/") + "/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=PROVIDER_TIMEOUT_SECONDS)
        response.raise_for_status()
        metadata = response.json()
    except (requests.RequestException, ValueError) as error:
        raise SignOnRefused("unreachable", provider_id=provider.pk) from error
    if not isinstance(metadata, dict):
        raise SignOnRefused("misconfigured", provider_id=provider.pk)
    # The issuer must be the one the administrator entered (OpenID Connect
    # Discovery 1.0, 4.3): the tokens are checked against it.
    if str(metadata.get("issuer", "")).rstrip("/") != provider.issuer.rstrip("/"):
        raise SignOnRefused("misconfigured", provider_id=provider.pk)
    for endpoint in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        try:
            validate_issuer_url(str(metadata.get(endpoint, "")))
        except ValidationError as error:
            raise SignOnRefused("misconfigured", provider_id=provider.pk) from error
    cache.set(key, metadata, METADATA_CACHE_SECONDS)
    return metadata


def _client(
    *, provider: Provider, redirect_uri: str, auth_method: str, scope: str
) -> OAuth2Session:
    return OAuth2Session(
        client_id=provider.client_id,
        client_secret=provider.client_secret,
        token_endpoint_auth_method=auth_method,
        redirect_uri=redirect_uri,
        scope=scope,
        code_challenge_method="S256",
        default_timeout=PROVIDER_TIMEOUT_SECONDS,
    )


def begin_authorization(
    *,
    session: SessionBase,
    pending_key: str,
    provider: Provider,
    redirect_uri: str,
    scope: str,
    remember: Mapping[str, object],
) -> str:
    """The provider's address to send the browser to. Remembers in the
    session, under `pending_key`, what the answer must match (state, nonce,
    PKCE verifier) and `remember`, the caller's own."""
    metadata = read_provider_metadata(provider=provider)
    verifier = generate_token(64)
    nonce = generate_token(32)
    with _client(
        provider=provider, redirect_uri=redirect_uri, auth_method="none", scope=scope
    ) as client:
        url, state = client.create_authorization_url(
            metadata["authorization_endpoint"],
            state=generate_token(32),
            code_verifier=verifier,
            nonce=nonce,
        )
    session[pending_key] = {
        **remember,
        "provider": provider.pk,
        "state": state,
        "nonce": nonce,
        "verifier": verifier,
        "scope": scope,
        "started": clock.now().timestamp(),
    }
    return str(url)


def finish_authorization(
    *,
    session: SessionBase,
    pending_key: str,
    redirect_uri: str,
    answer: Mapping[str, str],
    find_provider: Callable[[int], P | None],
) -> tuple[P, str, dict[str, Any]]:
    """The provider, the subject its answer (the query of the redirect
    back) vouches for, and what begin_authorization remembered;
    SignOnRefused if it vouches for no one."""
    pending = session.pop(pending_key, None)
    if not isinstance(pending, dict) or (
        clock.now().timestamp() - float(pending.get("started", 0)) > PENDING_SECONDS
    ):
        raise SignOnRefused("expired")
    provider_id = int(pending["provider"])
    if not hmac.compare_digest(answer.get("state", "").encode(), str(pending["state"]).encode()):
        raise SignOnRefused("state", provider_id=provider_id)
    provider = find_provider(provider_id)
    if provider is None:
        raise SignOnRefused("expired", provider_id=provider_id)
    code = answer.get("code", "")
    if "error" in answer or not code:
        raise SignOnRefused("declined", provider_id=provider_id)
    metadata = read_provider_metadata(provider=provider)
    tokens = _exchange_code(
        provider=provider,
        metadata=metadata,
        redirect_uri=redirect_uri,
        code=code,
        verifier=str(pending["verifier"]),
        scope=str(pending["scope"]),
    )
    claims = verify_id_token(
        provider=provider,
        metadata=metadata,
        id_token=tokens.get("id_token"),
        nonce=str(pending["nonce"]),
        access_token=tokens.get("access_token"),
    )
    subject = claims.get(provider.subject_claim)
    if not isinstance(subject, str | int) or isinstance(subject, bool) or subject == "":
        raise SignOnRefused("token", provider_id=provider_id)
    return provider, str(subject), pending


def _exchange_code(
    *,
    provider: Provider,
    metadata: Mapping[str, Any],
    redirect_uri: str,
    code: str,
    verifier: str,
    scope: str,
) -> dict[str, Any]:
    """The provider's tokens for the code, over the back channel."""
    # Without a list the provider takes client_secret_basic (RFC 8414, 2).
    methods = metadata.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    method = "client_secret_basic" if "client_secret_basic" in methods else "client_secret_post"
    with _client(
        provider=provider, redirect_uri=redirect_uri, auth_method=method, scope=scope
    ) as client:
        try:
            tokens = client.fetch_token(
                metadata["token_endpoint"],
                grant_type="authorization_code",
                code=code,
                code_verifier=verifier,
            )
        except requests.RequestException as error:
            raise SignOnRefused("unreachable", provider_id=provider.pk) from error
        except (AuthlibBaseError, ValueError) as error:
            raise SignOnRefused("token", provider_id=provider.pk) from error
    return dict(tokens)


def _provider_keys(*, provider: Provider, metadata: Mapping[str, Any]) -> KeySet:
    # Fetched at each sign-in, so that a provider's new keys work at once.
    try:
        response = requests.get(metadata["jwks_uri"], timeout=PROVIDER_TIMEOUT_SECONDS)
        response.raise_for_status()
        return KeySet.import_key_set(response.json())
    except (requests.RequestException, ValueError) as error:
        raise SignOnRefused("unreachable", provider_id=provider.pk) from error
    except (JoseError, TypeError, KeyError) as error:
        raise SignOnRefused("misconfigured", provider_id=provider.pk) from error


def verify_id_token(
    *,
    provider: Provider,
    metadata: Mapping[str, Any],
    id_token: object,
    nonce: str,
    access_token: object = None,
) -> dict[str, Any]:
    """The ID token's claims, once its signature (by the provider's keys),
    issuer, audience (our client ID), times (by Skranke's clock) and nonce
    have been checked; SignOnRefused("token") if any fails."""
    if not isinstance(id_token, str):
        raise SignOnRefused("token", provider_id=provider.pk)
    keys = _provider_keys(provider=provider, metadata=metadata)
    try:
        token = jwt.decode(id_token, keys, algorithms=SIGNING_ALGORITHMS)
        claims = CodeIDToken(
            token.claims,
            token.header,
            options={
                "iss": {"essential": True, "value": metadata["issuer"]},
                "aud": {"essential": True, "value": provider.client_id},
            },
            params={
                "nonce": nonce,
                "client_id": provider.client_id,
                "access_token": access_token if isinstance(access_token, str) else None,
            },
        )
        claims.validate(now=int(clock.now().timestamp()), leeway=LEEWAY_SECONDS)
    except (JoseError, AuthlibBaseError, ValueError, TypeError, KeyError) as error:
        raise SignOnRefused("token", provider_id=provider.pk) from error
    return dict(claims)


def log_sign_in_refusal(*, refusal: SignOnRefused, logger: Logger, sign_in: str) -> None:
    """One line for the operators, naming no person: which sign-in (single
    sign-on, a citizen's MitID), why, and which provider; in the logger of
    the sign-in's own module."""
    cause = type(refusal.__cause__).__name__ if refusal.__cause__ is not None else "-"
    logger.warning(
        "%s refused: %s (provider %s, %s).",
        sign_in,
        refusal.reason,
        refusal.provider_id if refusal.provider_id is not None else "-",
        cause,
    )
