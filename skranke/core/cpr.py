"""Spotting a CPR number (the Danish personal identity number) in free
text, so that a field that must not hold one can refuse it: ten digits
that begin with a real day and month, written as people write them,
whole (0101901234) or in groups (010190-1234, 01 01 90 1234,
01.01.90.1234, 01/01/90/1234, 010190 – 1234), with any dash a phone or a
word processor types (hyphen, en and em dash, minus sign). A phone number
(eight digits) or a date (01-01-2026) is not one.

Text that may hold one all the same (a citizen's e-mail) is shown in lists
with each number masked: its date, the last four digits hidden."""

import re

# What may stand between the groups: up to three of spaces, dots,
# slashes and every kind of dash.
_BETWEEN = r"[\s./\-\u2010-\u2015\u2212\ufe58\ufe63\uff0d]{0,3}"
_DAY = r"(?:0[1-9]|[12]\d|3[01])"
_MONTH = r"(?:0[1-9]|1[0-2])"

CPR_NUMBER = re.compile(rf"(?<!\d){_DAY}{_BETWEEN}{_MONTH}{_BETWEEN}\d{{2}}{_BETWEEN}\d{{4}}(?!\d)")


def contains_cpr_number(text: str) -> bool:
    return CPR_NUMBER.search(text) is not None


def mask_cpr_numbers(*, text: str) -> str:
    """`text` with each CPR number in it written as its six date digits
    and "-xxxx" (01.01.90-1234 becomes 010190-xxxx): a list shows that a
    number was there without showing the number."""
    return CPR_NUMBER.sub(_masked, text)


def _masked(number: re.Match[str]) -> str:
    digits = [character for character in number.group() if character.isdecimal()]
    return "".join(digits[:6]) + "-xxxx"
