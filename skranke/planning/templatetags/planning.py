"""The planning pages' filters and their shared navigation."""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

from skranke.web.percentages import format_percent

register = template.Library()


@register.filter
def shown(value: float | None, percent: bool) -> str:
    """A simulated figure: a share as a whole percentage, else one decimal."""
    if value is None:
        return "–"
    if percent:
        return f"{floatformat(value * 100, 0)} %"
    return str(floatformat(value, 1))


@register.filter
def share_percent(value: float | None) -> str:
    """A share (0.049) as a percentage with one decimal ("4.9 %"); a share
    above nought that would round to it says so ("< 0.1 %")."""
    return format_percent(None if value is None else value * 100, decimals=1)


@register.inclusion_tag("planning/nav.html", takes_context=True)
def planning_nav(context: template.Context, section: str) -> dict[str, object]:
    """The same sections in the same order on every planning page, the
    current one marked for screen readers, the chosen place kept."""
    sections = [
        ("planning:minutes", _("Minutes per service")),
        ("planning:what_if", _("What if")),
        ("planning:forecast", _("Forecast")),
        ("planning:phones", _("Telephones")),
        ("planning:rota", _("Rota")),
    ]
    return {"sections": sections, "section": section, "place": context.get("place")}
