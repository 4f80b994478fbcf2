"""Spotting a CPR number (the Danish personal identity number) in free
text, so that a field that must not hold one can refuse it: ddmmyy-xxxx,
with a dash, a space or nothing between, and a real day and month."""

import re

CPR_NUMBER = re.compile(r"(?<!\d)(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d{2}[-\s]?\d{4}(?!\d)")


def contains_cpr_number(text: str) -> bool:
    return CPR_NUMBER.search(text) is not None
