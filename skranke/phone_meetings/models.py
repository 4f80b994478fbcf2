"""The call behind a telephone meeting: who took it, when it started and
ended, and whether the citizen answered.

One row per booking, made when someone first takes the call; a meeting no
one has touched has none. The booking keeps its own status as well (served,
no-show), because the statistics count bookings, not calls.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from skranke.booking.models import Booking


class MeetingCall(models.Model):
    class Outcome(models.TextChoices):
        REACHED = "reached", _("Reached")
        NO_ANSWER = "no_answer", _("No answer")

    STAFF_SCOPE = ("location", "booking__location")

    booking = models.OneToOneField(
        Booking,
        on_delete=models.CASCADE,
        related_name="meeting_call",
        verbose_name=_("booking"),
    )
    # Who has the call now; after it ended, who made it. Empty while the
    # meeting waits for someone (also between the two attempts).
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("taken by"),
    )
    claimed_at = models.DateTimeField(_("taken"), null=True, blank=True)
    started_at = models.DateTimeField(_("call started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    attempts = models.PositiveSmallIntegerField(_("unanswered attempts"), default=0)
    retry_at = models.DateTimeField(_("second attempt due"), null=True, blank=True)

    class Meta:
        verbose_name = _("telephone meeting call")
        verbose_name_plural = _("telephone meeting calls")
        constraints = [
            # An outcome exactly when the call has ended.
            models.CheckConstraint(
                condition=Q(finished_at__isnull=True, outcome="")
                | Q(finished_at__isnull=False, outcome__in=["reached", "no_answer"]),
                name="meeting_call_outcome_when_finished",
            ),
            models.CheckConstraint(
                condition=Q(attempts__lte=2), name="meeting_call_at_most_two_attempts"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.booking_id} {self.outcome or 'open'}"
