"""Telephone numbers, one way for every app: stored in E.164, read aloud
as +45 20 12 34 56, Danish when typed without a country code."""

import phonenumbers
from django.utils.translation import gettext_lazy as _

from skranke.core.errors import InvalidInput


def normalize_phone(raw: str) -> str:
    """A mobile number in E.164; Danish when it has no country code."""
    try:
        number = phonenumbers.parse(raw.strip(), "DK")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise InvalidInput(
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


def is_danish_number(e164: str) -> bool:
    """Whether a stored number is Danish (a text message abroad costs more)."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.region_code_for_number(number) == "DK"
