"""The banner on the staff pages when the worker has gone silent: managers
and administrators (who can get the worker restarted) learn that messages to
citizens are not going out. Front-desk staff and contact agents are not
troubled with it, and citizens never see it."""

from django import template

from skranke.accounts.permissions import sees_operations_warnings
from skranke.core import clock
from skranke.worker.heartbeat import is_silent, last_heartbeat_cached

register = template.Library()


@register.inclusion_tag("worker/silence_banner.html", takes_context=True)
def worker_silence_banner(context: template.Context) -> dict[str, object]:
    if not sees_operations_warnings(user=context.get("user")):
        return {"silent": False}
    last = last_heartbeat_cached()
    if not is_silent(last=last):
        return {"silent": False}
    minutes = None if last is None else int((clock.now() - last).total_seconds() // 60)
    return {"silent": True, "minutes": minutes}
