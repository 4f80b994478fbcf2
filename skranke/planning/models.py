"""What a manager enters or decides on the planning pages: events that
lift the forecast, changes to a service's minutes (who and when), the
shift patterns a rota is made of, and what an hour of staff costs."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
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

    STAFF_SCOPE = ("municipality", "service__municipality")

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


# The rota is planned by the half hour (planning/rota/), so a pattern's
# times fall on whole and half hours.
HALF_HOUR = 30
WEEKDAY_DIGITS = RegexValidator(
    r"^[0-6]{1,7}$", _("Give the weekdays as digits, 0 for Monday to 6 for Sunday.")
)


class ShiftPattern(models.Model):
    """A shift a manager is willing to put on the rota: when it starts, how
    long it is, its break, the weekdays it may be used and how many staff
    can work it on one day."""

    STAFF_SCOPE = ("location", "location")

    class Applies(models.TextChoices):
        # The counter and the telephones are staffed from separate rotas:
        # an agent on the phones is not at a desk, and a pattern fitted to
        # the counter's opening hours rarely fits the phones' (and back).
        COUNTER = "counter", _("Counter")
        PHONES = "phones", _("Telephones")

    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="+", verbose_name=_("location")
    )
    applies_to = models.CharField(
        _("applies to"),
        max_length=10,
        choices=Applies.choices,
        default=Applies.COUNTER,
        help_text=_("Whether the shift is planned on the counter's rota or the telephones'."),
    )
    name = models.CharField(
        _("name"), max_length=60, help_text=_("For example “Early” or “Short midday”.")
    )
    starts = models.TimeField(_("starts"), help_text=_("On the whole or half hour."))
    latest_start = models.TimeField(
        _("latest start"),
        null=True,
        blank=True,
        help_text=_(
            "Empty: the shift starts at the start time. Otherwise it may start at any "
            "half hour from the start time to this one, whichever the need calls for."
        ),
    )
    length_minutes = models.PositiveSmallIntegerField(
        _("length in minutes"),
        validators=[MinValueValidator(HALF_HOUR), MaxValueValidator(12 * 60)],
        help_text=_("From start to end, the break included; a multiple of 30 minutes."),
    )
    break_minutes = models.PositiveSmallIntegerField(
        _("break in minutes"),
        default=0,
        help_text=_("Time away from the desk during the shift; 0 or a multiple of 30 minutes."),
    )
    break_after_minutes = models.PositiveSmallIntegerField(
        _("break starts, minutes after the start"),
        default=0,
        help_text=_("For example 180: a shift starting at 9:00 has its break at 12:00."),
    )
    weekdays = models.CharField(
        _("weekdays"),
        max_length=7,
        default="01234",
        validators=[WEEKDAY_DIGITS],
        help_text=_("The days the shift may be used."),
    )
    most_staff = models.PositiveSmallIntegerField(
        _("most staff per day"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_("How many can work this shift on one day."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("shift pattern")
        verbose_name_plural = _("shift patterns")
        ordering = ["location", "starts", "length_minutes", "name"]

    def __str__(self) -> str:
        return f"{self.name} {self.starts:%H:%M}, {self.length_minutes} min"

    @property
    def weekday_numbers(self) -> frozenset[int]:
        return frozenset(int(digit) for digit in self.weekdays)

    def clean(self) -> None:
        errors: dict[str, ValidationError] = {}
        if self.starts is not None and (self.starts.minute % HALF_HOUR or self.starts.second):
            errors["starts"] = ValidationError(_("Start on the whole or half hour."))
        length = self.length_minutes or 0
        if length % HALF_HOUR:
            errors["length_minutes"] = ValidationError(_("Give the length in half hours."))
        elif self.starts is not None and self.starts.hour * 60 + self.starts.minute + length > (
            24 * 60
        ):
            errors["length_minutes"] = ValidationError(_("The shift must end by midnight."))
        if self.latest_start is not None and self.starts is not None:
            if self.latest_start.minute % HALF_HOUR or self.latest_start < self.starts:
                errors["latest_start"] = ValidationError(
                    _("The latest start is on the whole or half hour, not before the start.")
                )
            elif self.latest_start.hour * 60 + self.latest_start.minute + length > 24 * 60:
                errors["latest_start"] = ValidationError(
                    _("A shift starting this late would not end by midnight.")
                )
        if self.break_minutes % HALF_HOUR:
            errors["break_minutes"] = ValidationError(_("Give the break in half hours."))
        elif self.break_minutes and (
            self.break_after_minutes % HALF_HOUR
            or self.break_after_minutes <= 0
            or self.break_after_minutes + self.break_minutes >= length
        ):
            errors["break_after_minutes"] = ValidationError(
                _(
                    "The break must start on a half hour after the shift starts, "
                    "and end before the shift ends."
                )
            )
        if self.weekdays and len(set(self.weekdays)) != len(self.weekdays):
            errors["weekdays"] = ValidationError(_("Give each weekday once."))
        if errors:
            raise ValidationError(errors)


DEFAULT_HOURLY_COST = 350


class RotaSettings(models.Model):
    """What an hour of a staff member costs the municipality, for the
    rota's saving in kroner."""

    STAFF_SCOPE = ("municipality", "municipality")

    municipality = models.OneToOneField(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    hourly_cost = models.PositiveIntegerField(
        _("hourly cost (DKK)"),
        default=DEFAULT_HOURLY_COST,
        validators=[MinValueValidator(1), MaxValueValidator(10_000)],
        help_text=_("What an hour of a staff member costs, pay and overheads included."),
    )

    class Meta:
        verbose_name = _("rota settings")
        verbose_name_plural = _("rota settings")

    def __str__(self) -> str:
        return str(self.municipality)


def hourly_cost_of(municipality: Municipality) -> int:
    """The municipality's hourly cost, or the default when none is set."""
    found = RotaSettings.objects.filter(municipality=municipality).first()
    return found.hourly_cost if found is not None else DEFAULT_HOURLY_COST
