"""The words of a booking's messages: confirmation, reminder, moved,
cancelled (by the citizen or by the centre) and the link again. Declared
to the outbox (notifications/message_kinds.py), which discovers this
module; queueing, phone meetings and surveys declare theirs likewise.

A text message carries the citizen's first name at most: no surname, no
CPR number, no note (the booking's own words stay on the web page behind
the link), and a sensitive errand is not named (Service.name_in_messages).
An e-mail carries the booking's calendar file as it is now (a
cancellation's removes the event), so the citizen's calendar follows it.
"""

import re
from collections.abc import Callable
from datetime import datetime, time, timedelta
from functools import partial

from django.conf import settings
from django.urls import reverse
from django.utils import dateformat
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from skranke.booking.calendar_file import booking_calendar
from skranke.booking.holds import hold_code
from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.dates import format_day
from skranke.core.models import Location, Service
from skranke.notifications.composed import Attachment, Composed
from skranke.notifications.composing import compose_message, fill_in, filled_wording
from skranke.notifications.message_kinds import (
    MessageKind,
    always_wanted,
    message_kind,
    register_message_kind,
)
from skranke.notifications.models import Message

Kind = Message.Kind

# The centre's reason goes into every text message of a cancellation by
# the centre: short enough that the message stays within two segments.
REASON_MAX = 120

# The fields a booking's text may use.
BOOKING_FIELDS = frozenset({
    "first_name", "name", "place", "address", "service", "date", "time",
    "code", "phone", "link", "site", "reason",
})  # fmt: skip


def manage_url(*, booking: Booking) -> str:
    path = reverse("booking:manage", args=[booking.code])
    return f"{settings.SITE_URL}{path}?token={booking.token}"


def compose_booking_message(message: Message, *, ends_booking: bool) -> Composed:
    """A message about a booking, from the booking as it is now.
    `ends_booking`: a cancellation, which offers a new time instead of the
    booking's link."""
    booking = message.booking
    if booking is None:
        raise ValueError(f"message {message.pk} ({message.kind}) is about no booking")
    with override(message.language):
        fields = booking_fields(booking=booking, reason=message.reason)
        main = filled_wording(
            municipality_id=booking.location.municipality_id,
            kind=message.kind,
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
        if ends_booking:
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
        subject = str(message_kind(message.kind).email_subject).format_map(fields)
    calendar = Attachment(
        f"borgerservice-{booking.code}.ics",
        booking_calendar(booking=booking, manage_url=fields["link"]),
        "text/calendar",
    )
    return Composed(subject, "\n\n".join([*paragraphs, signature]), (calendar,))


def booking_fields(*, booking: Booking, reason: str = "") -> dict[str, str]:
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


def sample_booking_fields(location: Location | None) -> dict[str, str]:
    """Fields of an example booking at `location`, as long as real ones
    get, for previews and the segment check."""
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
    }


def preview_message(*, booking: Booking, kind: str, reason: str = "", language: str = "") -> str:
    """The text message `kind` would be for `booking`, for a manager to read
    before it goes: in the citizen's language, or in `language`."""
    draft = Message(
        booking=booking,
        kind=kind,
        channel=Message.Channel.SMS,
        language=language or booking.language,
    )
    draft.reason = reason
    return compose_message(message=draft).body


def is_reminder_still_wanted(message: Message) -> bool:
    """A reminder is sent only for the booking as it still stands: not
    cancelled, not moved since (the moved booking has its own reminder)."""
    booking = message.booking
    return (
        booking is not None
        and booking.status == Booking.Status.BOOKED
        and booking.sequence == message.sequence
    )


def booking_message_kind(
    *,
    kind: str,
    sms: dict[bool, Promise],
    email_subject: Promise | None = None,
    email_leads: dict[bool, Promise] | None = None,
    ends_booking: bool = False,
    most_segments: int = 2,
    still_wanted: Callable[[Message], bool] = always_wanted,
) -> MessageKind:
    """A kind of message about a booking, its wordings keyed by "is a
    telephone meeting"; phone meetings declare theirs with it too."""
    return MessageKind(
        kind=kind,
        fields=BOOKING_FIELDS,
        sample_fields=sample_booking_fields,
        compose=partial(compose_booking_message, ends_booking=ends_booking),
        sms=sms,
        email_subject=email_subject,
        email_leads=email_leads or {},
        most_segments=most_segments,
        still_wanted=still_wanted,
    )


register_message_kind(
    booking_message_kind(
        kind=Kind.CONFIRMATION,
        sms={
            False: gettext_lazy(
                "Hi {first_name}. Your time at {place}, {address}: {date} at {time} ({service})."
                " Code {code}. See, move or cancel: {link}"
            ),
            True: gettext_lazy(
                "Hi {first_name}. We will call you {date} at {time} ({service})."
                " Code {code}. See, move or cancel: {link}"
            ),
        },
        email_subject=gettext_lazy("Your time at {place} {date} at {time}"),
        email_leads={
            False: gettext_lazy(
                "You have a time at {place}, {address}, {date} at {time} for {service}."
            ),
            True: gettext_lazy("We will call you on {phone} {date} at {time} about {service}."),
        },
    )
)
register_message_kind(
    booking_message_kind(
        kind=Kind.REMINDER,
        sms={
            False: gettext_lazy(
                "Reminder: your time at {place}, {address} is {date} at {time} ({service})."
                " Code {code}. Cannot come? Cancel: {link}"
            ),
            True: gettext_lazy(
                "Reminder: we will call you {date} at {time} ({service})."
                " Cannot take the call? Cancel: {link}"
            ),
        },
        email_subject=gettext_lazy("Reminder: {date} at {time} at {place}"),
        email_leads={
            False: gettext_lazy(
                "We look forward to seeing you at {place}, {address}, {date} at {time}"
                " for {service}."
            ),
            True: gettext_lazy("We will call you on {phone} {date} at {time} about {service}."),
        },
        still_wanted=is_reminder_still_wanted,
    )
)
register_message_kind(
    booking_message_kind(
        kind=Kind.RESCHEDULED,
        sms={
            False: gettext_lazy(
                "Your time at {place} is moved to {date} at {time} ({service}). Code {code}. {link}"
            ),
            True: gettext_lazy(
                "Your telephone meeting is moved: we will call you {date} at {time} ({service})."
                " Code {code}. {link}"
            ),
        },
        email_subject=gettext_lazy("Your time is moved to {date} at {time}"),
        email_leads={
            False: gettext_lazy(
                "Your time is moved. Your new time is at {place}, {address}, {date} at {time}"
                " for {service}."
            ),
            True: gettext_lazy(
                "Your telephone meeting is moved. We will call you on {phone} {date} at {time}"
                " about {service}."
            ),
        },
        most_segments=3,
    )
)
register_message_kind(
    booking_message_kind(
        kind=Kind.CANCELLED,
        sms={
            False: gettext_lazy(
                "Your time at {place} {date} at {time} is cancelled. Book a new time: {site}"
            ),
            True: gettext_lazy(
                "Your telephone meeting {date} at {time} is cancelled. Book a new time: {site}"
            ),
        },
        email_subject=gettext_lazy("Your time {date} at {time} is cancelled"),
        email_leads={
            False: gettext_lazy(
                "Your time at {place} {date} at {time} for {service} is cancelled."
            ),
            True: gettext_lazy(
                "Your telephone meeting {date} at {time} about {service} is cancelled."
            ),
        },
        ends_booking=True,
        most_segments=3,
    )
)
register_message_kind(
    booking_message_kind(
        kind=Kind.CANCELLED_BY_CENTRE,
        sms={
            False: gettext_lazy(
                "We are sorry: {place} has to cancel your time {date} at {time}. {reason}"
                " Book a new time: {site}"
            ),
            True: gettext_lazy(
                "We are sorry: we have to cancel your telephone meeting {date} at {time}."
                " {reason} Book a new time: {site}"
            ),
        },
        email_subject=gettext_lazy("We have to cancel your time {date} at {time}"),
        email_leads={
            False: gettext_lazy(
                "We are sorry that we have to cancel your time at {place} {date} at {time}"
                " for {service}. {reason}"
            ),
            True: gettext_lazy(
                "We are sorry that we have to cancel your telephone meeting {date} at {time}"
                " about {service}. {reason}"
            ),
        },
        ends_booking=True,
        most_segments=3,
    )
)
# The manage link again, asked for with the code and the number: by text
# message only, to the number just proved.
register_message_kind(
    booking_message_kind(
        kind=Kind.LINK_AGAIN,
        sms={
            False: gettext_lazy(
                "Your time at {place} {date} at {time}. See, move or cancel: {link}"
            ),
            True: gettext_lazy(
                "Your telephone meeting {date} at {time}. See, move or cancel: {link}"
            ),
        },
    )
)


# The code that confirms a held time (holds.py): the code, the time and
# how long the code lasts, nothing else. Its words are Skranke's own
# (FIXED_WORDING_KINDS): a municipality's text could leave out the code.
HOLD_CODE_SMS = gettext_lazy(
    "Your code is {hold_code}. Type it on the booking page to confirm your time {date} at"
    " {time}. The code works for {minutes} minutes. Never give it to anyone."
)
HOLD_CODE_FIELDS = frozenset({"hold_code", "date", "time", "minutes"})
_HOLD_CODE_DIGITS = re.compile(r"\b\d{6}\b")


def compose_hold_code(message: Message) -> Composed:
    booking = message.booking
    if booking is None:
        raise ValueError(f"message {message.pk} (hold code) is about no booking")
    start = booking.start.astimezone(clock.LOCAL_ZONE)
    with override(message.language):
        fields = {
            "hold_code": hold_code(booking=booking, number=max(1, booking.hold_codes_sent)),
            "date": format_day(start, "weekday"),
            "time": dateformat.time_format(start, "H:i"),
            "minutes": str(settings.BOOKING_HOLD_MINUTES),
        }
        return Composed("", fill_in(text=str(HOLD_CODE_SMS), fields=fields))


def is_hold_still_waiting(message: Message) -> bool:
    """A code is sent only while its hold waits for it."""
    return message.booking is not None and message.booking.is_held


def mask_hold_code(text: str) -> str:
    """The text as the outbox keeps it: without the code."""
    return _HOLD_CODE_DIGITS.sub("••••••", text)


def sample_hold_code_fields(location: Location | None) -> dict[str, str]:
    sample = sample_booking_fields(location)
    return {
        "hold_code": "123456",
        "date": sample["date"],
        "time": sample["time"],
        "minutes": str(settings.BOOKING_HOLD_MINUTES),
    }


register_message_kind(
    MessageKind(
        kind=Kind.HOLD_CODE,
        fields=HOLD_CODE_FIELDS,
        sample_fields=sample_hold_code_fields,
        compose=compose_hold_code,
        sms={False: HOLD_CODE_SMS},
        still_wanted=is_hold_still_waiting,
        kept_text=mask_hold_code,
    )
)
