"""Text messages citizens send to Skranke's number, passed on by the SMS
provider (GatewayAPI's webhook for incoming messages, "MO"): what they do
is inquiries/text_replies.py's.

GatewayAPI posts each message as JSON: its `id`, the sender's number
`msisdn` with its country code, as a number (4520123456), our number
`receiver`, the `message` and `senttime` (seconds since 1970), and more
that is not read here (`webhook_label`, `encoding`, …). It signs it as it
signs the delivery reports (delivery_reports.py): a JSON Web Token in the
X-Gwapi-Signature header, HS256 with GATEWAYAPI_WEBHOOK_SECRET, whose
claims are the message. A message without a valid signature, or whose
body says other than its claims, is refused (401) and nothing is kept.

Every other message is answered 204 at once, one from a number Skranke
does not know too: GatewayAPI sends again what it does not see answered.
A message sent again, by GatewayAPI or by someone who copied it, changes
nothing: a message is acted on once per GatewayAPI's id, and the row that
says so outlives the text's retention. So, unlike a delivery report, a
message is not refused for its age: GatewayAPI may send it again for
hours while we do not answer, and the citizen's JA still counts from when
they sent it (`senttime`).
"""

from datetime import UTC, datetime

from django.http import HttpRequest
from ninja import Field, Header, Router, Schema
from ninja.responses import Status

from skranke.api.delivery_reports import read_gatewayapi_claims
from skranke.api.errors import ApiError
from skranke.core import clock
from skranke.inquiries.text_replies import receive_text_reply
from skranke.notifications.signatures import BadSignature

router = Router(tags=["notifications"])

# A long text comes as one message, its parts joined; ten parts is more
# than any answer to a reminder.
MESSAGE_MAX = 1600


# What is read of the message, so what its claims must say the same of. A
# number may be written as a number or as text, in either.
SIGNED = ("id", "msisdn", "receiver", "message", "senttime")


class IncomingText(Schema):
    id: int
    msisdn: int
    receiver: int | None = None
    message: str = Field(default="", max_length=MESSAGE_MAX)
    senttime: int | None = None


@router.post(
    "/notifications/gatewayapi/incoming",
    response={204: None},
    url_name="gatewayapi_incoming",
    include_in_schema=False,
)
def gatewayapi_incoming(
    request: HttpRequest,
    incoming: IncomingText,
    signature: str = Header("", alias="X-Gwapi-Signature", max_length=4000),
) -> Status[None]:
    now = clock.now()
    try:
        claims = read_gatewayapi_claims(request=request, signature=signature, now=now)
    except BadSignature as error:
        raise ApiError(401, "bad_signature", "The message's signature is not valid.") from error
    # The signed claims are the message; the body must say the same, or a
    # copied token could carry another text, or another sender's.
    body = incoming.model_dump()
    if any(_as_text(claims.get(name)) != _as_text(body[name]) for name in SIGNED):
        raise ApiError(401, "bad_signature", "The message does not match its signature.")
    receive_text_reply(
        provider_id=str(incoming.id),
        sender=f"+{incoming.msisdn}",
        text=incoming.message,
        sent_at=_sent_at(incoming.senttime, now=now),
        now=now,
    )
    return Status(204, None)


def _sent_at(moment: int | None, *, now: datetime) -> datetime:
    """When the citizen sent it; now, when GatewayAPI does not say (or says
    something no clock shows)."""
    if moment is None:
        return now
    try:
        return datetime.fromtimestamp(moment, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return now


def _as_text(value: object) -> str:
    return "" if value is None else str(value)
