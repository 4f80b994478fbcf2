"""The banner on the staff pages while text messages are held by the
hourly budget (SMS_PER_HOUR), for those who can change it or explain it:
managers and administrators, as with the worker's silence."""

from django import template

from skranke.rate_limits.text_messages import texts_held
from skranke.worker.templatetags.worker_silence import sees_worker_silence

register = template.Library()


@register.inclusion_tag("rate_limits/text_budget_banner.html", takes_context=True)
def text_budget_banner(context: template.Context) -> dict[str, object]:
    if not sees_worker_silence(context.get("user")):
        return {"held": False}
    return {"held": texts_held()}
