"""`manage.py check` (and every start) fails when a kind of message has no
app that declared its words: such a message could never be sent."""

from typing import Any

from django.core import checks

from skranke.notifications.message_kinds import registered_kinds
from skranke.notifications.models import Message


@checks.register()
def check_every_kind_is_declared(**kwargs: Any) -> list[checks.CheckMessage]:
    declared = {message_kind.kind for message_kind in registered_kinds()}
    return [
        checks.Error(
            f"Message kind {kind!r} has no declaration: no app's message_texts.py registers it.",
            hint="Register it with register_message_kind (notifications/message_kinds.py).",
            id="notifications.E001",
        )
        for kind in Message.Kind.values
        if kind not in declared
    ]
