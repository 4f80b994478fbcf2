"""Tests and demos: each message becomes a JSON file in MESSAGE_OUTBOX_DIR,
named by the message's id and attempt, so a test sees every copy sent."""

import json
from pathlib import Path

from django.conf import settings

from skranke.notifications.composed import Composed
from skranke.notifications.models import Message


class FileTransport:
    def send(self, *, message: Message, composed: Composed) -> str:
        folder = Path(settings.MESSAGE_OUTBOX_DIR)
        folder.mkdir(parents=True, exist_ok=True)
        record = {
            "id": message.pk,
            "kind": message.kind,
            "channel": message.channel,
            "to": message.recipient,
            "subject": composed.subject,
            "body": composed.body,
        }
        path = folder / f"{message.pk:08d}-{message.attempts:02d}.json"
        path.write_text(json.dumps(record, ensure_ascii=False, indent=2))
        return f"file-{path.name}"
