"""Citizens sign in with MitID through the municipality's broker
(CitizenSignIn), by OpenID Connect (openid_connect.py), when they book:
required for an errand a manager has chosen (a scarce errand in a rush,
a sensitive telephone-meeting topic), and otherwise offered, since a
signed-in citizen needs no code by text message.

What Skranke keeps is a pseudonym: a keyed hash of the broker's subject
and its issuer, in the browser session for an hour and on the booking, so
that one person holds one booking of an errand. Never a CPR number: a
broker set up to send one as the subject is refused, and nothing else the
broker tells (a name, an age) is read."""

import logging
from collections.abc import Mapping
from dataclasses import dataclass

from django.contrib.sessions.backends.base import SessionBase
from django.utils.crypto import salted_hmac

from skranke.accounts.models import CitizenSignIn
from skranke.core import clock
from skranke.core.cpr import contains_cpr_number
from skranke.core.models import Municipality
from skranke.sign_in.openid_connect import (
    SignOnRefused,
    begin_authorization,
    finish_authorization,
    log_sign_in_refusal,
)

logger = logging.getLogger(__name__)

PENDING_KEY = "citizen_sign_in_pending"
SESSION_KEY = "citizen_signed_in"
# The broker's pseudonymous subject is all Skranke asks for.
SCOPE = "openid"
# How long a sign-in lasts in the browser: a booking's steps, with time to spare.
SIGNED_IN_SECONDS = 60 * 60
KEY_SALT = "skranke.sign_in.citizen_sign_in"


@dataclass(frozen=True)
class CitizenSignedIn:
    municipality_id: int
    next_url: str


def broker_for(*, municipality: Municipality | None) -> CitizenSignIn | None:
    """The municipality's MitID broker, if it has one switched on."""
    if municipality is None:
        return None
    return CitizenSignIn.objects.filter(municipality=municipality, enabled=True).first()


def pseudonym_of(*, broker: CitizenSignIn, subject: str) -> str:
    """The person as Skranke keeps them: not the subject itself."""
    return salted_hmac(KEY_SALT, f"{broker.issuer}|{subject}", algorithm="sha256").hexdigest()[:40]


def begin_citizen_sign_in(
    *, session: SessionBase, broker: CitizenSignIn, redirect_uri: str, next_url: str
) -> str:
    """The broker's address to send the browser to."""
    return begin_authorization(
        session=session,
        pending_key=PENDING_KEY,
        provider=broker,
        redirect_uri=redirect_uri,
        scope=SCOPE,
        remember={"next": next_url},
    )


def _enabled_broker(pk: int) -> CitizenSignIn | None:
    return CitizenSignIn.objects.filter(pk=pk, enabled=True).first()


def finish_citizen_sign_in(
    *, session: SessionBase, redirect_uri: str, answer: Mapping[str, str]
) -> CitizenSignedIn:
    """Sign the browser's citizen in from the broker's answer, or raise
    SignOnRefused."""
    broker, subject, pending = finish_authorization(
        session=session,
        pending_key=PENDING_KEY,
        redirect_uri=redirect_uri,
        answer=answer,
        find_provider=_enabled_broker,
    )
    if contains_cpr_number(subject):
        # A broker set up to send the CPR number as the subject: refused,
        # and the number is neither kept nor logged.
        raise SignOnRefused("misconfigured", provider_id=broker.pk)
    session.cycle_key()  # a new session id for a signed-in citizen
    session[SESSION_KEY] = {
        "pseudonym": pseudonym_of(broker=broker, subject=subject),
        "municipality": broker.municipality_id,
        "until": clock.now().timestamp() + SIGNED_IN_SECONDS,
    }
    return CitizenSignedIn(
        municipality_id=broker.municipality_id, next_url=str(pending.get("next", ""))
    )


def signed_in_pseudonym(*, session: SessionBase, municipality_id: int) -> str:
    """The pseudonym of the citizen signed in in this browser for this
    municipality; empty if none, or the hour is up."""
    signed_in = session.get(SESSION_KEY)
    if not isinstance(signed_in, dict) or signed_in.get("municipality") != municipality_id:
        return ""
    if clock.now().timestamp() >= float(signed_in.get("until", 0)):
        return ""
    return str(signed_in.get("pseudonym", ""))


def sign_citizen_out(*, session: SessionBase) -> None:
    session.pop(SESSION_KEY, None)


def log_citizen_refusal(*, refusal: SignOnRefused) -> None:
    log_sign_in_refusal(refusal=refusal, logger=logger, sign_in="Citizen sign-in")
