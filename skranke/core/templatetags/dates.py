"""{% load dates %} … {{ booking.start|day:"weekday" }}: see core/dates.py."""

from datetime import date, datetime

from django import template

from skranke.core.dates import format_day

register = template.Library()


@register.filter
def day(value: date | datetime | None, style: str = "weekday") -> str:
    return format_day(value, style)
