"""The invitation to a satisfaction survey (invitations.py), declared to
the outbox: the place and the link, nothing about the errand, so whoever
reads the phone over a shoulder learns only that the citizen visited the
centre."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from skranke.core.models import Location
from skranke.notifications.composed import Composed
from skranke.notifications.composing import filled_wording
from skranke.notifications.message_kinds import MessageKind, register_message_kind
from skranke.notifications.models import Message
from skranke.surveys.models import Invitation


def compose_survey_invitation(message: Message) -> Composed:
    booking = message.booking
    if booking is None:
        raise ValueError(f"message {message.pk} (survey) is about no booking")
    token = Invitation.objects.get(booking=booking).token
    with override(message.language):
        fields = {
            "place": booking.location.name,
            "link": settings.SITE_URL + reverse("surveys:answer", args=[token]),
        }
        main = filled_wording(
            municipality_id=booking.location.municipality_id,
            kind=Message.Kind.SURVEY,
            channel=message.channel,
            language=message.language,
            for_phone_meetings=False,
            fields=fields,
        )
        if message.channel == Message.Channel.SMS:
            return Composed("", main)
        signature = "\n".join(part for part in (_("Kind regards"), booking.location.name) if part)
        return Composed(
            str(SURVEY.email_subject).format_map(fields), "\n\n".join([main, signature])
        )


def sample_survey_fields(location: Location | None) -> dict[str, str]:
    return {
        "place": location.name if location else "Borgerservice",
        "link": settings.SITE_URL + reverse("surveys:answer", args=["x" * 32]),
    }


# One wording for visits and telephone meetings.
SURVEY = MessageKind(
    kind=Message.Kind.SURVEY,
    fields=frozenset({"place", "link"}),
    sample_fields=sample_survey_fields,
    compose=compose_survey_invitation,
    sms={
        False: gettext_lazy(
            "Thank you for your visit to {place}. Would you answer 5 short questions? {link}"
            " The link works for 7 days."
        ),
    },
    email_subject=gettext_lazy("How did it go at {place}?"),
    email_leads={
        False: gettext_lazy(
            "Thank you for your visit to {place}. We would like to know how it went: would you"
            " answer five short questions? It takes a minute, and your answers are anonymous."
            " {link} The link works for 7 days."
        ),
    },
)
register_message_kind(SURVEY)
