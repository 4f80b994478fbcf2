"""The banner on the staff pages while Skranke sees an attack on the
bookings (alerts.py), for managers and administrators, as with the text
messages' budget."""

from django import template

from skranke.accounts.permissions import sees_operations_warnings
from skranke.challenge.alerts import current_attack

register = template.Library()


@register.inclusion_tag("challenge/attack_alert_banner.html", takes_context=True)
def attack_alert_banner(context: template.Context) -> dict[str, object]:
    if not sees_operations_warnings(user=context.get("user")):
        return {"alert": None}
    return {"alert": current_attack()}
