"""Satisfaction surveys: an invitation sent (with consent) about two hours
after a visit or a telephone meeting, and the answers, from the link or
from the survey terminal by the exit.

An answer holds no personal data: the place, the service and the answers
only; the invitation that led to it is not linked to it, so an answer
cannot be traced back to a booking. The invitation keeps a keyed hash of
the phone number or e-mail address (never the address itself) so that
nobody is asked more than once in 30 days.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.models import Location, Service


class Invitation(models.Model):
    booking = models.OneToOneField(
        Booking, on_delete=models.CASCADE, related_name="survey", verbose_name=_("booking")
    )
    token = models.CharField(max_length=64, unique=True)
    # HMACs of the phone number and the e-mail address: the 30-day rule
    # without keeping who it was.
    recipient_key = models.CharField(max_length=64, db_index=True)
    email_key = models.CharField(max_length=64, blank=True, db_index=True)
    # False when no message went: no channel, or asked within 30 days.
    sent = models.BooleanField(default=False)
    created_at = models.DateTimeField(_("sent"), default=clock.now)
    expires_at = models.DateTimeField(_("expires"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")

    def __str__(self) -> str:
        return f"{self.booking_id} {self.created_at:%Y-%m-%d}"


class Answer(models.Model):
    class Source(models.TextChoices):
        LINK = "link", _("Link in a message")
        TERMINAL = "terminal", _("Survey terminal")

    class YesNo(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        DONT_KNOW = "dont_know", _("Don't know")

    class BookedVia(models.TextChoices):
        WEBSITE = "website", _("On the website")
        PHONE = "phone", _("By phone")
        SMS = "sms", _("By answering a text message")
        IN_PERSON = "in_person", _("At the counter")
        OTHER = "other", _("Another way")

    STAFF_SCOPE = ("location", "location")

    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="+", verbose_name=_("location")
    )
    service = models.ForeignKey(
        Service,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service"),
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    answered_at = models.DateTimeField(_("answered"), default=clock.now)
    # 1 (very dissatisfied) to 5 (very satisfied); the terminal's four
    # smileys are stored as 1, 2, 4 and 5 (no middle).
    satisfaction = models.PositiveSmallIntegerField(
        _("how satisfied"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    on_time = models.CharField(
        _("served on time or earlier"), max_length=10, choices=YesNo.choices, blank=True
    )
    easy_to_find = models.CharField(
        _("easy to find a time"), max_length=10, choices=YesNo.choices, blank=True
    )
    booked_via = models.CharField(
        _("booked via"), max_length=10, choices=BookedVia.choices, blank=True
    )
    knew_required = models.CharField(
        _("knew booking was required"), max_length=10, choices=YesNo.choices, blank=True
    )
    comment = models.TextField(_("comment"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        indexes = [models.Index(fields=["location", "answered_at"])]

    def __str__(self) -> str:
        return f"{self.source} {self.answered_at:%Y-%m-%d}"
