"""The configuration of a citizen service centre.

Municipality → Location → Desk; the services a municipality offers; when a
location is open (weekly hours, special days, public holidays); and desk
shifts, which are where capacity comes from.
"""

import uuid

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from skranke.core.intervals import first_overlap, format_interval, is_covered


class Municipality(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), unique=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)
    accessibility_statement_url = models.URLField(
        _("accessibility statement"),
        blank=True,
        help_text=_("Link to the municipality's accessibility statement (was.digst.dk)."),
    )
    privacy_notice_url = models.URLField(
        _("privacy notice"),
        blank=True,
        help_text=_(
            "Link to the municipality's notice on how citizens' data is processed (GDPR"
            " articles 13 and 14), shown on every citizen page. Required in production."
        ),
    )
    booking_horizon_days = models.PositiveSmallIntegerField(
        _("booking horizon in days"),
        default=60,
        validators=[MinValueValidator(1)],
        help_text=_("How far ahead citizens can book."),
    )
    booking_lead_minutes = models.PositiveSmallIntegerField(
        _("minimum notice in minutes"),
        default=120,
        help_text=_("Citizens can book no later than this before the time."),
    )
    max_active_bookings = models.PositiveSmallIntegerField(
        _("active bookings per citizen"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("At most this many future bookings per phone number or e-mail address."),
    )
    confirm_online_bookings_by_code = models.BooleanField(
        _("online bookings confirmed by a code"),
        default=False,
        help_text=_(
            "A time booked online is held for a few minutes until the citizen types the code"
            " sent to their mobile. Each errand may choose otherwise; while Skranke sees an"
            " attack, every online booking is confirmed by a code."
        ),
    )
    checkin_early_minutes = models.PositiveSmallIntegerField(
        _("earliest check-in, minutes before the time"),
        default=15,
        help_text=_(
            "A citizen who arrives earlier is told when to come back, unless a desk is free."
        ),
    )
    checkin_grace_minutes = models.PositiveSmallIntegerField(
        _("grace period, minutes after the time"),
        default=10,
        help_text=_(
            "A citizen not checked in by then is marked as not come, and offered a ticket "
            "without a booking if they arrive later."
        ),
    )
    on_time_minutes = models.PositiveSmallIntegerField(
        _("served on time: at most this many minutes late"),
        default=5,
        validators=[MaxValueValidator(60)],
        help_text=_(
            "In the statistics, a booked citizen who arrived in time was served on time when "
            "the visit started no later than this after the booked time."
        ),
    )

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="locations",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(
        _("slug"), unique=True, help_text=_("Short name used in web addresses and the API.")
    )
    address = models.CharField(_("address"), max_length=200)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    # Changes with every change to the location's opening hours, special
    # days, desks or shifts, so processes know to read them again
    # (core/schedule.py).
    schedule_version = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# A KLE number: main group, group and topic, two digits each ("23.05.00");
# the main group alone or with its group is allowed too.
KLE_NUMBER = RegexValidator(
    r"^\d{2}(\.\d{2}){0,2}$", _("Write the KLE number as two digits per level, e.g. 23.05.00.")
)


def localized(danish: str, english: str) -> str:
    """The Danish or English text for the active language; Danish when the
    English one is missing, since Danish is always filled in."""
    if get_language() == "en" and english:
        return english
    return danish


class Service(models.Model):
    class Kind(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("Telephone meeting")

    class CodeConfirmation(models.TextChoices):
        AS_MUNICIPALITY = "municipality", _("As the municipality's setting")
        ALWAYS = "always", _("Always")
        UNDER_ATTACK = "under_attack", _("Only while Skranke sees an attack")

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="services",
        verbose_name=_("municipality"),
    )
    slug = models.SlugField(_("slug"))
    name_da = models.CharField(_("name (Danish)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration in minutes"),
        validators=[MinValueValidator(1, _("The duration must be at least one minute."))],
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.IN_PERSON)
    code_confirmation = models.CharField(
        _("online bookings confirmed by a code"),
        max_length=20,
        choices=CodeConfirmation.choices,
        default=CodeConfirmation.AS_MUNICIPALITY,
        help_text=_(
            "Whether a time booked online is held until the citizen types the code sent to"
            " their mobile. While Skranke sees an attack, it always is."
        ),
    )
    citizen_sign_in_required = models.BooleanField(
        _("MitID required to book online"),
        default=False,
        help_text=_(
            "Citizens sign in with MitID (the municipality's broker) to book this errand"
            " online, and each person may hold one booking of it. No code by text message"
            " is then needed."
        ),
    )
    booking_required = models.BooleanField(
        _("booking required"),
        default=True,
        help_text=_("Untick for errands citizens do without a booking, such as postal votes."),
    )
    bookable_online = models.BooleanField(_("bookable online"), default=True)
    what_to_bring_da = models.TextField(_("what to bring (Danish)"), blank=True)
    what_to_bring_en = models.TextField(_("what to bring (English)"), blank=True)
    walk_in_allowed = models.BooleanField(
        _("urgent errands without a booking"),
        default=False,
        help_text=_(
            "Citizens without a booking may take a ticket for it at the kiosk and are"
            " served between booked times. Errands that need no booking always may."
        ),
    )
    ticket_letter = models.CharField(
        _("ticket letter"),
        max_length=1,
        default="A",
        validators=[RegexValidator(r"^[A-Z]$", _("One capital letter, A to Z."))],
        help_text=_(
            "Tickets for this errand start with this letter (P012). Errands of one group"
            " share a letter."
        ),
    )
    waiting_area_da = models.CharField(
        _("where to wait (Danish)"),
        max_length=100,
        blank=True,
        help_text=_(
            "Shown with the ticket, e.g. “Venteområde A, 1. sal”. Empty: the waiting room."
        ),
    )
    waiting_area_en = models.CharField(_("where to wait (English)"), max_length=100, blank=True)
    self_service_url = models.URLField(
        _("self-service link"),
        blank=True,
        help_text=_("Where the citizen can do this online instead, if anywhere."),
    )
    locations = models.ManyToManyField(
        Location, related_name="services", verbose_name=_("locations"), blank=True
    )
    slot_step_minutes = models.PositiveSmallIntegerField(
        _("minutes between start times"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Empty: the duration when it divides the hour (10, 15, 20, 30, 60), else the"
            " largest of those shorter than it (25 minutes: every 20)."
        ),
    )
    held_back_percent = models.PositiveSmallIntegerField(
        _("capacity held back (%)"),
        default=0,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "Share of the desks at each time kept free for citizens without a booking, "
            "released the given number of days before."
        ),
    )
    release_days_before = models.PositiveSmallIntegerField(
        _("held-back capacity released days before"),
        default=0,
        help_text=_("0: on the day itself; 1: the day before, and so on."),
    )
    reminder_hours_before = models.PositiveSmallIntegerField(
        _("reminder hours before"),
        default=24,
        validators=[MaxValueValidator(24 * 14)],
        help_text=_(
            "When the reminder is sent, in hours before the time; 0: no reminder. Not sent"
            " when the time is booked closer than this."
        ),
    )
    kle_number = models.CharField(
        _("KLE number"),
        max_length=8,
        blank=True,
        validators=[KLE_NUMBER],
        help_text=_(
            "The area in KL's classification (KLE), e.g. 23.05.00, for the KL counting "
            "week's export. Optional."
        ),
    )
    sensitive = models.BooleanField(
        _("sensitive"),
        default=False,
        help_text=_(
            "Tick for errands that say something private, such as sickness benefit: text"
            " messages, e-mails and calendar files then say “your appointment” instead of"
            " naming the errand. Keep “what to bring” neutral too."
        ),
    )
    position = models.PositiveSmallIntegerField(_("position in lists"), default=100)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["position", "name_da"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "slug"], name="service_slug_unique_per_municipality"
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0), name="service_duration_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self.name_da, self.name_en)

    @property
    def name_in_messages(self) -> str:
        """What text messages, e-mails and calendar files call the errand: a
        sensitive one is not named, since a lock screen or a shared calendar
        shows it to whoever looks."""
        return gettext("your appointment") if self.sensitive else self.name

    @property
    def what_to_bring(self) -> str:
        return localized(self.what_to_bring_da, self.what_to_bring_en)

    @property
    def waiting_area(self) -> str:
        return localized(self.waiting_area_da, self.waiting_area_en)

    @property
    def slot_step(self) -> int:
        """Minutes between offered start times (slot_step_for)."""
        return slot_step_for(minutes=self.duration_minutes, explicit=self.slot_step_minutes)


# Grids that give tidy times within every hour.
TIDY_GRIDS = (5, 10, 15, 20, 30, 60)


def slot_step_for(*, minutes: int, explicit: int | None = None) -> int:
    """The grid of a service's times: the one set, else its own length
    when that divides an hour (a 20-minute errand on a 20-minute grid gives
    tidy times, 10:00, 10:20, …, that leave no gaps when the day is full),
    else the largest tidy grid shorter than it: a 25-minute errand starts
    every 20 minutes, not every 5 (80 buttons a day on a phone)."""
    if explicit:
        return explicit
    if 60 % minutes == 0:
        return minutes
    return max(grid for grid in TIDY_GRIDS if grid <= max(minutes, TIDY_GRIDS[0]))


class Weekday(models.IntegerChoices):
    # Python's date.weekday() numbering, so no translation is needed in code.
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


def check_interval_order(opens: object, closes: object, *, field: str = "closes") -> None:
    if opens is not None and closes is not None and closes <= opens:  # type: ignore[operator]
        raise ValidationError({field: _("The end must be later than the start.")})


class OpeningHours(models.Model):
    """One interval of a weekday's opening hours; a day may have several."""

    location = models.ForeignKey(
        Location,
        on_delete=models.CASCADE,
        related_name="opening_hours",
        verbose_name=_("location"),
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["location", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=models.F("opens")), name="opening_hours_closes_after_opens"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {format_interval((self.opens, self.closes))}"

    def clean(self) -> None:
        # Overlap with the day's other intervals is checked by the admin's
        # formset, which sees all of them at once (configuration/admin.py).
        check_interval_order(self.opens, self.closes)


class SpecialDay(models.Model):
    """A date with other hours than usual: closed, or open at other times
    (also on a public holiday, which is otherwise closed)."""

    location = models.ForeignKey(
        Location,
        on_delete=models.CASCADE,
        related_name="special_days",
        verbose_name=_("location"),
    )
    date = models.DateField(_("date"))
    closed = models.BooleanField(_("closed all day"), default=False)
    note_da = models.CharField(
        _("note (Danish)"),
        max_length=200,
        blank=True,
        help_text=_("Shown to citizens, e.g. “Udvidet åbningstid før sommerferien”."),
    )
    note_en = models.CharField(_("note (English)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("special day")
        verbose_name_plural = _("special days")
        ordering = ["location", "date"]
        constraints = [
            models.UniqueConstraint(fields=["location", "date"], name="special_day_once_per_date"),
        ]

    def __str__(self) -> str:
        return f"{self.location}: {self.date:%Y-%m-%d}"

    @property
    def note(self) -> str:
        return localized(self.note_da, self.note_en)


class SpecialDayHours(models.Model):
    special_day = models.ForeignKey(
        SpecialDay,
        on_delete=models.CASCADE,
        related_name="hours",
        verbose_name=_("special day"),
    )
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("hours on a special day")
        verbose_name_plural = _("hours on a special day")
        ordering = ["special_day", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=models.F("opens")), name="special_hours_closes_after_opens"
            ),
        ]

    def __str__(self) -> str:
        return format_interval((self.opens, self.closes))

    def clean(self) -> None:
        check_interval_order(self.opens, self.closes)


class Desk(models.Model):
    class Kind(models.TextChoices):
        COUNTER = "counter", _("Desk")
        PHONE_LINE = "phone_line", _("Phone line")

    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="desks", verbose_name=_("location")
    )
    name = models.CharField(
        _("name"),
        max_length=50,
        help_text=_(
            "Shown to citizens: a number (“3”, said as “Desk 3”) or the name people use"
            " (“Pas-skranken”)."
        ),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COUNTER)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("desk")
        verbose_name_plural = _("desks")
        ordering = ["location", "name"]
        constraints = [
            models.UniqueConstraint(fields=["location", "name"], name="desk_name_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.location} – {self.label}"

    @property
    def label(self) -> str:
        """The desk as people say it: a bare number ("3") is "Skranke 3",
        a name ("Pas-skranken") is itself. The display's board shows the
        name alone, under its heading "Go to desk"."""
        if self.name.isdigit():
            return _("Desk %(number)s") % {"number": self.name}
        return self.name


class DeskShift(models.Model):
    """When a desk (or phone line) is staffed, and for which services.

    A shift repeats on a weekday, or falls on one date. On a date that has
    dated shifts for a desk, those replace the desk's weekly shifts.
    """

    desk = models.ForeignKey(
        Desk, on_delete=models.CASCADE, related_name="shifts", verbose_name=_("desk")
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), choices=Weekday.choices, null=True, blank=True
    )
    date = models.DateField(_("date"), null=True, blank=True)
    starts = models.TimeField(_("starts"))
    ends = models.TimeField(_("ends"))
    services = models.ManyToManyField(
        Service, related_name="shifts", verbose_name=_("services handled")
    )

    class Meta:
        verbose_name = _("desk shift")
        verbose_name_plural = _("desk shifts")
        ordering = ["desk", "date", "weekday", "starts"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__gt=models.F("starts")), name="shift_ends_after_starts"
            ),
            models.CheckConstraint(
                condition=(Q(weekday__isnull=True) & Q(date__isnull=False))
                | (Q(weekday__isnull=False) & Q(date__isnull=True)),
                name="shift_weekday_or_date",
            ),
        ]

    def __str__(self) -> str:
        when = self.get_weekday_display() if self.date is None else f"{self.date:%Y-%m-%d}"
        return f"{self.desk} {when} {format_interval((self.starts, self.ends))}"

    def clean(self) -> None:
        check_interval_order(self.starts, self.ends, field="ends")
        if (self.weekday is None) == (self.date is None):
            raise ValidationError(_("Give either a weekday or a date, not both."))
        if self.desk_id is None or self.starts is None or self.ends is None:
            return
        self._check_no_overlap()
        self._check_inside_opening_hours()

    def _check_no_overlap(self) -> None:
        same_day = DeskShift.objects.filter(desk_id=self.desk_id).exclude(pk=self.pk)
        if self.date is not None:
            same_day = same_day.filter(date=self.date)
        else:
            same_day = same_day.filter(weekday=self.weekday)
        intervals = [(shift.starts, shift.ends) for shift in same_day]
        if first_overlap([*intervals, (self.starts, self.ends)]):
            raise ValidationError(_("This shift overlaps another shift on the same desk."))

    def _check_inside_opening_hours(self) -> None:
        # Imported here because opening_hours reads these models.
        from skranke.core.opening_hours import opening_intervals_on, weekly_intervals

        location = self.desk.location
        if self.date is not None:
            hours = opening_intervals_on(location=location, day=self.date)
            when = f"{self.date:%d.%m.%Y}"
        elif self.weekday is not None:
            hours = weekly_intervals(location=location)[self.weekday]
            when = str(Weekday(self.weekday).label)
        else:
            return
        if not is_covered((self.starts, self.ends), by=hours):
            opening = ", ".join(format_interval(i) for i in hours) or _("closed")
            raise ValidationError(
                _("The shift must lie within the opening hours (%(when)s: %(hours)s).")
                % {"when": when, "hours": opening}
            )
