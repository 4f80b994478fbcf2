"""Delivery status reports from the SMS provider (GatewayAPI's webhook).
Signed by the provider; the report's `userref` is our message's id."""

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Header, Router, Schema
from ninja.responses import Status

from skranke.api.errors import ApiError
from skranke.notifications.delivery import record_delivery_status
from skranke.notifications.signatures import BadSignature, verify_hs256_token

router = Router(tags=["notifications"])


class DeliveryReport(Schema):
    id: int
    msisdn: int | None = None
    time: int | None = None
    status: str = Field(max_length=30)
    userref: str = Field(default="", max_length=50)
    error: str | None = Field(default=None, max_length=500)
    code: str | None = Field(default=None, max_length=20)


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
    try:
        claims = verify_hs256_token(token=signature, secret=settings.GATEWAYAPI_WEBHOOK_SECRET)
    except BadSignature as error:
        raise ApiError(401, "bad_signature", "The report's signature is not valid.") from error
    # The signed claims are the report; the body must say the same.
    if claims.get("id") != report.id or str(claims.get("userref", "")) != report.userref:
        raise ApiError(401, "bad_signature", "The report does not match its signature.")
    if report.userref.isdigit():
        record_delivery_status(
            message_id=int(report.userref), provider_id=str(report.id), status=report.status
        )
    # Unknown messages are acknowledged too, or the provider would retry
    # them for days.
    return Status(204, None)
