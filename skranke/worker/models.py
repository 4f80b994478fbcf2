from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """When a worker last went round its loop: one row (pk 1), overwritten.

    With several workers it holds the latest of them, which is what matters:
    some worker is sending the messages."""

    ROW = 1

    beat_at = models.DateTimeField(_("last heard from"))

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return str(self.beat_at)
