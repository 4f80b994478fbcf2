"""The banner on the staff pages while text messages are held by the
hourly budget (SMS_PER_HOUR), for those who can change it or explain it:
managers and administrators, as with the worker's silence."""

from django import template

from skranke.accounts.permissions import sees_operations_warnings
from skranke.rate_limits.text_messages import texts_held

register = template.Library()


@register.inclusion_tag("rate_limits/text_budget_banner.html", takes_context=True)
def text_budget_banner(context: template.Context) -> dict[str, object]:
    if not sees_operations_warnings(user=context.get("user")):
        return {"held": False}
    return {"held": texts_held()}
