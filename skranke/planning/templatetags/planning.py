from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def shown(value: float | None, percent: bool) -> str:
    """A simulated figure: a share as a whole percentage, else one decimal."""
    if value is None:
        return "–"
    if percent:
        return f"{floatformat(value * 100, 0)} %"
    return str(floatformat(value, 1))
