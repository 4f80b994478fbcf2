"""What a manager enters or decides on the planning pages: events that
lift the forecast, and changes to a service's minutes (who and when)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from skranke.core import clock
from skranke.core.models import Location, Municipality, Service


class ForecastEvent(models.Model):
    """Something that brings more (or fewer) citizens than the history
    would say: an election, a passport wave, a rule change."""

    STAFF_SCOPE = ("municipality", "municipality")

    class Applies(models.TextChoices):
        COUNTER = "counter", _("Counter")
        PHONES = "phones", _("Telephones")
        BOTH = "both", _("Counter and telephones")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, verbose_name=_("municipality")
    )
    name = models.CharField(_("name"), max_length=100)
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    lift_percent = models.SmallIntegerField(
        _("expected change (%)"),
        validators=[MinValueValidator(-100), MaxValueValidator(500)],
        help_text=_("For example 30 for 30 % more than usual, −20 for 20 % fewer."),
    )
    applies_to = models.CharField(
        _("applies to"), max_length=10, choices=Applies.choices, default=Applies.BOTH
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("forecast event")
        verbose_name_plural = _("forecast events")
        ordering = ["first_day", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_day__gte=models.F("first_day")),
                name="forecast_event_ends_after_it_begins",
            )
        ]

    def __str__(self) -> str:
        return self.name


class MinutesChange(models.Model):
    """A service's minutes changed from the planning page: the record of
    who changed what, and when."""

    STAFF_SCOPE = ("service__municipality", "municipality")

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    # The location whose history the recommendation came from.
    location = models.ForeignKey(Location, on_delete=models.SET_NULL, null=True, related_name="+")
    old_minutes = models.PositiveSmallIntegerField(_("minutes before"))
    new_minutes = models.PositiveSmallIntegerField(_("minutes after"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed"), default=clock.now)

    class Meta:
        verbose_name = _("change of minutes")
        verbose_name_plural = _("changes of minutes")
        ordering = ["-changed_at"]

    def __str__(self) -> str:
        return f"{self.service}: {self.old_minutes} → {self.new_minutes}"
