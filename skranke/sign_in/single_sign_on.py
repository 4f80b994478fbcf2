"""Single sign-on for staff by OpenID Connect (openid_connect.py), with
the identity provider a municipality has set up (SingleSignOn).

The provider only says who someone is; Skranke decides whether they are
staff and what they may do. A sign-in finds the StaffIdentity an
administrator entered for the provider's stable identifier (the claim
`subject_claim`, `sub` unless chosen otherwise), never the e-mail address,
and creates no one: role and locations stay Skranke's.

Nothing here writes a person to the log: refusals are logged with their
reason and the provider's id only."""

import logging
from collections.abc import Mapping
from dataclasses import dataclass

from django.contrib.sessions.backends.base import SessionBase

from skranke.accounts.models import SingleSignOn, StaffIdentity, User
from skranke.sign_in.openid_connect import (
    SignOnRefused,
    begin_authorization,
    finish_authorization,
    log_sign_in_refusal,
)

logger = logging.getLogger(__name__)

# The session's record of a sign-in that has gone to the provider and not
# come back yet: one at a time, used once.
PENDING_KEY = "single_sign_on_pending"
# "profile" as well: Entra ID puts the object ID (oid) in the ID token only then.
SCOPE = "openid profile"


@dataclass(frozen=True)
class SignOn:
    """A staff member the provider has vouched for, ready to be signed in."""

    user: User
    provider: SingleSignOn
    next_url: str


def enabled_providers() -> list[SingleSignOn]:
    """The providers offered on the sign-in page."""
    return list(SingleSignOn.objects.filter(enabled=True).order_by("name"))


def begin_sign_on(
    *, session: SessionBase, provider: SingleSignOn, redirect_uri: str, next_url: str
) -> str:
    """The provider's address to send the browser to (openid_connect.py)."""
    return begin_authorization(
        session=session,
        pending_key=PENDING_KEY,
        provider=provider,
        redirect_uri=redirect_uri,
        scope=SCOPE,
        remember={"next": next_url},
    )


def _enabled_provider(pk: int) -> SingleSignOn | None:
    return SingleSignOn.objects.filter(pk=pk, enabled=True).first()


def finish_sign_on(*, session: SessionBase, redirect_uri: str, answer: Mapping[str, str]) -> SignOn:
    """The staff member the provider's answer (the query of the redirect
    back) vouches for; SignOnRefused if it does not."""
    provider, subject, pending = finish_authorization(
        session=session,
        pending_key=PENDING_KEY,
        redirect_uri=redirect_uri,
        answer=answer,
        find_provider=_enabled_provider,
    )
    user = find_staff_member(provider=provider, subject=subject)
    return SignOn(user=user, provider=provider, next_url=str(pending.get("next", "")))


def find_staff_member(*, provider: SingleSignOn, subject: str) -> User:
    """The active staff member of the provider's municipality with this
    identity at the provider. Only the identifier an administrator entered
    counts: no e-mail address, and no one is created."""
    identity = (
        StaffIdentity.objects.select_related("user")
        .filter(
            provider=provider,
            subject=subject,
            user__municipality_id=provider.municipality_id,
        )
        .first()
    )
    if identity is None:
        raise SignOnRefused("unknown", provider_id=provider.pk)
    if not identity.user.is_active:
        raise SignOnRefused("inactive", provider_id=provider.pk)
    return identity.user


def log_refusal(*, refusal: SignOnRefused) -> None:
    log_sign_in_refusal(refusal=refusal, logger=logger, sign_in="Single sign-on")
