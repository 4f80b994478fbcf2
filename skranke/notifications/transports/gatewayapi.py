"""Text messages through GatewayAPI's REST API (gatewayapi.com).

POST /rest/mtsms with the API token as the Basic-auth user name and a JSON
body: `sender`, `message`, `recipients` (each an `msisdn`, the number in
international form without "+"), `userref` (our message's id, returned in
every delivery status report, so a report finds its message), and
`callback_url` for those reports. GatewayAPI answers 200 with `{"ids":
[…]}`. Texts outside the GSM alphabet are sent with `"encoding": "UCS2"`.
"""

import base64
import json
import urllib.error
import urllib.request

from django.conf import settings
from django.urls import reverse

from skranke.notifications.composing import Composed
from skranke.notifications.models import Message
from skranke.notifications.segments import is_gsm7
from skranke.notifications.transports import DeliveryFailed


class GatewayApiTransport:
    def send(self, *, message: Message, composed: Composed) -> str:
        payload: dict[str, object] = {
            "sender": settings.GATEWAYAPI_SENDER,
            "message": composed.body,
            "recipients": [{"msisdn": int(message.recipient.lstrip("+"))}],
            "userref": str(message.pk),
            "callback_url": settings.SITE_URL + reverse("api-v1:gatewayapi_status"),
        }
        if not is_gsm7(composed.body):
            payload["encoding"] = "UCS2"
        credentials = base64.b64encode(f"{settings.GATEWAYAPI_TOKEN}:".encode()).decode()
        request = urllib.request.Request(  # noqa: S310 - the configured https address
            settings.GATEWAYAPI_URL,
            data=json.dumps(payload).encode(),
            method="POST",
            headers={
                "Authorization": f"Basic {credentials}",
                "Content-Type": "application/json",
                "Accept": "application/json",
            },
        )
        try:
            timeout = settings.GATEWAYAPI_TIMEOUT_SECONDS
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                answer = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            # 400 and 422: GatewayAPI will never take this message. 401 and
            # 403 (a wrong token or address) are fixed by the operator, and
            # the message goes once they are; 5xx passes.
            permanent = error.code in (400, 422)
            raise DeliveryFailed(
                f"GatewayAPI answered {error.code}", permanent=permanent
            ) from error
        except (TimeoutError, urllib.error.URLError, OSError, ValueError) as error:
            raise DeliveryFailed(f"GatewayAPI did not answer: {error}") from error
        ids = answer.get("ids") if isinstance(answer, dict) else None
        return str(ids[0]) if ids else ""
