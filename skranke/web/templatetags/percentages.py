"""{% load percentages %}: `{{ value|percent }}` writes a percentage as
web/percentages.py does ("57 %", "< 1 %")."""

from django import template

from skranke.web.percentages import format_percent

register = template.Library()


@register.filter
def percent(value: float | None, decimals: int = 0) -> str:
    return format_percent(value, decimals=decimals)
