"""Counters for the rate limits (allowance.py): one row per key and fixed
window. They live in the database so that every app process and every
worker counts together; an installation needs nothing besides it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Window(models.Model):
    # A limit's name and a keyed hash of what it counts (an address, a
    # number, a device): never the address or number itself.
    key = models.CharField(_("key"), max_length=100)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    # Every attempt counts, the refused ones too: a window with more hits
    # than its limit has turned someone away.
    hits = models.PositiveIntegerField(_("hits"), default=0)

    class Meta:
        verbose_name = _("rate limit window")
        verbose_name_plural = _("rate limit windows")
        constraints = [
            models.UniqueConstraint(
                fields=["key", "starts_at"], name="one_window_per_key_and_start"
            )
        ]
        indexes = [models.Index(fields=["ends_at"], name="rate_limit_window_ends")]

    def __str__(self) -> str:
        return f"{self.key} {self.starts_at:%Y-%m-%d %H:%M}: {self.hits}"
