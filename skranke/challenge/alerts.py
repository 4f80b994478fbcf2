"""The attack alert: a spell of booking attempts far above the usual level
(pressure.py), kept as one row from when it is first seen until it has
been quiet for ATTACK_QUIET_MINUTES, and shown to managers and
administrators on every staff page while it lasts (context_processors.py;
it belongs on their overview too)."""

from datetime import timedelta

from django.db import transaction

from skranke.challenge.models import AttackAlert
from skranke.core import clock

# Quiet for this long, and the spell is over.
ATTACK_QUIET_MINUTES = 15
# A spell's row is written at most this often while it lasts, not on
# every booking attempt.
NOTE_EVERY = timedelta(minutes=1)


def current_attack() -> AttackAlert | None:
    """The spell going on now, if any."""
    since = clock.now() - timedelta(minutes=ATTACK_QUIET_MINUTES)
    return AttackAlert.objects.filter(last_seen_at__gte=since).order_by("-last_seen_at").first()


def note_attack(*, attempts: int) -> None:
    """Note that the count of attempts this hour is `attempts`, past the
    attack's threshold: a new spell, or the one going on."""
    now = clock.now()
    alert = current_attack()
    if alert is None:
        with transaction.atomic():
            AttackAlert.objects.create(started_at=now, last_seen_at=now, peak_attempts=attempts)
        return
    if alert.last_seen_at > now - NOTE_EVERY and attempts <= alert.peak_attempts:
        return
    AttackAlert.objects.filter(pk=alert.pk).update(
        last_seen_at=now, peak_attempts=max(alert.peak_attempts, attempts)
    )
