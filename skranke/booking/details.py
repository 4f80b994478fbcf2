"""What a citizen tells us when booking, checked and normalised: the least
personal data that lets us confirm, remind and call them."""

import unicodedata
from dataclasses import dataclass

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from skranke.booking.errors import InvalidBooking

NAME_MAX = 100
NOTE_MAX = 500
EMAIL_MAX = 254


@dataclass(frozen=True)
class CitizenDetails:
    name: str
    phone: str  # E.164, e.g. +4512345678
    email: str = ""  # lower-case
    language: str = "da"
    sms_consent: bool = False
    note: str = ""
    # One short satisfaction survey afterwards (surveys/), only when asked for.
    survey_consent: bool = False

    @property
    def phone_display(self) -> str:
        return format_phone(self.phone)


def clean_text(value: str, *, field: str, limit: int, required: bool) -> str:
    # Browsers send a text area's line breaks as CR LF: one line break each.
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", " ".join(value.split()) if field == "name" else value)
    text = text.strip()
    if any(unicodedata.category(char) == "Cc" and char not in "\n\t" for char in text):
        raise InvalidBooking(_("Remove the control characters from the text."), field=field)
    if required and not text:
        raise InvalidBooking(_("Please fill in your name."), field=field)
    if len(text) > limit:
        raise InvalidBooking(_("Use at most %(limit)d characters.") % {"limit": limit}, field=field)
    return text


def normalize_phone(raw: str) -> str:
    """A mobile number in E.164; Danish when it has no country code."""
    try:
        number = phonenumbers.parse(raw.strip(), "DK")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise InvalidBooking(
            _("Write a valid mobile number, e.g. 20 12 34 56 or +46 70 123 45 67."),
            field="phone",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_for_lookup(raw: str) -> str | None:
    """A number typed to find a booking, in E.164 as bookings store it; None
    when it is not a phone number at all. Looser than normalize_phone: a
    lookup must find every stored number, whatever the rules were when it
    was stored."""
    try:
        number = phonenumbers.parse(raw.strip(), "DK")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str) -> str:
    """A stored number as people read it aloud: +45 20 12 34 56."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def normalize_email(raw: str) -> str:
    email = raw.strip().lower()
    if not email:
        return ""
    if len(email) > EMAIL_MAX:
        raise InvalidBooking(_("The e-mail address is too long."), field="email")
    try:
        validate_email(email)
    except ValidationError as error:
        raise InvalidBooking(_("Write a valid e-mail address."), field="email") from error
    return email


def clean_citizen_details(
    *,
    name: str,
    phone: str,
    email: str = "",
    language: str = "da",
    sms_consent: bool = False,
    note: str = "",
    survey_consent: bool = False,
) -> CitizenDetails:
    """Check and normalise what a citizen entered; InvalidBooking names the
    first field that is wrong."""
    if language not in {code for code, _ in settings.LANGUAGES}:
        raise InvalidBooking(_("Choose Danish or English."), field="language")
    return CitizenDetails(
        name=clean_text(name, field="name", limit=NAME_MAX, required=True),
        phone=normalize_phone(phone),
        email=normalize_email(email),
        language=language,
        sms_consent=sms_consent,
        note=clean_text(note, field="note", limit=NOTE_MAX, required=False),
        survey_consent=survey_consent,
    )
