"""Visits: one citizen's errand at the centre, from arrival to the end, with
every moment a report needs. Booked or not, each visit has a ticket
number, called out and shown on the waiting-room display."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from skranke.booking.models import Booking
from skranke.core.models import Desk, Location, Service


class TicketCounter(models.Model):
    """The last ticket number given per location, day and letter. Taking a
    number updates this row inside the visit's own transaction, so numbers
    are unique and without gaps however many citizens arrive at once."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    letter = models.CharField(max_length=1)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["location", "day", "letter"], name="one_ticket_counter_per_day_and_letter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.location_id} {self.day} {self.letter}{self.last:03d}"


class Visit(models.Model):
    # Managers correct a visit's times in the admin, for their own places.
    STAFF_SCOPE = ("location", "location")

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        CALLED = "called", _("Called")
        IN_SERVICE = "in_service", _("At the desk")
        ENDED = "ended", _("Ended")

    class Outcome(models.TextChoices):
        SERVED = "served", _("Served")
        ASSISTED_SELF_SERVICE = "assisted_self_service", _("Helped to do it online")
        TRANSFERRED = "transferred", _("Transferred")
        NO_SHOW = "no_show", _("Did not come")

    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="visits", verbose_name=_("location")
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="visits", verbose_name=_("service")
    )
    booking = models.ForeignKey(
        Booking,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("booking"),
    )
    day = models.DateField(_("day"))
    ticket_letter = models.CharField(max_length=1)
    ticket_number = models.PositiveIntegerField()
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.WAITING
    )
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices, blank=True)
    arrived_at = models.DateTimeField(_("arrived"))
    called_at = models.DateTimeField(_("called"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    desk = models.ForeignKey(
        Desk,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("desk"),
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member"),
    )
    # A transferred citizen's new visit, which keeps their ticket.
    transferred_from = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transferred_to",
        verbose_name=_("transferred from"),
    )
    # Closed at the end of the day by the worker, not by the desk: reports
    # count these apart (the old number system's figures were wrong
    # because staff forgot to end visits).
    not_ended_by_staff = models.BooleanField(_("not ended by staff"), default=False)
    # Marked by the desk when finishing (or by a manager afterwards): the
    # visit was started or ended late, so its times are left out of the
    # statistics' time figures. It still counts as a visit.
    times_wrong = models.BooleanField(
        _("the times are wrong"),
        default=False,
        help_text=_("Left out of waiting and service times; still counted as a visit."),
    )
    # What the kiosk told the citizen when the ticket was taken, so that the
    # statistics can compare the promise with the wait that followed.
    expected_wait_minutes = models.PositiveSmallIntegerField(
        _("expected wait told (minutes)"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        indexes = [models.Index(fields=["location", "day", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["location", "day", "ticket_letter", "ticket_number"],
                condition=Q(transferred_from__isnull=True),
                name="one_ticket_per_location_and_day",
            ),
            models.UniqueConstraint(
                fields=["booking"],
                condition=Q(booking__isnull=False, transferred_from__isnull=True),
                name="one_visit_per_booking",
            ),
        ]

    def __str__(self) -> str:
        return self.ticket

    @property
    def ticket(self) -> str:
        return f"{self.ticket_letter}{self.ticket_number:03d}"


class QueueBoard(models.Model):
    """One row per location whose version changes with every change to its
    queue (a ticket, a call, an end). Displays ask for the version first and
    get "nothing new" without the queue being read: many displays polling
    every second cost one primary-key lookup each."""

    location = models.OneToOneField(
        Location, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    version = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.location_id} v{self.version}"


class DeskState(models.Model):
    """Who works at a desk now, and whether it is paused. A paused desk calls
    no one and counts in no expected wait."""

    desk = models.OneToOneField(
        Desk, on_delete=models.CASCADE, primary_key=True, related_name="state"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    paused = models.BooleanField(default=False)
    changed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.desk_id} {'paused' if self.paused else 'open'}"


class WalkInStop(models.Model):
    """No more tickets without a booking for a queue (the services of one
    ticket letter) at a place, for the rest of a day: a manager's call on a
    day the desks cannot serve everyone who would still come. Citizens
    with a booking for today are still checked in, late ones too."""

    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="+", verbose_name=_("location")
    )
    day = models.DateField(_("day"))
    ticket_letter = models.CharField(_("ticket letter"), max_length=1)
    stopped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("stopped by"),
    )
    stopped_at = models.DateTimeField(_("stopped at"))

    class Meta:
        verbose_name = _("stop for tickets without a booking")
        verbose_name_plural = _("stops for tickets without a booking")
        constraints = [
            models.UniqueConstraint(
                fields=["location", "day", "ticket_letter"], name="one_walk_in_stop_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.location_id} {self.day} {self.ticket_letter}"
