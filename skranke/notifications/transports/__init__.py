"""Where messages go. A transport has one method, `send`, which returns
the provider's id for the message or raises DeliveryFailed; another SMS
provider is one more module like gatewayapi.py.

Which transport each channel uses is set in settings (SMS_TRANSPORT,
EMAIL_TRANSPORT)."""

from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from skranke.notifications.composed import Composed
from skranke.notifications.models import Message


class DeliveryFailed(Exception):
    """The message did not go. `permanent`: trying again will not help (a
    number the provider refuses); otherwise it is tried again later."""

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


class Transport(Protocol):
    def send(self, *, message: Message, composed: Composed) -> str: ...


TRANSPORTS = {
    "console": "skranke.notifications.transports.console.ConsoleTransport",
    "file": "skranke.notifications.transports.file.FileTransport",
    "email": "skranke.notifications.transports.email.EmailTransport",
    "gatewayapi": "skranke.notifications.transports.gatewayapi.GatewayApiTransport",
}


def transport_for(*, channel: str) -> Transport:
    name = settings.SMS_TRANSPORT if channel == Message.Channel.SMS else settings.EMAIL_TRANSPORT
    transport: Transport = import_string(TRANSPORTS[name])()
    return transport
