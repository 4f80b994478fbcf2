"""What a citizen tells us when booking, checked and normalised: the least
personal data that lets us confirm, remind and call them."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from skranke.core.errors import InvalidInput
from skranke.core.free_text import clean_text
from skranke.core.phone_numbers import format_phone, normalize_phone

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


def normalize_email(raw: str) -> str:
    email = raw.strip().lower()
    if not email:
        return ""
    if len(email) > EMAIL_MAX:
        raise InvalidInput(_("The e-mail address is too long."), field="email")
    try:
        validate_email(email)
    except ValidationError as error:
        raise InvalidInput(_("Write a valid e-mail address."), field="email") from error
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
    """Check and normalise what a citizen entered; InvalidInput names the
    first field that is wrong."""
    if language not in {code for code, _ in settings.LANGUAGES}:
        raise InvalidInput(_("Choose Danish or English."), field="language")
    return CitizenDetails(
        name=clean_text(name, field="name", limit=NAME_MAX, required=True),
        phone=normalize_phone(phone),
        email=normalize_email(email),
        language=language,
        sms_consent=sms_consent,
        note=clean_text(note, field="note", limit=NOTE_MAX, required=False),
        survey_consent=survey_consent,
    )
