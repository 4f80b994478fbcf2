"""How long citizens' personal data is kept, per municipality, and the mark
that says when the worker next looks for data whose time is up
(erasure.py).

A municipality without retention settings keeps data for the defaults
below: what a data protection officer would accept for a citizen service
centre (long enough to answer a citizen's question about their visit and
to handle a complaint; no longer).
"""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from skranke.core import clock
from skranke.core.models import Municipality

# Days. The access log's five years count one leap day. In the order the
# erasure's report and log line list the kinds of each (erasure.py).
DEFAULT_DAYS = {
    "booking_days": 90,
    "contact_note_days": 90,
    "call_record_days": 90,
    "message_days": 30,
    "inquiry_days": 90,
    "inquiry_cpr_days": 30,
    "survey_comment_days": 90,
    "access_log_days": 5 * 365 + 1,
}
# Ten years: longer than any rule asks, short enough to stay a period.
MOST_DAYS = 3653


class RetentionSettings(models.Model):
    STAFF_SCOPE = ("municipality", "municipality")

    municipality = models.OneToOneField(
        Municipality,
        on_delete=models.CASCADE,
        related_name="retention_settings",
        verbose_name=_("municipality"),
    )
    booking_days = models.PositiveSmallIntegerField(
        _("bookings: days after the booked time"),
        default=DEFAULT_DAYS["booking_days"],
        # Nobody is asked to a survey twice in 30 days (surveys/invitations.py),
        # by the keyed hashes on the invitation, which go with the booking's
        # data; the invitation may come a day after the booked time.
        validators=[MinValueValidator(31), MaxValueValidator(MOST_DAYS)],
        help_text=_(
            "How long a booking keeps the citizen's name, phone number, e-mail address, "
            "note and the secret part of the booking link, counted from the booked time. "
            "Then they are erased; the booking itself stays, without them, so the "
            "statistics stay complete. At least 31 days."
        ),
    )
    contact_note_days = models.PositiveSmallIntegerField(
        _("contact notes: days kept"),
        default=DEFAULT_DAYS["contact_note_days"],
        validators=[MinValueValidator(1), MaxValueValidator(MOST_DAYS)],
        help_text=_(
            "How long the note an agent wrote on a contact is kept, counted from the "
            "contact. Then the note is erased; the contact stays for the statistics."
        ),
    )
    message_days = models.PositiveSmallIntegerField(
        _("text messages and e-mails: days after sending"),
        default=DEFAULT_DAYS["message_days"],
        # Delivery reports arrive within a day or two, and a manager may
        # look up what was sent when a citizen asks.
        validators=[MinValueValidator(7), MaxValueValidator(MOST_DAYS)],
        help_text=_(
            "How long a text message or e-mail to a citizen keeps its recipient and its "
            "text (which holds the link to the booking), counted from when it was sent. "
            "Then they are erased; that a message was sent stays. At least 7 days."
        ),
    )
    inquiry_days = models.PositiveSmallIntegerField(
        _("e-mails and text messages from citizens: days kept"),
        default=DEFAULT_DAYS["inquiry_days"],
        validators=[MinValueValidator(7), MaxValueValidator(MOST_DAYS)],
        help_text=_(
            "How long what a citizen wrote to the shared mailbox or in answer to a text "
            "message is kept, with the answers to it, counted from when it was closed. "
            "Then it is erased; that it was handled stays in the contact log. At least 7 "
            "days."
        ),
    )
    inquiry_cpr_days = models.PositiveSmallIntegerField(
        _("written inquiries holding a CPR number: days kept"),
        default=DEFAULT_DAYS["inquiry_cpr_days"],
        validators=[MinValueValidator(1), MaxValueValidator(MOST_DAYS)],
        help_text=_(
            "The same for an inquiry in which the citizen wrote a CPR number: usually "
            "shorter. Counted from when it was closed."
        ),
    )
    survey_comment_days = models.PositiveSmallIntegerField(
        _("survey comments: days kept"),
        default=DEFAULT_DAYS["survey_comment_days"],
        validators=[MinValueValidator(1), MaxValueValidator(MOST_DAYS)],
        help_text=_(
            "How long a citizen's written comment in a survey answer is kept, counted "
            "from the answer. Then the comment is erased; the other answers stay for the "
            "survey results, and the comment is still counted as given."
        ),
    )
    call_record_days = models.PositiveSmallIntegerField(
        _("call records: days kept"),
        default=DEFAULT_DAYS["call_record_days"],
        validators=[MinValueValidator(1), MaxValueValidator(MOST_DAYS)],
        help_text=_(
            "How long a call from the phone system keeps what could point to a person: "
            "the agent as the phone system names them. Then it is erased; the call's "
            "times, queue and outcome stay for the statistics. Skranke never stores the "
            "caller's phone number."
        ),
    )
    access_log_days = models.PositiveSmallIntegerField(
        _("staff access log: days kept"),
        default=DEFAULT_DAYS["access_log_days"],
        validators=[MinValueValidator(180), MaxValueValidator(MOST_DAYS)],
        help_text=_(
            "How long the record of which staff member looked at which citizen's data is "
            "kept. The default, 1826 days, is five years. At least 180 days."
        ),
    )

    class Meta:
        verbose_name = _("retention periods")
        verbose_name_plural = _("retention periods")

    def __str__(self) -> str:
        return str(self.municipality)


def retention_days(municipality: Municipality) -> dict[str, int]:
    """The municipality's retention periods in days, by setting name; the
    defaults where it has set none."""
    found = RetentionSettings.objects.filter(municipality=municipality).first()
    if found is None:
        return dict(DEFAULT_DAYS)
    return {name: getattr(found, name) for name in DEFAULT_DAYS}


def retention_period(*, municipality: Municipality, setting: str) -> timedelta:
    """One retention period ("access_log_days", …) of the municipality."""
    return timedelta(days=retention_days(municipality)[setting])


class ErasurePass(models.Model):
    """When the worker next looks for personal data whose time is up: one
    row (pk 1). Looking is a few queries over the history; the worker
    takes a pass once an hour, and reads only this row in between."""

    ROW = 1

    due_at = models.DateTimeField(_("next pass"))

    class Meta:
        verbose_name = _("erasure pass")
        verbose_name_plural = _("erasure passes")

    def __str__(self) -> str:
        return str(self.due_at)


class ErasureRequest(models.Model):
    """A citizen's request for erasure, carried out by an administrator on
    the access request page (access_request.py): who, when, why and how
    much. Nothing about the citizen: the access log's rows (action "erased
    on request") name the bookings by their codes."""

    STAFF_SCOPE = ("municipality", "municipality")

    at = models.DateTimeField(_("when"), default=clock.now, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member"),
    )
    # Who, as text: still there after the account is deleted.
    actor_name = models.CharField(_("who"), max_length=150)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    reason = models.TextField(_("reason"), max_length=1000)
    # Rows changed, by kind (erasure.py's kinds); and the bookings left
    # alone because they are still to come.
    counts = models.JSONField(_("rows erased"), default=dict)
    refused = models.PositiveIntegerField(_("bookings not erased"), default=0)

    class Meta:
        verbose_name = _("erasure on request")
        verbose_name_plural = _("erasures on request")
        indexes = [models.Index(fields=["municipality", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name}"
