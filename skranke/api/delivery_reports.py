"""Delivery status reports from the SMS provider (GatewayAPI's webhook).
Signed by the provider; the report's `userref` is our message's id.

A report is refused when its signature says it is old or not yet valid
(exp, nbf, iat: a token issued more than five minutes ago), and when the
moment of the status it reports (`time`, signed with the rest) lies in the
future or more than a day back. A day, not minutes: GatewayAPI's tokens
carry no iat, it sends a report again for about fifteen hours while we do
not answer, and every one of those tries must still count.

A report sent again, by the provider or by someone who copied it, changes
nothing: recording is idempotent (record_delivery_status). The same status
again is no change, a late report never undoes a final one, and as the
signed `userref` and `id` name the message, a copied report can only
repeat what the provider once said about that message. No store of seen
reports is needed for that, which would have to be shared by every app
process.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Header, Router, Schema
from ninja.responses import Status

from skranke.api.errors import ApiError
from skranke.core import clock
from skranke.notifications.delivery import record_delivery_status
from skranke.notifications.signatures import BadSignature, check_token_times, verify_hs256_token
from skranke.rate_limits.limits import refuse_unless_allowed, spend_signed_post_allowance

router = Router(tags=["notifications"])

TOKEN_MAX_AGE = timedelta(minutes=5)
REPORT_MAX_AGE = timedelta(days=1)
CLOCK_LEEWAY = timedelta(minutes=1)


class DeliveryReport(Schema):
    id: int
    msisdn: int | None = None
    time: int | None = None
    status: str = Field(max_length=30)
    userref: str = Field(default="", max_length=50)
    error: str | None = Field(default=None, max_length=500)
    code: str | None = Field(default=None, max_length=20)


def read_gatewayapi_claims(
    *, request: HttpRequest, signature: str, now: datetime
) -> dict[str, Any]:
    """The claims of a GatewayAPI webhook's signature (X-Gwapi-Signature),
    checked: signed with our secret, issued within TOKEN_MAX_AGE. Raises
    BadSignature, or RateLimited (429) when the same signature has come
    too often, or the caller has sent too many that were not valid. The
    status reports' and the incoming texts' alike."""
    try:
        claims = verify_hs256_token(token=signature, secret=settings.GATEWAYAPI_WEBHOOK_SECRET)
        check_token_times(claims=claims, now=now, max_age=TOKEN_MAX_AGE, leeway=CLOCK_LEEWAY)
    except BadSignature:
        refuse_unless_allowed(
            spend_signed_post_allowance(request=request, signature=signature, valid=False)
        )
        raise
    refuse_unless_allowed(
        spend_signed_post_allowance(request=request, signature=signature, valid=True)
    )
    return claims


@router.post(
    "/notifications/gatewayapi/status",
    response={204: None},
    url_name="gatewayapi_status",
    include_in_schema=False,
)
def gatewayapi_status(
    request: HttpRequest,
    report: DeliveryReport,
    signature: str = Header("", alias="X-Gwapi-Signature", max_length=4000),
) -> Status[None]:
    now = clock.now()
    try:
        claims = read_gatewayapi_claims(request=request, signature=signature, now=now)
    except BadSignature as error:
        raise ApiError(401, "bad_signature", "The report's signature is not valid.") from error
    # The signed claims are the report; the body must say the same, its
    # status too (or a copied token could carry any status).
    if (
        claims.get("id") != report.id
        or str(claims.get("userref", "")) != report.userref
        or claims.get("status") != report.status
    ):
        raise ApiError(401, "bad_signature", "The report does not match its signature.")
    if not _reported_lately(claims.get("time"), now=now):
        raise ApiError(401, "stale_report", "The report is too old, or from the future.")
    if report.userref.isdigit():
        record_delivery_status(
            message_id=int(report.userref), provider_id=str(report.id), status=report.status
        )
    # Unknown messages are acknowledged too, or the provider would retry
    # them for days.
    return Status(204, None)


def _reported_lately(moment: object, *, now: datetime) -> bool:
    """Whether the signed moment of the status (seconds since 1970; none
    given: no telling) is within the last day, give or take the clocks'
    leeway."""
    if moment is None:
        return True
    if not isinstance(moment, int | float) or isinstance(moment, bool):
        return False
    try:
        reported = datetime.fromtimestamp(moment, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return False
    return now - REPORT_MAX_AGE - CLOCK_LEEWAY <= reported <= now + CLOCK_LEEWAY
