"""The outbox: every text message and e-mail to a citizen is a row, written
in the same transaction as the change that causes it and delivered by the
worker (delivery.py)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from skranke.core import clock


class Message(models.Model):
    class Kind(models.TextChoices):
        CONFIRMATION = "confirmation", _("Confirmation")
        REMINDER = "reminder", _("Reminder")
        RESCHEDULED = "rescheduled", _("Moved")
        CANCELLED = "cancelled", _("Cancelled")
        CANCELLED_BY_CENTRE = "cancelled_by_centre", _("Cancelled by the centre")
        TURN_SOON = "turn_soon", _("Your turn is soon")
        # A telephone meeting whose citizen did not answer twice.
        TRIED_TO_CALL = "tried_to_call", _("We tried to call you")
        # The manage link again, asked for with the code and the number.
        LINK_AGAIN = "link_again", _("Your link again")
        # A satisfaction survey after the visit (surveys/), with consent.
        SURVEY = "survey", _("How did it go?")
        # To a staff member: the link to set a new password (sign_in/).
        PASSWORD_RESET = "password_reset", _("Password reset (staff)")
        # The code that confirms a time held online (booking/holds.py).
        HOLD_CODE = "hold_code", _("Code to confirm a booking")
        # Answers to a citizen's text message (inquiries/text_replies.py):
        # "reply JA to cancel", the cancellation when no "cancelled" text
        # went to that number, "too late to cancel", and the one answer a
        # day to a number Skranke has not written to.
        CANCEL_QUESTION = "cancel_question", _("Reply YES to cancel")
        CANCELLED_BY_TEXT = "cancelled_by_text", _("Cancelled by text message")
        NOT_CANCELLABLE = "not_cancellable", _("Too late to cancel")
        NUMBER_TAKES_NO_TEXTS = "number_takes_no_texts", _("This number takes no messages")
        # A staff member's answer to a citizen's e-mail or text message
        # (inquiries/answers.py), in the citizen's thread.
        INQUIRY_ANSWER = "inquiry_answer", _("Answer to a written inquiry")
        # A citizen's e-mail or text message sent on to a department.
        INQUIRY_FORWARD = "inquiry_forward", _("Written inquiry forwarded")

    class Channel(models.TextChoices):
        SMS = "sms", _("Text message")
        EMAIL = "email", _("E-mail")

    class Status(models.TextChoices):
        # A "your turn is soon" message, until the queue says it is time.
        HELD = "held", _("Held until its time")
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        SKIPPED = "skipped", _("Not needed")
        DEAD = "dead", _("Failed")

    # Waiting for the worker: due, or due again after a failed attempt.
    OPEN = (Status.PENDING, Status.SENDING)

    # A message is about a booking, or (a walk-in's "your turn is soon")
    # about a visit, or goes to a staff member (a password reset), or (the
    # answer to a number Skranke has not written to) to a number only. Named by
    # label: the outbox stands below the apps that send messages and
    # imports none of them (message_kinds.py).
    booking = models.ForeignKey(
        "booking.Booking",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("booking"),
    )
    visit = models.ForeignKey(
        "queueing.Visit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("visit"),
    )
    staff_member = models.ForeignKey(
        "accounts.User",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member"),
    )
    # Whose message it is when no booking or visit says so (an answer to a
    # citizen's e-mail): the municipality's retention erases it.
    municipality = models.ForeignKey(
        "core.Municipality",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    # The booking's change counter when the message was made: a booking
    # moved twice gets two "moved" messages, never the same one twice.
    sequence = models.PositiveIntegerField(default=0)
    recipient = models.CharField(_("recipient"), max_length=254)
    language = models.CharField(_("language"), max_length=2)
    # What the centre wrote, for a cancellation by the centre.
    reason = models.TextField(_("reason"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    due_at = models.DateTimeField(_("due"))
    next_attempt_at = models.DateTimeField(_("next attempt"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # What was sent, kept for the manager's overview and the citizen's
    # questions; SMS bodies hold no surname, CPR number or note.
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"), blank=True)
    segments = models.PositiveSmallIntegerField(_("SMS segments"), default=0)
    provider_id = models.CharField(_("provider's id"), max_length=100, blank=True)
    provider_status = models.CharField(_("provider's status"), max_length=30, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=clock.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-due_at"]
        indexes = [
            # What the worker looks for on every round.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status__in=["pending", "sending"]),
                name="message_open_by_next_attempt",
            ),
            models.Index(fields=["due_at"], name="message_by_due"),
            # The failed ones, few: the failed-messages page, and the
            # inquiries whose answer or forward never arrived.
            models.Index(fields=["kind"], condition=Q(status="dead"), name="message_dead_by_kind"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "kind", "channel", "sequence"],
                name="one_message_per_booking_kind_channel_and_change",
            ),
            models.UniqueConstraint(
                fields=["visit", "kind"],
                condition=Q(visit__isnull=False),
                name="one_message_per_visit_and_kind",
            ),
            models.CheckConstraint(
                condition=Q(booking__isnull=False, visit__isnull=True, staff_member__isnull=True)
                | Q(booking__isnull=True, visit__isnull=False, staff_member__isnull=True)
                | Q(booking__isnull=True, visit__isnull=True, staff_member__isnull=False)
                | Q(
                    booking__isnull=True,
                    visit__isnull=True,
                    staff_member__isnull=True,
                    kind__in=["number_takes_no_texts", "inquiry_answer", "inquiry_forward"],
                ),
                name="message_about_a_booking_a_visit_or_to_staff",
            ),
        ]

    def __str__(self) -> str:
        if self.staff_member_id is not None:
            about = str(self.staff_member)
        else:
            about = self.booking.code if self.booking else str(self.visit)
        return f"{self.get_kind_display()} ({self.get_channel_display()}) {about}"


# Kinds sent to staff, not to citizens.
STAFF_KINDS = frozenset({Message.Kind.PASSWORD_RESET})
# Kinds whose words a municipality cannot change: a staff member's, the
# code, which must say nothing but the code and how long it lasts, and the
# answers to a citizen's text message, whose words the answers they expect
# depend on ("reply JA"), and one of which belongs to no municipality.
FIXED_WORDING_KINDS = STAFF_KINDS | {
    Message.Kind.HOLD_CODE,
    Message.Kind.CANCEL_QUESTION,
    Message.Kind.CANCELLED_BY_TEXT,
    Message.Kind.NOT_CANCELLABLE,
    Message.Kind.NUMBER_TAKES_NO_TEXTS,
    # A staff member's own words, and a citizen's.
    Message.Kind.INQUIRY_ANSWER,
    Message.Kind.INQUIRY_FORWARD,
}


class MessageText(models.Model):
    """A municipality's own wording of a message, in place of Skranke's.

    For a text message it is the whole text; for an e-mail, its first
    paragraph (the code, the link, what to bring and the greeting are always
    added). Written with the fields in braces that composing.py fills in.
    """

    # Staff see and edit their own municipality's texts (accounts/scoping.py).
    STAFF_SCOPE = ("municipality", "municipality")

    municipality = models.ForeignKey(
        "core.Municipality",
        on_delete=models.CASCADE,
        related_name="message_texts",
        verbose_name=_("municipality"),
    )
    # A citizen's messages only, and not the code: those have Skranke's words.
    kind = models.CharField(
        _("kind"),
        max_length=30,
        choices=[
            (value, label)
            for value, label in Message.Kind.choices
            if value not in FIXED_WORDING_KINDS
        ],
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Message.Channel.choices)
    language = models.CharField(
        _("language"), max_length=2, choices=[("da", _("Danish")), ("en", _("English"))]
    )
    for_phone_meetings = models.BooleanField(
        _("for telephone meetings"),
        default=False,
        help_text=_("Telephone meetings have their own wording: “we will call you”."),
    )
    text = models.TextField(_("text"), max_length=600)

    class Meta:
        verbose_name = _("message text")
        verbose_name_plural = _("message texts")
        ordering = ["kind", "channel", "language", "for_phone_meetings"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "kind", "channel", "language", "for_phone_meetings"],
                name="one_text_per_message_and_language",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_channel_display()}, {self.language})"

    def clean(self) -> None:
        # Imported here: composing reads this model (a cycle within the app).
        from skranke.notifications.composing import check_message_text

        check_message_text(
            text=self.text,
            kind=self.kind,
            channel=self.channel,
            language=self.language,
            for_phone_meetings=self.for_phone_meetings,
            municipality_id=self.municipality_id,
        )
