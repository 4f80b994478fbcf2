"""Long random tokens that sign in what is not a person: kiosks and displays
(Device) and other systems (IntegrationToken). A token is shown once, when
it is made; only its SHA-256 is stored, so a copy of the database signs no
one in. A holder is shut out at once when its token is revoked."""

import hashlib
import secrets
from typing import TypeVar

from django.db.models import QuerySet
from django.http import HttpRequest

from skranke.accounts.models import Device, IntegrationToken
from skranke.core import clock

Holder = TypeVar("Holder", bound=Device | IntegrationToken)

# Far longer than any token made here: anything longer is not ours, and is
# not worth hashing.
LONGEST_TOKEN = 200


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(*, holder: Device | IntegrationToken) -> str:
    """A new token for `holder` (replacing any earlier one and lifting a
    revocation), to be shown once. The caller saves the holder."""
    token = secrets.token_urlsafe(32)
    holder.token_hash = hash_token(token)
    holder.revoked_at = None
    return token


def revoke_token(*, holder: Device | IntegrationToken) -> None:
    type(holder)._default_manager.filter(pk=holder.pk, revoked_at__isnull=True).update(
        revoked_at=clock.now()
    )


def find_holder(*, holders: QuerySet[Holder], token: str) -> Holder | None:
    """The holder among `holders` whose unrevoked token `token` is, or None."""
    if not token or len(token) > LONGEST_TOKEN:
        return None
    return holders.filter(token_hash=hash_token(token.strip()), revoked_at__isnull=True).first()


def bearer_token(*, request: HttpRequest) -> str:
    """The token of an `Authorization: Bearer <token>` header, or ""."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token if scheme.lower() == "bearer" else ""
