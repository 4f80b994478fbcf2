"""A percentage as a reader is shown it: whole, in the reader's own
digits, with a space before the sign ("57 %"), as the rest of Skranke
writes it. A share above nought that would round to nought says so
("< 1 %"): "0 %" beside a service that 123 citizens came for reads as
none."""

from django.template.defaultfilters import floatformat


def format_percent(value: float | None, *, decimals: int = 0) -> str:
    """`value` is a percentage (57.4, not 0.574); None gives ""."""
    if value is None:
        return ""
    smallest = 10**-decimals
    if 0 < value < smallest / 2:
        return f"< {floatformat(smallest, decimals)} %"
    # floatformat rounds half up, as the tables beside do ("0g": 1.234).
    return f"{floatformat(value, f'{decimals}g')} %"
