from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from skranke.core.models import Location


class ManagerAction(models.Model):
    """What a manager did from the overview of the day, who and when: the
    record a colleague reads to know why the kiosk stopped giving tickets."""

    class Kind(models.TextChoices):
        STOP_WALK_INS = "stop_walk_ins", _("Stopped tickets without a booking")
        RESUME_WALK_INS = "resume_walk_ins", _("Started tickets without a booking again")
        PAUSE_DESK = "pause_desk", _("Paused a desk")
        OPEN_DESK = "open_desk", _("Opened a desk again")

    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="+", verbose_name=_("location")
    )
    kind = models.CharField(_("action"), max_length=30, choices=Kind.choices)
    detail = models.CharField(_("what"), max_length=200)  # the queue or the desk
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("action from the overview")
        verbose_name_plural = _("actions from the overview")
        indexes = [models.Index(fields=["location", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.detail}"


class LiveSnapshot(models.Model):
    """The live part of the overview or of a wallboard as last worked out,
    shared by every screen that watches the same places and by every
    process of the app server (snapshots.py). No citizen is named in it:
    counts, desks and staff's first names only."""

    key = models.CharField(max_length=64, unique=True)  # what is watched, by whom (a digest)
    version = models.CharField(max_length=64)  # what its figures rest on (version.py)
    html = models.TextField()
    made_at = models.DateTimeField()  # when the figures were read
    checked_at = models.DateTimeField()  # when the version was last read

    class Meta:
        verbose_name = _("live figures")
        verbose_name_plural = _("live figures")

    def __str__(self) -> str:
        return f"{self.key[:8]} {self.version} {self.made_at:%H:%M:%S}"
