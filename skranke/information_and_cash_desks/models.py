"""Contacts at the centre that are not visits: a question answered at the
information desk, a payment at the cash desk. Nothing about the citizen is
asked or kept; one click is one row, so the statistics count rows as they
count visits, never a counter kept on the side."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from skranke.core import clock
from skranke.core.models import Location


class Tally(models.Model):
    class Kind(models.TextChoices):
        INFORMATION_DESK = "information_desk", _("Information desk")
        CASH_DESK = "cash_desk", _("Cash desk")

    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="+", verbose_name=_("location")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("time"), default=clock.now)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member"),
    )

    class Meta:
        verbose_name = _("tally")
        verbose_name_plural = _("tallies")
        indexes = [models.Index(fields=["location", "at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"
