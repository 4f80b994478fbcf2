"""The "your turn is soon" text message (turn_soon.py), declared to the
outbox: the ticket, the place and the minutes left as the queue stands
when it is sent; nothing personal."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from skranke.core.models import Location
from skranke.notifications.composed import Composed
from skranke.notifications.composing import filled_wording
from skranke.notifications.message_kinds import MessageKind, register_message_kind
from skranke.notifications.models import Message
from skranke.queueing.forecast import wait_for_visit
from skranke.queueing.models import Visit
from skranke.queueing.turn_soon import TURN_SOON_MINUTES


def compose_turn_soon(message: Message) -> Composed:
    visit = message.visit
    if visit is None:
        raise ValueError(f"message {message.pk} (turn soon) is about no visit")
    with override(message.language):
        wait = wait_for_visit(visit=visit)
        fields = {
            "ticket": visit.ticket,
            "place": visit.location.name,
            "area": visit.service.waiting_area or _("the waiting room"),
            "minutes": str(max(1, TURN_SOON_MINUTES if wait is None else wait)),
        }
        return Composed(
            "",
            filled_wording(
                municipality_id=visit.location.municipality_id,
                kind=Message.Kind.TURN_SOON,
                channel=Message.Channel.SMS,
                language=message.language,
                for_phone_meetings=False,
                fields=fields,
            ),
        )


def sample_turn_soon_fields(location: Location | None) -> dict[str, str]:
    return {
        "ticket": "P012",
        "place": location.name if location else "Borgerservice",
        "minutes": "10",
        "area": _("the waiting room"),
    }


def is_still_waiting(message: Message) -> bool:
    """Only while the citizen still waits: one called first gets nothing."""
    return message.visit is not None and message.visit.status == Visit.Status.WAITING


register_message_kind(
    MessageKind(
        kind=Message.Kind.TURN_SOON,
        fields=frozenset({"ticket", "place", "minutes", "area"}),
        sample_fields=sample_turn_soon_fields,
        compose=compose_turn_soon,
        sms={
            False: gettext_lazy(
                "Number {ticket}: your turn at {place} is soon, in about {minutes} min."
                " Please be ready in {area}. Watch the screen for your desk."
            ),
        },
        still_wanted=is_still_waiting,
    )
)
