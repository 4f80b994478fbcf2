"""The proofs already spent: a solved challenge or a wait token is good
for one booking attempt, so its digest is kept until it would have expired
anyway (spent.py), and the worker then forgets it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SpentProof(models.Model):
    # The challenge's SHA-256 (hex), or a wait token's random id: nothing
    # about the citizen.
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    expires_at = models.DateTimeField(_("expires"))

    class Meta:
        verbose_name = _("spent proof")
        verbose_name_plural = _("spent proofs")
        indexes = [models.Index(fields=["expires_at"], name="spent_proof_expires")]

    def __str__(self) -> str:
        return f"{self.digest[:12]}… {self.expires_at:%Y-%m-%d %H:%M}"


class AttackAlert(models.Model):
    """A spell of booking attempts far above the hour's usual level
    (pressure.py): while it lasts, every online booking waits for its code,
    and managers see it on their pages (alerts.py)."""

    started_at = models.DateTimeField(_("started"))
    last_seen_at = models.DateTimeField(_("last seen"))
    # The most booking attempts counted in one clock hour during the spell.
    peak_attempts = models.PositiveIntegerField(_("most attempts in an hour"), default=0)

    class Meta:
        verbose_name = _("attack alert")
        verbose_name_plural = _("attack alerts")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["last_seen_at"], name="attack_alert_last_seen")]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} ({self.peak_attempts})"


class OutstandingWait(models.Model):
    """The one wait token a network may have out (waiting.py): a token
    given out later replaces it, so tokens cannot be collected from one
    network and spent at once."""

    # A keyed hash of the network: nothing about the citizen.
    network = models.CharField(_("network"), max_length=64, unique=True)
    token_id = models.CharField(_("token"), max_length=32)
    expires_at = models.DateTimeField(_("expires"))

    class Meta:
        verbose_name = _("outstanding wait")
        verbose_name_plural = _("outstanding waits")
        indexes = [models.Index(fields=["expires_at"], name="outstanding_wait_expires")]

    def __str__(self) -> str:
        return f"{self.network[:12]}… {self.expires_at:%Y-%m-%d %H:%M}"
