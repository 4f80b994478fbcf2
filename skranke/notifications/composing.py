"""The words of each message, in the booking's language.

Texts are written with named fields ({date}, {time}, {place} …) that are
filled in when the message is sent, so a reminder tells the booking's time
as it is then. A text message carries the citizen's first name at most:
no surname, no CPR number, no note (the booking's own words stay on the
web page behind the link).
"""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import dateformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.models import Service
from skranke.notifications.models import Message

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
}

EMAIL_SUBJECTS = {
    Kind.CONFIRMATION: gettext_lazy("Your time at {place} {date} at {time}"),
    Kind.REMINDER: gettext_lazy("Reminder: {date} at {time} at {place}"),
    Kind.RESCHEDULED: gettext_lazy("Your time is moved to {date} at {time}"),
    Kind.CANCELLED: gettext_lazy("Your time {date} at {time} is cancelled"),
    Kind.CANCELLED_BY_CENTRE: gettext_lazy("We have to cancel your time {date} at {time}"),
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
}

CANCELLATIONS = (Kind.CANCELLED, Kind.CANCELLED_BY_CENTRE)


@dataclass(frozen=True)
class Composed:
    subject: str  # empty for a text message
    body: str


def compose_message(*, message: Message) -> Composed:
    """The subject and text of `message`, from the booking as it is now."""
    booking = message.booking
    kind = Message.Kind(message.kind)
    key = (kind, booking.service.kind == Service.Kind.PHONE)
    with override(message.language):
        fields = _fields(booking=booking, reason=message.reason)
        if message.channel == Message.Channel.SMS:
            return Composed("", " ".join(str(SMS_TEXTS[key]).format_map(fields).split()))
        paragraphs = [
            _("Dear {name},").format_map(fields),
            " ".join(str(EMAIL_LEADS[key]).format_map(fields).split()),
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
    # Translators: the date in a message, as PHP-style format characters.
    date_format = _("l j F")
    return {
        "first_name": booking.name.split()[0] if booking.name.split() else "",
        "name": booking.name,
        "place": booking.location.name,
        "address": booking.location.address,
        "service": booking.service.name,
        "date": dateformat.format(start, date_format),
        "time": dateformat.time_format(start, "H:i"),
        "code": booking.code,
        "phone": booking.phone,
        "link": manage_url(booking=booking),
        "site": settings.SITE_URL + "/",
        "reason": reason[:REASON_MAX],
    }
