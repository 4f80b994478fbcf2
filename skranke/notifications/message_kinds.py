"""What the outbox knows of each kind of message: nothing but what the app
that sends it registers here.

The outbox (models, delivery, transports) stands below the apps that send
messages, so it cannot import them. Each of those apps declares its kinds
in a module named `message_texts.py` (booking's confirmations and
reminders, phone meetings' "we tried to call", queueing's "your turn is
soon", surveys' invitation), which notifications discovers when Django
starts, as the admin discovers `admin.py`. A kind without a declaration
fails `manage.py check` (checks.py).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.utils.functional import Promise

from skranke.core.models import Location
from skranke.notifications.composed import Composed
from skranke.notifications.models import Message


def always_wanted(message: Message) -> bool:
    return True


def kept_whole(text: str) -> str:
    return text


@dataclass(frozen=True)
class MessageKind:
    """One kind of message (a value of Message.Kind) and its words.

    `sms` and `email_leads` map "is about a telephone meeting" to Skranke's
    own wording, written with `fields` in braces; a kind with one wording
    for both has one entry. A municipality may replace either with its own
    (MessageText), checked against `fields` and `most_segments`.
    """

    kind: str
    # The fields a text of this kind may use, and an example of each, as
    # long as real ones get (previews, the segment check).
    fields: frozenset[str]
    sample_fields: Callable[[Location | None], dict[str, str]]
    # The subject and text from the booking or visit as it is when sent.
    compose: Callable[[Message], Composed]
    sms: Mapping[bool, Promise]
    email_subject: Promise | None = None
    email_leads: Mapping[bool, Promise] = field(default_factory=dict)
    # SMS segments a municipality's own text may take with the example.
    most_segments: int = 2
    # Whether a message that waited (a reminder, a held message) is still
    # to go when its time comes.
    still_wanted: Callable[[Message], bool] = always_wanted
    # The text as the outbox keeps it once sent: whole, or with what must
    # not be read there cut short (a password-reset link's token).
    kept_text: Callable[[str], str] = kept_whole

    @property
    def sms_only(self) -> bool:
        return self.email_subject is None


_KINDS: dict[str, MessageKind] = {}


def register_message_kind(message_kind: MessageKind) -> None:
    if message_kind.kind in _KINDS:
        raise ValueError(f"message kind {message_kind.kind!r} is registered twice")
    _KINDS[message_kind.kind] = message_kind


def message_kind(kind: str) -> MessageKind:
    """The registered kind; KeyError for a kind no app declared."""
    return _KINDS[kind]


def registered_kinds() -> list[MessageKind]:
    return list(_KINDS.values())
