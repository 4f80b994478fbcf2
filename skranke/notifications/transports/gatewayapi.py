"""Text messages through GatewayAPI's REST API (gatewayapi.com).

POST /rest/mtsms with the API token as the Basic-auth user name and a JSON
body: `sender`, `message`, `recipients` (each an `msisdn`, the number in
international form without "+"), `userref` (our message's id, returned in
every delivery status report, so a report finds its message), and
`callback_url` for those reports. GatewayAPI answers 200 with `{"ids":
[…]}`. Texts outside the GSM alphabet are sent with `"encoding": "UCS2"`.
"""

from typing import Any

import requests
from django.conf import settings
from django.urls import reverse

from skranke.notifications.composed import Composed
from skranke.notifications.models import Message
from skranke.notifications.segments import is_gsm7
from skranke.notifications.transports import DeliveryFailed


class GatewayApiTransport:
    def send(self, *, message: Message, composed: Composed) -> str:
        payload: dict[str, Any] = {
            "sender": settings.GATEWAYAPI_SENDER,
            "message": composed.body,
            "recipients": [{"msisdn": int(message.recipient.lstrip("+"))}],
            "userref": str(message.pk),
            "callback_url": settings.SITE_URL + reverse("api-v1:gatewayapi_status"),
        }
        if not is_gsm7(composed.body):
            payload["encoding"] = "UCS2"
        try:
            response = requests.post(
                settings.GATEWAYAPI_URL,
                json=payload,
                auth=(settings.GATEWAYAPI_TOKEN, ""),
                headers={"Accept": "application/json"},
                # Each wait (to connect, for the next bytes) this long at most.
                timeout=settings.GATEWAYAPI_TIMEOUT_SECONDS,
                # GatewayAPI answers where it is asked. A redirect means a
                # wrong address, for the operator to fix, not one to follow
                # with the token.
                allow_redirects=False,
            )
        except (requests.RequestException, ValueError) as error:
            raise DeliveryFailed(f"GatewayAPI did not answer: {error}") from error
        if not 200 <= response.status_code < 300:
            # 400 and 422: GatewayAPI will never take this message. 401 and
            # 403 (a wrong token or address) are fixed by the operator, and
            # the message goes once they are; 5xx passes.
            raise DeliveryFailed(
                f"GatewayAPI answered {response.status_code}",
                permanent=response.status_code in (400, 422),
            )
        try:
            answer = response.json() if response.content else {}
        except ValueError as error:
            raise DeliveryFailed(f"GatewayAPI did not answer: {error}") from error
        ids = answer.get("ids") if isinstance(answer, dict) else None
        return str(ids[0]) if ids else ""
