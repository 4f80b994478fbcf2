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
