"""The contact centre: every contact an agent handles (on any channel), the
phone system's call records, and the targets the centre is measured by.

Contacts and calls are two sources that are never joined: the phone system
knows when a call was offered and answered, the agent knows what it was
about and how it ended. The KPIs (kpis.py) read each for its own figures,
as the centre's own reports do.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from skranke.core import clock
from skranke.core.models import KLE_NUMBER, Location, Municipality, localized


class TopicGroup(models.Model):
    """A grouping of topics the centre reports by, such as "phase 1" (the
    areas the contact centre settles itself) and "phase 2"."""

    STAFF_SCOPE = ("municipality", "municipality")

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="topic_groups",
        verbose_name=_("municipality"),
    )
    name_da = models.CharField(_("name (Danish)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    first_contact_target = models.BooleanField(
        _("first-contact target applies"),
        default=False,
        help_text=_("The first-contact resolution target is measured on these topics."),
    )
    # Calls carry the phone system's queue, not a topic: the queues named
    # here count as this group's calls on the KPI page.
    phone_queues = models.TextField(
        _("phone queues"),
        blank=True,
        help_text=_("The phone system's queue names for these topics, one per line."),
    )

    class Meta:
        verbose_name = _("topic group")
        verbose_name_plural = _("topic groups")
        ordering = ["position", "name_da"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self.name_da, self.name_en)

    @property
    def queue_names(self) -> list[str]:
        return [line.strip() for line in self.phone_queues.splitlines() if line.strip()]


class Topic(models.Model):
    """What a contact is about: one of the municipality's service areas."""

    STAFF_SCOPE = ("municipality", "municipality")

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="topics",
        verbose_name=_("municipality"),
    )
    group = models.ForeignKey(
        TopicGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="topics",
        verbose_name=_("group"),
    )
    name_da = models.CharField(_("name (Danish)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)
    kle_number = models.CharField(
        _("KLE number"),
        max_length=8,
        blank=True,
        validators=[KLE_NUMBER],
        help_text=_("The area in KL's classification (KLE), for the KL counting week. Optional."),
    )

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["position", "name_da"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self.name_da, self.name_en)


class Contact(models.Model):
    """One contact handled by the contact centre. No personal data is
    needed; the note is optional and falls under retention."""

    class Channel(models.TextChoices):
        PHONE = "phone", _("Phone")
        EMAIL = "email", _("E-mail")
        # A citizen's text message answering one of Skranke's (inquiries/).
        SMS = "sms", _("SMS")
        LETTER = "letter", _("Letter")
        CHAT = "chat", _("Chat")
        SOCIAL_MEDIA = "social_media", _("Social media")
        INFORMATION_DESK = "information_desk", _("Information desk")
        DIGITAL_POST = "digital_post", _("Digital Post")

    class Kind(models.TextChoices):
        INFORMATION = "information", _("Information (a question answered)")
        TRANSACTION = "transaction", _("Transaction (an errand done)")

    class Outcome(models.TextChoices):
        SETTLED = "settled", _("Settled at first contact")
        TRANSFERRED = "transferred", _("Transferred to a department")
        # "Forgæves kald": the department was closed or did not answer.
        FAILED_TRANSFER = "failed_transfer", _("Transfer failed (department closed)")
        # "Tilbagekald": transferred, unanswered, back at the centre.
        BOUNCED = "bounced", _("Came back unanswered")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    location = models.ForeignKey(
        Location,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("location"),
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, related_name="contacts", verbose_name=_("topic")
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    at = models.DateTimeField(_("time"), default=clock.now)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agent"),
    )
    # A time booked on the citizen's behalf during the contact.
    booking = models.ForeignKey(
        "booking.Booking",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("booking"),
    )
    note = models.TextField(_("note"), max_length=500, blank=True)
    # KL's counting week (KOMHEN) tells questions from errands.
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, blank=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-at"]
        indexes = [models.Index(fields=["municipality", "at"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.topic_id} {self.get_outcome_display()}"


class Call(models.Model):
    """One call to the switchboard, as the phone system recorded it
    (imported from its CSV files or posted over the API)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    call_id = models.CharField(_("call id"), max_length=100)
    queue = models.CharField(_("queue"), max_length=100, blank=True)
    offered_at = models.DateTimeField(_("offered"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    abandoned = models.BooleanField(_("abandoned"), default=False)
    agent = models.CharField(_("agent"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("imported"), default=clock.now)

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        indexes = [models.Index(fields=["municipality", "offered_at"])]
        constraints = [
            # Importing a file twice, or a record posted twice, adds nothing.
            models.UniqueConstraint(
                fields=["municipality", "call_id"], name="one_call_per_call_id"
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | Q(abandoned=False),
                name="call_answered_or_abandoned",
            ),
        ]

    def __str__(self) -> str:
        return self.call_id


class LiveCall(models.Model):
    """A call as the phone system's events tell it, while it goes on
    (call_events.py): each event fills in its moment, and once the call is
    over its Call is written. No caller's number, ever. The row goes a day
    after its last change (the worker); until then it tells the wallboard
    who is waiting, and that the phone system sends its events."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    call_id = models.CharField(_("call id"), max_length=100)
    queue = models.CharField(_("queue"), max_length=100, blank=True)
    # Each moment is null until its event has come: events may come out of
    # order, so an answer can be known before the offer.
    offered_at = models.DateTimeField(_("offered"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    abandoned = models.BooleanField(_("abandoned"), default=False)
    agent = models.CharField(_("agent"), max_length=100, blank=True)
    # Skranke's clock, not the phone system's: when an event last changed
    # the row, and when its Call was written.
    changed_at = models.DateTimeField(_("changed"), default=clock.now, db_index=True)
    recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True)

    class Meta:
        verbose_name = _("live call")
        verbose_name_plural = _("live calls")
        constraints = [
            # An event sent twice, or two at once, finds the one row.
            models.UniqueConstraint(
                fields=["municipality", "call_id"], name="one_live_call_per_call_id"
            ),
        ]

    def __str__(self) -> str:
        return self.call_id


class CallRecordFormat(models.Model):
    """How the municipality's phone system writes its CSV files: the name
    of the column holding each field."""

    STAFF_SCOPE = ("municipality", "municipality")

    municipality = models.OneToOneField(
        Municipality,
        on_delete=models.CASCADE,
        related_name="call_record_format",
        verbose_name=_("municipality"),
    )
    delimiter = models.CharField(
        _("delimiter"), max_length=1, default=";", help_text=_("Usually ; or ,")
    )
    call_id_column = models.CharField(_("call id column"), max_length=100, default="call_id")
    queue_column = models.CharField(_("queue column"), max_length=100, default="queue")
    offered_at_column = models.CharField(
        _("offered-at column"), max_length=100, default="offered_at"
    )
    answered_at_column = models.CharField(
        _("answered-at column"), max_length=100, default="answered_at"
    )
    ended_at_column = models.CharField(_("ended-at column"), max_length=100, default="ended_at")
    abandoned_column = models.CharField(
        _("abandoned column"),
        max_length=100,
        blank=True,
        default="abandoned",
        help_text=_("Empty: a call without an answer time counts as abandoned."),
    )
    agent_column = models.CharField(_("agent column"), max_length=100, blank=True, default="agent")

    class Meta:
        verbose_name = _("call record format")
        verbose_name_plural = _("call record formats")

    def __str__(self) -> str:
        return str(self.municipality)


class KpiTargets(models.Model):
    """The contact centre's targets (defaults from the source documents:
    80 % of calls answered within 20 s, at most 8 % abandoned after 20 s
    and 10 % in all,
    40 % first-contact resolution in the phase-1 areas)."""

    STAFF_SCOPE = ("municipality", "municipality")

    municipality = models.OneToOneField(
        Municipality,
        on_delete=models.CASCADE,
        related_name="kpi_targets",
        verbose_name=_("municipality"),
    )
    answer_seconds = models.PositiveSmallIntegerField(
        _("answered within, seconds"), default=20, validators=[MinValueValidator(1)]
    )
    service_level_percent = models.PositiveSmallIntegerField(
        _("service level target, %"), default=80, validators=[MaxValueValidator(100)]
    )
    abandoned_percent = models.PositiveSmallIntegerField(
        _("abandoned at most, %"), default=8, validators=[MaxValueValidator(100)]
    )
    # Hvidovre's own figure for 2019: 10 % of all incoming calls hung up.
    # The telephone plan holds to it, so that a plan cannot meet 80/20 by
    # losing the callers it would have kept waiting.
    abandoned_total_percent = models.PositiveSmallIntegerField(
        _("abandoned in all at most, %"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Of all incoming calls, however soon the caller hung up."),
    )
    first_contact_percent = models.PositiveSmallIntegerField(
        _("first-contact resolution target, %"), default=40, validators=[MaxValueValidator(100)]
    )
    # Written inquiries (e-mail, SMS) answered within this many of the
    # centre's opening days after the day they came.
    inquiry_answer_days = models.PositiveSmallIntegerField(
        _("written inquiries answered within, opening days"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )

    class Meta:
        verbose_name = _("KPI targets")
        verbose_name_plural = _("KPI targets")

    def __str__(self) -> str:
        return str(self.municipality)
