"""Development: print each message on the worker's console."""

import sys

from skranke.notifications.composed import Composed
from skranke.notifications.models import Message


class ConsoleTransport:
    def send(self, *, message: Message, composed: Composed) -> str:
        heading = f"--- {message.get_channel_display()} to {message.recipient}"
        lines = [heading, composed.subject, composed.body, "---"]
        sys.stdout.write("\n".join(line for line in lines if line) + "\n")
        sys.stdout.flush()
        return f"console-{message.pk}"
