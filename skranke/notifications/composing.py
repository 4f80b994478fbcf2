"""The words of each message, in the booking's language.

Texts are written with named fields ({date}, {time}, {place} …) that are
filled in when the message is sent, so a reminder tells the booking's time
as it is then. A text message carries the citizen's first name at most:
no surname, no CPR number, no note (the booking's own words stay on the
web page behind the link).
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from string import Formatter

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import dateformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.dates import format_day
from skranke.core.models import Location, Service
from skranke.notifications.models import Message, MessageText
from skranke.notifications.segments import count_segments
from skranke.queueing.forecast import wait_for_visit
from skranke.queueing.models import Visit
from skranke.queueing.turn_soon import TURN_SOON_MINUTES
from skranke.surveys.models import Invitation

# The centre's reason goes into every text message of a cancellation by
# the centre: short enough that the message stays within two segments.
REASON_MAX = 120

Kind = Message.Kind

# (kind, is a telephone meeting) → the text message.
SMS_TEXTS = {
    (Kind.CONFIRMATION, False): gettext_lazy(
        "Hi {first_name}. Your time at {place}, {address}: {date} at {time} ({service})."
        " Code {code}. See, move or cancel: {link}"
    ),
    (Kind.CONFIRMATION, True): gettext_lazy(
        "Hi {first_name}. We will call you {date} at {time} ({service})."
        " Code {code}. See, move or cancel: {link}"
    ),
    (Kind.REMINDER, False): gettext_lazy(
        "Reminder: your time at {place}, {address} is {date} at {time} ({service})."
        " Code {code}. Cannot come? Cancel: {link}"
    ),
    (Kind.REMINDER, True): gettext_lazy(
        "Reminder: we will call you {date} at {time} ({service})."
        " Cannot take the call? Cancel: {link}"
    ),
    (Kind.RESCHEDULED, False): gettext_lazy(
        "Your time at {place} is moved to {date} at {time} ({service}). Code {code}. {link}"
    ),
    (Kind.RESCHEDULED, True): gettext_lazy(
        "Your telephone meeting is moved: we will call you {date} at {time} ({service})."
        " Code {code}. {link}"
    ),
    (Kind.CANCELLED, False): gettext_lazy(
        "Your time at {place} {date} at {time} is cancelled. Book a new time: {site}"
    ),
    (Kind.CANCELLED, True): gettext_lazy(
        "Your telephone meeting {date} at {time} is cancelled. Book a new time: {site}"
    ),
    (Kind.CANCELLED_BY_CENTRE, False): gettext_lazy(
        "We are sorry: {place} has to cancel your time {date} at {time}. {reason}"
        " Book a new time: {site}"
    ),
    (Kind.CANCELLED_BY_CENTRE, True): gettext_lazy(
        "We are sorry: we have to cancel your telephone meeting {date} at {time}. {reason}"
        " Book a new time: {site}"
    ),
    (Kind.TRIED_TO_CALL, True): gettext_lazy(
        "We tried to call you {date} at {time} about {service}, but got no answer."
        " Book a new time: {site}"
    ),
    (Kind.LINK_AGAIN, False): gettext_lazy(
        "Your time at {place} {date} at {time}. See, move or cancel: {link}"
    ),
    (Kind.LINK_AGAIN, True): gettext_lazy(
        "Your telephone meeting {date} at {time}. See, move or cancel: {link}"
    ),
    (Kind.TURN_SOON, False): gettext_lazy(
        "Number {ticket}: your turn at {place} is soon, in about {minutes} min."
        " Please be ready in {area}. Watch the screen for your desk."
    ),
    # No errand named: whoever reads the phone over a shoulder learns
    # only that the citizen visited the centre.
    (Kind.SURVEY, False): gettext_lazy(
        "Thank you for your visit to {place}. Would you answer 5 short questions? {link}"
        " The link works for 7 days."
    ),
}

EMAIL_SUBJECTS = {
    Kind.CONFIRMATION: gettext_lazy("Your time at {place} {date} at {time}"),
    Kind.REMINDER: gettext_lazy("Reminder: {date} at {time} at {place}"),
    Kind.RESCHEDULED: gettext_lazy("Your time is moved to {date} at {time}"),
    Kind.CANCELLED: gettext_lazy("Your time {date} at {time} is cancelled"),
    Kind.CANCELLED_BY_CENTRE: gettext_lazy("We have to cancel your time {date} at {time}"),
    Kind.TRIED_TO_CALL: gettext_lazy("We tried to call you {date} at {time}"),
    Kind.SURVEY: gettext_lazy("How did it go at {place}?"),
}

# (kind, is a telephone meeting) → the e-mail's first paragraph.
EMAIL_LEADS = {
    (Kind.CONFIRMATION, False): gettext_lazy(
        "You have a time at {place}, {address}, {date} at {time} for {service}."
    ),
    (Kind.CONFIRMATION, True): gettext_lazy(
        "We will call you on {phone} {date} at {time} about {service}."
    ),
    (Kind.REMINDER, False): gettext_lazy(
        "We look forward to seeing you at {place}, {address}, {date} at {time} for {service}."
    ),
    (Kind.REMINDER, True): gettext_lazy(
        "We will call you on {phone} {date} at {time} about {service}."
    ),
    (Kind.RESCHEDULED, False): gettext_lazy(
        "Your time is moved. Your new time is at {place}, {address}, {date} at {time}"
        " for {service}."
    ),
    (Kind.RESCHEDULED, True): gettext_lazy(
        "Your telephone meeting is moved. We will call you on {phone} {date} at {time}"
        " about {service}."
    ),
    (Kind.CANCELLED, False): gettext_lazy(
        "Your time at {place} {date} at {time} for {service} is cancelled."
    ),
    (Kind.CANCELLED, True): gettext_lazy(
        "Your telephone meeting {date} at {time} about {service} is cancelled."
    ),
    (Kind.CANCELLED_BY_CENTRE, False): gettext_lazy(
        "We are sorry that we have to cancel your time at {place} {date} at {time}"
        " for {service}. {reason}"
    ),
    (Kind.CANCELLED_BY_CENTRE, True): gettext_lazy(
        "We are sorry that we have to cancel your telephone meeting {date} at {time}"
        " about {service}. {reason}"
    ),
    (Kind.TRIED_TO_CALL, True): gettext_lazy(
        "We tried to call you on {phone} {date} at {time} about {service}, twice,"
        " but got no answer."
    ),
    (Kind.SURVEY, False): gettext_lazy(
        "Thank you for your visit to {place}. We would like to know how it went: would you"
        " answer five short questions? It takes a minute, and your answers are anonymous."
        " {link} The link works for 7 days."
    ),
}

# Messages after which the booking is over: they offer a new time, not
# the booking's link and calendar file.
CANCELLATIONS = (Kind.CANCELLED, Kind.CANCELLED_BY_CENTRE, Kind.TRIED_TO_CALL)


@dataclass(frozen=True)
class Composed:
    subject: str  # empty for a text message
    body: str


def compose_message(*, message: Message) -> Composed:
    """The subject and text of `message`, from the booking (or the visit)
    as it is now."""
    if message.visit is not None:
        return _compose_turn_soon(message=message, visit=message.visit)
    booking = message.booking
    if booking is None:  # the database allows none: a booking or a visit
        raise ValueError(f"message {message.pk} is about nothing")
    kind = Message.Kind(message.kind)
    if kind == Kind.SURVEY:
        return _compose_survey(message=message, booking=booking)
    with override(message.language):
        fields = _fields(booking=booking, reason=message.reason)
        main = _filled_wording(
            municipality_id=booking.location.municipality_id,
            kind=kind,
            channel=message.channel,
            language=message.language,
            for_phone_meetings=booking.service.kind == Service.Kind.PHONE,
            fields=fields,
        )
        if message.channel == Message.Channel.SMS:
            return Composed("", main)
        paragraphs = [
            _("Dear {name},").format_map(fields),
            main,
            _("Booking code: {code}").format_map(fields),
        ]
        if kind in CANCELLATIONS:
            paragraphs.append(_("Book a new time: {site}").format_map(fields))
        else:
            if booking.service.what_to_bring:
                paragraphs.append(_("Bring: {what}").format(what=booking.service.what_to_bring))
            paragraphs.append(_("See, move or cancel your booking: {link}").format_map(fields))
            paragraphs.append(_("The attached calendar file puts the time in your calendar."))
        signature = "\n".join(
            part
            for part in (_("Kind regards"), booking.location.name, booking.location.phone)
            if part
        )
        return Composed(
            str(EMAIL_SUBJECTS[kind]).format_map(fields), "\n\n".join([*paragraphs, signature])
        )


def _compose_turn_soon(*, message: Message, visit: Visit) -> Composed:
    """The walk-in's text message: the ticket, the place, the minutes left
    as the queue stands when it is sent."""
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
            _filled_wording(
                municipality_id=visit.location.municipality_id,
                kind=Kind.TURN_SOON,
                channel=Message.Channel.SMS,
                language=message.language,
                for_phone_meetings=False,
                fields=fields,
            ),
        )


def _compose_survey(*, message: Message, booking: Booking) -> Composed:
    """The invitation to a satisfaction survey: the place and the link,
    nothing about the errand."""
    with override(message.language):
        fields = {
            "place": booking.location.name,
            "link": settings.SITE_URL
            + reverse("surveys:answer", args=[Invitation.objects.get(booking=booking).token]),
        }
        main = _filled_wording(
            municipality_id=booking.location.municipality_id,
            kind=Kind.SURVEY,
            channel=message.channel,
            language=message.language,
            for_phone_meetings=False,
            fields=fields,
        )
        if message.channel == Message.Channel.SMS:
            return Composed("", main)
        signature = "\n".join(part for part in (_("Kind regards"), booking.location.name) if part)
        return Composed(
            str(EMAIL_SUBJECTS[Kind.SURVEY]).format_map(fields), "\n\n".join([main, signature])
        )


def _filled_wording(
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
    # One text each: a walk-in has no telephone meeting; only a telephone
    # meeting is called.
    if kind == Kind.TURN_SOON:
        return str(SMS_TEXTS[(Kind.TURN_SOON, False)])
    if kind == Kind.SURVEY:  # one text for visits and telephone meetings
        defaults = SMS_TEXTS if channel == Message.Channel.SMS else EMAIL_LEADS
        return str(defaults[(Kind.SURVEY, False)])
    if kind == Kind.TRIED_TO_CALL:
        defaults = SMS_TEXTS if channel == Message.Channel.SMS else EMAIL_LEADS
        return str(defaults[(Kind.TRIED_TO_CALL, True)])
    defaults = SMS_TEXTS if channel == Message.Channel.SMS else EMAIL_LEADS
    return str(defaults[(Message.Kind(kind), for_phone_meetings)])


def fill_in(*, text: str, fields: dict[str, str]) -> str:
    """`text` with its fields filled in, on one line."""
    return " ".join(text.format_map(fields).split())


# The fields a text may use, and those a text message may not: the full
# name and the phone number are personal data an SMS does not carry.
FIELDS = {
    "first_name", "name", "place", "address", "service", "date", "time",
    "code", "phone", "link", "site", "reason",
}  # fmt: skip
NOT_IN_SMS = {"name", "phone"}
# A "your turn is soon" message is about a ticket, not a booking.
TURN_SOON_FIELDS = {"ticket", "place", "minutes", "area"}
# A survey names no errand and no time: the place and its link only.
SURVEY_FIELDS = {"place", "link"}


def fields_for(*, kind: str) -> set[str]:
    if kind == Kind.TURN_SOON:
        return TURN_SOON_FIELDS
    return SURVEY_FIELDS if kind == Kind.SURVEY else FIELDS


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
    in a text message, or whose confirmation would not fit two segments."""
    try:
        used = {name for _text, name, _spec, _conv in Formatter().parse(text) if name is not None}
    except ValueError as error:
        raise ValidationError(
            _("A brace is not closed. Write fields as {date}, and braces nowhere else.")
        ) from error
    usable = fields_for(kind=kind)
    unknown = used - usable
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(unknown)s. These can be used: %(known)s.")
            % {
                "unknown": ", ".join(sorted(f"{{{name}}}" for name in unknown)),
                "known": ", ".join(f"{{{name}}}" for name in sorted(usable)),
            }
        )
    if kind == Kind.TURN_SOON and channel != Message.Channel.SMS:
        raise ValidationError(_("“Your turn is soon” is sent only as a text message."))
    if channel == Message.Channel.SMS:
        private = used & NOT_IN_SMS
        if private:
            raise ValidationError(
                _("A text message may not carry %(fields)s: use {first_name}.")
                % {"fields": ", ".join(sorted(f"{{{name}}}" for name in private))}
            )
        with override(language):
            sample = fill_in(text=text, fields=sample_fields(municipality_id=municipality_id))
        most = 3 if kind in (Kind.RESCHEDULED, *CANCELLATIONS) else 2
        segments = count_segments(sample).segments
        if segments > most:
            raise ValidationError(
                _(
                    "With an example booking this text takes %(segments)d SMS segments;"
                    " at most %(most)d are allowed. Shorten it."
                )
                % {"segments": segments, "most": most}
            )


def sample_fields(*, municipality_id: int | None) -> dict[str, str]:
    """Fields of an example booking, as long as real ones get, for previews."""
    places = Location.objects.filter(municipality_id=municipality_id or 0)
    location = places.order_by("pk").first()
    start = datetime.combine(
        clock.today() + timedelta(days=7 - clock.today().weekday() + 2), time(10, 20),
        tzinfo=clock.LOCAL_ZONE,
    )  # fmt: skip
    code = "ACD234"
    return {
        "first_name": "Mette",
        "name": "Mette Kristiansen",
        "place": location.name if location else "Borgerservice",
        "address": location.address if location else "Torvet 1, 1234 Byen",
        "service": _("Passport"),
        "date": format_day(start, "weekday"),
        "time": dateformat.time_format(start, "H:i"),
        "code": code,
        "phone": "+4520123456",
        "link": f"{settings.SITE_URL}{reverse('booking:manage', args=[code])}?token={'x' * 32}",
        "site": settings.SITE_URL + "/",
        "reason": _("The town hall is closed because of a power cut."),
        "ticket": "P012",
        "minutes": "10",
        "area": _("the waiting room"),
    }


def preview_text(*, text_id: int) -> str:
    """A saved MessageText filled in with the example booking."""
    own = MessageText.objects.get(pk=text_id)
    with override(own.language):
        filled = fill_in(text=own.text, fields=sample_fields(municipality_id=own.municipality_id))
    if own.channel == Message.Channel.SMS:
        count = count_segments(filled)
        return _("%(text)s (%(segments)d SMS segments, %(encoding)s)") % {
            "text": filled,
            "segments": count.segments,
            "encoding": count.encoding,
        }
    return filled


def preview_message(*, booking: Booking, kind: str, reason: str = "") -> str:
    """The text message `kind` would be for `booking`, for a manager to read
    before it goes."""
    draft = Message(
        booking=booking, kind=kind, channel=Message.Channel.SMS, language=booking.language
    )
    draft.reason = reason
    return compose_message(message=draft).body


def manage_url(*, booking: Booking) -> str:
    path = reverse("booking:manage", args=[booking.code])
    return f"{settings.SITE_URL}{path}?token={booking.token}"


def _fields(*, booking: Booking, reason: str) -> dict[str, str]:
    start = booking.start.astimezone(clock.LOCAL_ZONE)
    return {
        "first_name": booking.name.split()[0] if booking.name.split() else "",
        "name": booking.name,
        "place": booking.location.name,
        "address": booking.location.address,
        # A sensitive errand is not named (Service.name_in_messages).
        "service": booking.service.name_in_messages,
        "date": format_day(start, "weekday"),
        "time": dateformat.time_format(start, "H:i"),
        "code": booking.code,
        "phone": booking.phone,
        "link": manage_url(booking=booking),
        "site": settings.SITE_URL + "/",
        "reason": reason[:REASON_MAX],
    }
