"""The named limits (settings: RATE_LIMIT_*; docs/configuration.md) and
what each counts. The counted value (an address, a mobile number, a
device) is kept only as a keyed hash: the counters hold no personal data
in clear, and without SECRET_KEY a number cannot be tested against them."""

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest

from skranke.rate_limits.allowance import Decision, spend_allowance
from skranke.web.client_address import client_network


@dataclass(frozen=True)
class Limit:
    name: str
    setting: str  # read on every use, so that a changed setting takes hold at once
    window_seconds: int

    @property
    def allowed(self) -> int:
        return int(getattr(settings, self.setting))


BOOKINGS_PER_ADDRESS = Limit("booking-address", "RATE_LIMIT_BOOKINGS_PER_ADDRESS_PER_HOUR", 3600)
BOOKINGS_PER_PHONE = Limit("booking-phone", "RATE_LIMIT_BOOKINGS_PER_PHONE_PER_DAY", 86400)
CHECK_INS_PER_DEVICE = Limit("check-in-device", "RATE_LIMIT_CHECK_INS_PER_DEVICE_PER_MINUTE", 60)
DEVICE_SIGN_INS_PER_ADDRESS = Limit(
    "device-sign-in-address", "RATE_LIMIT_DEVICE_SIGN_INS_PER_ADDRESS_PER_15_MINUTES", 900
)
PASSWORD_RESETS_PER_ADDRESS = Limit(
    "password-reset-address", "RATE_LIMIT_PASSWORD_RESETS_PER_ADDRESS_PER_HOUR", 3600
)
PASSWORD_RESETS_PER_ACCOUNT = Limit(
    "password-reset-account", "RATE_LIMIT_PASSWORD_RESETS_PER_ACCOUNT_PER_HOUR", 3600
)
ANONYMOUS_API_PER_ADDRESS = Limit(
    "api-address", "RATE_LIMIT_ANONYMOUS_API_PER_ADDRESS_PER_MINUTE", 60
)
PROVIDER_WEBHOOKS_PER_NETWORK = Limit(
    "webhook-network", "RATE_LIMIT_PROVIDER_WEBHOOKS_PER_NETWORK_PER_MINUTE", 60
)
SIGNED_POST_REPEATS = Limit("signed-post", "RATE_LIMIT_SIGNED_POST_REPEATS_PER_HOUR", 3600)


class RateLimited(Exception):
    """A use refused by a limit; the API answers it as 429 (api/errors.py)."""

    def __init__(self, decision: Decision) -> None:
        super().__init__("rate limited")
        self.decision = decision


def keyed_hash(value: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256)
    return digest.hexdigest()[:40]


def spend(limit: Limit, *, value: str) -> Decision:
    """One use of `limit` by `value`."""
    return spend_allowance(
        key=f"{limit.name}:{keyed_hash(value)}",
        limit=limit.allowed,
        window_seconds=limit.window_seconds,
    )


def network_of_caller(request: HttpRequest) -> str:
    """The caller's network, as the sign-in lockout counts it (an IPv4
    address, an IPv6 /64; web/client_address.py)."""
    return client_network(request) or "unknown"


def spend_booking_allowance(*, request: HttpRequest, phone: str) -> Decision:
    """A booking attempt: counted for the caller's address and, unless the
    address is already refused, for the mobile number (normalised, so that
    "20 12 34 56" and "+4520123456" count together). Attempts count, not
    bookings made: someone hoarding times is stopped while trying."""
    # Both counts in one transaction: on SQLite one turn at the write lock,
    # not two, in the rush when every booking waits for it.
    with transaction.atomic():
        by_address = spend(BOOKINGS_PER_ADDRESS, value=network_of_caller(request))
        if not by_address.allowed or not phone:
            return by_address
        return spend(BOOKINGS_PER_PHONE, value=phone)


def spend_signed_post_allowance(*, request: HttpRequest, signature: str, valid: bool) -> Decision:
    """A post to the SMS provider's webhook (the middleware has counted its
    network at the webhooks' own, high limit). A valid signature counts
    for itself: the provider's tokens carry no time, so a copied one could
    otherwise be posted again without end. One that is not valid counts as
    any stranger's API call does, for the caller's network."""
    if valid:
        return spend(SIGNED_POST_REPEATS, value=signature)
    return spend(ANONYMOUS_API_PER_ADDRESS, value=network_of_caller(request))


def refuse_unless_allowed(decision: Decision) -> None:
    if not decision.allowed:
        raise RateLimited(decision)
