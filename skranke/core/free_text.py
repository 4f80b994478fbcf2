"""What a free-text field (a booking's note, a contact's note, a survey's
comment) must not hold. Such text is read by many and kept for months, so
it must not become a register of CPR numbers or health details: a CPR
number is refused outright, and each field's help text says what not to
write, since health details cannot be spotted by a pattern.

One validator for the web forms, the API and the domain functions, so the
rule and its message are the same wherever the text comes in."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from skranke.core.cpr import contains_cpr_number
from skranke.core.errors import InvalidInput

CPR_NUMBER_REFUSED = _("Please remove the CPR number: do not write CPR numbers here.")
# The help text of a field the citizen fills in, and of one staff fill in.
NOT_TO_WRITE = _("Do not write your CPR number or details about your health.")
NOT_TO_WRITE_FOR_STAFF = _("Do not write the citizen's CPR number or details about their health.")


def validate_free_text(value: str) -> None:
    """Refuse `value` if it holds a CPR number (cpr.py: ten digits after a
    real day and month, whole or in groups). A phone number's eight digits
    or a date such as 01-01-2026 pass."""
    if contains_cpr_number(value):
        raise ValidationError(CPR_NUMBER_REFUSED, code="cpr_number")


def clean_text(value: str, *, field: str, limit: int, required: bool) -> str:
    """Text a person typed, tidied: one kind of line break, Unicode in one
    form, a name on one line; refused with InvalidInput naming `field` when
    it holds control characters or a CPR number, is missing or is longer
    than `limit`."""
    # Browsers send a text area's line breaks as CR LF: one line break each.
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", " ".join(value.split()) if field == "name" else value)
    text = text.strip()
    if any(unicodedata.category(char) == "Cc" and char not in "\n\t" for char in text):
        raise InvalidInput(_("Remove the control characters from the text."), field=field)
    if required and not text:
        raise InvalidInput(_("Please fill in your name."), field=field)
    if len(text) > limit:
        raise InvalidInput(_("Use at most %(limit)d characters.") % {"limit": limit}, field=field)
    # Names too: a CPR number typed into the wrong field is still one.
    if contains_cpr_number(text):
        raise InvalidInput(str(CPR_NUMBER_REFUSED), field=field)
    return text
