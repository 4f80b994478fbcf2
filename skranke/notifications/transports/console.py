"""Development and demos: print each message on the worker's console, its
links' tokens cut short (masking.py): a console is read over shoulders and
kept in scrollback."""

import sys

from skranke.notifications.composed import Composed
from skranke.notifications.masking import mask_tokens
from skranke.notifications.models import Message


class ConsoleTransport:
    def send(self, *, message: Message, composed: Composed) -> str:
        heading = f"--- {message.get_channel_display()} to {message.recipient}"
        lines = [heading, composed.subject, mask_tokens(composed.body), "---"]
        sys.stdout.write("\n".join(line for line in lines if line) + "\n")
        sys.stdout.flush()
        return f"console-{message.pk}"
