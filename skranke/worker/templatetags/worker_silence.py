"""The banner on the staff pages when the worker has gone silent: managers
and administrators (who can get the worker restarted) learn that messages to
citizens are not going out. Front-desk staff and contact agents are not
troubled with it, and citizens never see it."""

from typing import Any

from django import template

from skranke.accounts.models import CONFIGURING_ROLES
from skranke.core import clock
from skranke.worker.heartbeat import is_silent, last_heartbeat_cached

register = template.Library()


def sees_worker_silence(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and (user.is_superuser or user.role in CONFIGURING_ROLES)
    )


@register.inclusion_tag("worker/silence_banner.html", takes_context=True)
def worker_silence_banner(context: template.Context) -> dict[str, object]:
    if not sees_worker_silence(context.get("user")):
        return {"silent": False}
    last = last_heartbeat_cached()
    if not is_silent(last=last):
        return {"silent": False}
    minutes = None if last is None else int((clock.now() - last).total_seconds() // 60)
    return {"silent": True, "minutes": minutes}
