"""The words of each message, in the message's language.

Texts are written with named fields ({date}, {time}, {place} …) that are
filled in when the message is sent, so a reminder tells the booking's time
as it is then. Which fields a kind has and how they are filled in is the
sending app's (message_kinds.py); here is what every kind shares: the
municipality's own wording in place of Skranke's, filling it in, and the
checks a municipality's text must pass. A text message carries the
citizen's first name at most: no full name, no phone number.
"""

from string import Formatter

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import override

from skranke.core.models import Location
from skranke.notifications.composed import Composed
from skranke.notifications.message_kinds import message_kind
from skranke.notifications.models import Message, MessageText
from skranke.notifications.segments import count_segments

# Personal data a text message never carries, whatever the kind: the full
# name and the phone number (a first name is enough to greet).
NOT_IN_SMS = frozenset({"name", "phone"})


def compose_message(*, message: Message) -> Composed:
    """The subject, text and attachments of `message`, from what it is
    about as it is now, by the app that declared its kind."""
    return message_kind(message.kind).compose(message)


def filled_wording(
    *,
    municipality_id: int,
    kind: str,
    channel: str,
    language: str,
    for_phone_meetings: bool,
    fields: dict[str, str],
) -> str:
    """The message's wording (wording_for) with `fields` filled in."""
    wording = wording_for(
        municipality_id=municipality_id,
        kind=kind,
        channel=channel,
        language=language,
        for_phone_meetings=for_phone_meetings,
    )
    try:
        return fill_in(text=wording, fields=fields)
    except (KeyError, IndexError, ValueError, AttributeError):
        # A municipality's text saved past its checks (by a script, say)
        # must not hold the message back: Skranke's own wording goes.
        default = default_wording(kind=kind, channel=channel, for_phone_meetings=for_phone_meetings)
        return fill_in(text=default, fields=fields)


def wording_for(
    *, municipality_id: int, kind: str, channel: str, language: str, for_phone_meetings: bool
) -> str:
    """The municipality's own text for the message (MessageText), or
    Skranke's, in `language` (which the caller has activated)."""
    own = (
        MessageText.objects.filter(
            municipality_id=municipality_id,
            kind=kind,
            channel=channel,
            language=language,
            for_phone_meetings=for_phone_meetings,
        )
        .values_list("text", flat=True)
        .first()
    )
    if own:
        return own
    return default_wording(kind=kind, channel=channel, for_phone_meetings=for_phone_meetings)


def default_wording(*, kind: str, channel: str, for_phone_meetings: bool) -> str:
    """Skranke's wording; a kind with one wording (a walk-in has no
    telephone meeting, only a telephone meeting is called) uses it for both."""
    declared = message_kind(kind)
    wordings = declared.sms if channel == Message.Channel.SMS else declared.email_leads
    if not wordings:
        raise ValueError(f"a {kind} message has no {channel} wording")
    return str(wordings.get(for_phone_meetings) or next(iter(wordings.values())))


def fill_in(*, text: str, fields: dict[str, str]) -> str:
    """`text` with its fields filled in, on one line."""
    return " ".join(text.format_map(fields).split())


def check_message_text(
    *,
    text: str,
    kind: str,
    channel: str,
    language: str,
    for_phone_meetings: bool,
    municipality_id: int | None,
) -> None:
    """Refuse a text that cannot be filled in, that would put personal data
    in a text message, or whose message would take too many segments."""
    try:
        used = {name for _text, name, _spec, _conv in Formatter().parse(text) if name is not None}
    except ValueError as error:
        raise ValidationError(
            _("A brace is not closed. Write fields as {date}, and braces nowhere else.")
        ) from error
    declared = message_kind(kind)
    unknown = used - declared.fields
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(unknown)s. These can be used: %(known)s.")
            % {
                "unknown": ", ".join(sorted(f"{{{name}}}" for name in unknown)),
                "known": ", ".join(f"{{{name}}}" for name in sorted(declared.fields)),
            }
        )
    if declared.sms_only and channel != Message.Channel.SMS:
        raise ValidationError(
            _("“%(kind)s” is sent only as a text message.") % {"kind": Message.Kind(kind).label}
        )
    if channel == Message.Channel.SMS:
        private = used & NOT_IN_SMS
        if private:
            raise ValidationError(
                _("A text message may not carry %(fields)s: use {first_name}.")
                % {"fields": ", ".join(sorted(f"{{{name}}}" for name in private))}
            )
        with override(language):
            sample = fill_in(
                text=text, fields=sample_fields(kind=kind, municipality_id=municipality_id)
            )
        segments = count_segments(sample).segments
        if segments > declared.most_segments:
            raise ValidationError(
                _(
                    "With an example booking this text takes %(segments)d SMS segments;"
                    " at most %(most)d are allowed. Shorten it."
                )
                % {"segments": segments, "most": declared.most_segments}
            )


def sample_fields(*, kind: str, municipality_id: int | None) -> dict[str, str]:
    """Example fields for `kind` at the municipality's first location, as
    long as real ones get, for previews and the segment check."""
    places = Location.objects.filter(municipality_id=municipality_id or 0)
    return message_kind(kind).sample_fields(places.order_by("pk").first())


def preview_text(*, text_id: int) -> str:
    """A saved MessageText filled in with the example."""
    own = MessageText.objects.get(pk=text_id)
    with override(own.language):
        fields = sample_fields(kind=own.kind, municipality_id=own.municipality_id)
        filled = fill_in(text=own.text, fields=fields)
    if own.channel == Message.Channel.SMS:
        count = count_segments(filled)
        return _("%(text)s (%(segments)d SMS segments, %(encoding)s)") % {
            "text": filled,
            "segments": count.segments,
            "encoding": count.encoding,
        }
    return filled
