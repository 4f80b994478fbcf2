"""Bookings: a citizen's time at a desk (or on a phone line).

A booking occupies one desk for [start, end). Two active bookings on one
desk never overlap: booking.py locks before it writes, and the database
refuses overlaps as a backstop (PostgreSQL: an exclusion constraint added in
migration 0002; everywhere: one active booking per desk and start time).
Desk rather than shift: shifts on one desk never overlap, so the two say the
same, and a desk outlives edits to the weekly schedule.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from skranke.core import clock
from skranke.core.models import Desk, Location, Service
from skranke.core.phone_numbers import format_phone


class Booking(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        CANCELLED = "cancelled", _("Cancelled")
        CHECKED_IN = "checked_in", _("Checked in")
        SERVED = "served", _("Served")
        NO_SHOW = "no_show", _("No-show")

    class Channel(models.TextChoices):
        WEB = "web", _("Web")
        PHONE = "phone", _("Phone")
        COUNTER = "counter", _("Counter")
        SMS = "sms", _("SMS")

    # Statuses that hold the desk's time.
    OCCUPYING = (Status.BOOKED, Status.CHECKED_IN)

    # Unique by a constraint (below), not unique=True, which on PostgreSQL
    # adds a second index for LIKE searches no one makes; each index is paid
    # for on every booking.
    code = models.CharField(_("booking code"), max_length=8)
    token = models.CharField(max_length=64, editable=False)
    location = models.ForeignKey(
        Location,
        on_delete=models.PROTECT,
        related_name="bookings",
        verbose_name=_("location"),
        db_index=False,  # the (location, start) index serves
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("service")
    )
    desk = models.ForeignKey(
        Desk,
        on_delete=models.PROTECT,
        related_name="bookings",
        null=True,
        blank=True,
        verbose_name=_("desk"),
        help_text=_("Empty for a citizen squeezed in beyond capacity."),
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.BOOKED
    )
    name = models.CharField(_("name"), max_length=100)
    phone = models.CharField(_("mobile number"), max_length=16)
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    sms_consent = models.BooleanField(_("text messages allowed"), default=False)
    survey_consent = models.BooleanField(_("survey afterwards allowed"), default=False)
    note = models.TextField(_("note"), max_length=500, blank=True)
    squeezed_in = models.BooleanField(_("squeezed in beyond capacity"), default=False)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("booked by"),
    )
    created_at = models.DateTimeField(_("created"), default=clock.now)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    sequence = models.PositiveIntegerField(default=0, help_text="iCalendar SEQUENCE")
    # How often the time was moved (by the citizen or by staff), for the
    # statistics' cancellations and moves.
    moves = models.PositiveSmallIntegerField(_("times moved"), default=0)
    # A time booked online may be held until the citizen confirms it with a
    # code sent to the phone (holds.py): held_until is when the hold lapses,
    # None once confirmed and for every booking that needed no code. A hold
    # whose moment has passed holds nothing: availability leaves it out, and
    # it is deleted before another booking takes its time.
    held_until = models.DateTimeField(_("held until"), null=True, blank=True)
    # Codes sent for the hold (the first and any asked for again), and wrong
    # codes typed: each is bounded (holds.py).
    hold_codes_sent = models.PositiveSmallIntegerField(default=0, editable=False)
    hold_code_tries = models.PositiveSmallIntegerField(default=0, editable=False)
    # A citizen signed in with MitID (sign_in/citizen_sign_in.py): a keyed
    # hash of the broker's pseudonymous subject, so one person holds one
    # booking of an errand; never a CPR number. Blank otherwise.
    citizen_pseudonym = models.CharField(max_length=40, blank=True, editable=False)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["start"]
        indexes = [
            models.Index(fields=["location", "start"]),
            # What availability reads on every request (booking/availability.py):
            # only the bookings that hold a desk, with the columns it needs,
            # so PostgreSQL can answer from the index alone.
            models.Index(
                fields=["location", "start"],
                include=["end", "desk", "id", "held_until"],
                condition=Q(status__in=["booked", "checked_in"], desk__isnull=False),
                name="booking_holding_a_desk",
            ),
            models.Index(fields=["phone", "status"]),
            # One person (signed in with MitID), one booking of an errand.
            models.Index(
                fields=["citizen_pseudonym"],
                condition=~Q(citizen_pseudonym=""),
                name="booking_by_person",
            ),
            # The holds still waiting for their code, for the worker's lapse.
            models.Index(
                fields=["held_until"],
                condition=Q(held_until__isnull=False),
                name="booking_hold_lapses",
            ),
            models.Index(fields=["email", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="booking_code_unique"),
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="booking_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["desk", "start"],
                condition=Q(status__in=["booked", "checked_in"]),
                name="booking_one_active_per_desk_and_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.service} {self.start:%Y-%m-%d %H:%M}"

    @property
    def phone_display(self) -> str:
        return format_phone(self.phone)

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.BOOKED and self.end > clock.now()

    @property
    def is_held(self) -> bool:
        """Waiting for the citizen's code (and not yet lapsed)."""
        return self.held_until is not None and self.held_until > clock.now()

    @property
    def status_label(self) -> str:
        """The status as staff read it: a held time is not a booking yet."""
        if self.held_until is not None:
            return str(_("Waiting for the citizen's code"))
        return str(self.get_status_display())

    @staticmethod
    def starting_on(day: date) -> Q:
        """Bookings that start on `day`, a Copenhagen date."""
        midnight = datetime.combine(day, time(0), tzinfo=clock.LOCAL_ZONE)
        return Q(start__gte=midnight, start__lt=midnight + timedelta(days=1))


class BookingRequest(models.Model):
    """An API request that created a booking, by its Idempotency-Key, so that
    a replay returns the same booking instead of making another."""

    key = models.CharField(max_length=200, unique=True)
    fingerprint = models.CharField(max_length=64)
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=clock.now)

    def __str__(self) -> str:
        return self.key
