"""The staff access log: one row each time a staff member (or a system with
an integration token) sees or changes a citizen's booking, contact or
visit. It answers a citizen's question to the data-protection officer:
"who has seen my data, and when?"

The keys are not constraints in the database: a constraint would lock each
booking row it names (FOR KEY SHARE) on every insert, so that a page that
only reads would queue behind booking.py's FOR UPDATE, and pay a lookup
per key per row. Django still clears a key when its row is deleted.

Rows are written, never changed: the model refuses a second save and any
delete, and the queryset refuses bulk updates and deletes. The database
itself still clears a foreign key when a booking is erased (SET_NULL), so
erasure is never blocked by the log.

A row names what was seen, never the personal data itself. It keeps the
booking's code as plain text beside the key: after the booking is erased
the code points at nothing in the system, but the citizen still has it
(in the confirmation) and can ask who saw that booking.
"""

from typing import Any, ClassVar, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from skranke.accounts.models import User
from skranke.core import clock


class AppendOnly(Exception):
    """An attempt to change or delete a row of the access log."""


class AppendOnlyQuerySet(models.QuerySet[Any]):
    """Refuses to change or delete rows in bulk. The retention job goes
    round it on purpose (retention.py): the one way out."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnly(f"{self.model._meta.verbose_name_plural} are append-only.")

    def delete(self) -> NoReturn:
        raise AppendOnly(f"{self.model._meta.verbose_name_plural} are append-only.")


class AppendOnlyModel(models.Model):
    """A row that is written once: saving it again or deleting it is refused."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnly(f"{self._meta.verbose_name_plural} are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnly(f"{self._meta.verbose_name_plural} are append-only.")


class AccessRecord(AppendOnlyModel):
    class Action(models.TextChoices):
        VIEWED_BOOKING = "viewed_booking", _("Viewed the booking")
        VIEWED_DAY_LIST = "viewed_day_list", _("Saw it in the day's list")
        VIEWED_DESK_CITIZEN = "viewed_desk_citizen", _("Served the citizen at a desk")
        VIEWED_WORKLIST = "viewed_worklist", _("Saw it in the telephone-meeting worklist")
        SEARCHED = "searched", _("Found it by a search")
        LOGGED_CONTACT = "logged_contact", _("Logged a contact about it")
        EXPORTED = "exported", _("Exported it")
        VIEWED_ACCESS_LOG = "viewed_access_log", _("Read its access log")
        CANCELLED = "cancelled", _("Cancelled the booking")
        MOVED = "moved", _("Moved the booking")
        NO_SHOW = "no_show", _("Marked as not come")
        ERASED_ON_REQUEST = "erased_on_request", _("Erased it at the citizen's request")
        VIEWED_INQUIRY = "viewed_inquiry", _("Read the written inquiry")
        ANSWERED_INQUIRY = "answered_inquiry", _("Answered the written inquiry")

    # Actions that change a booking: the booking's own history shows them.
    CHANGES = (Action.CANCELLED, Action.MOVED, Action.NO_SHOW)

    # The staff pages and the admin scope rows by municipality (scoping.py).
    STAFF_SCOPE = ("municipality", "municipality")

    at = models.DateTimeField(_("when"), default=clock.now, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        verbose_name=_("staff member"),
        db_index=False,  # the (user, at) index serves
    )
    token = models.ForeignKey(
        "accounts.IntegrationToken",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        verbose_name=_("integration token"),
        db_index=False,  # tokens are hardly ever deleted; no index to pay for
    )
    # Who, as text: the row still says who after the account is deleted.
    actor_name = models.CharField(_("who"), max_length=150)
    municipality = models.ForeignKey(
        "core.Municipality",
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        verbose_name=_("municipality"),
        db_index=False,  # the (municipality, at) index serves
    )
    location = models.ForeignKey(
        "core.Location",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        verbose_name=_("from location"),
        help_text=_("Where the staff member worked, when the page knows it (a desk)."),
        db_index=False,  # locations are almost never deleted; no index to pay for
    )
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    # Indexed (Django's default for a key): deleting a booking clears these.
    booking = models.ForeignKey(
        "booking.Booking",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        verbose_name=_("booking"),
    )
    booking_code = models.CharField(_("booking code"), max_length=8, blank=True)
    contact = models.ForeignKey(
        "contact.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        verbose_name=_("contact"),
        db_index=False,  # contacts are kept (only their notes are erased)
    )
    visit = models.ForeignKey(
        "queueing.Visit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        verbose_name=_("visit"),
        db_index=False,  # visits are kept for the statistics
    )
    # A citizen's e-mail or text message (inquiries/). Indexed: erasing an
    # inquiry clears these.
    inquiry = models.ForeignKey(
        "inquiries.Inquiry",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        verbose_name=_("written inquiry"),
    )

    objects: ClassVar[models.Manager["AccessRecord"]] = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("access record")
        verbose_name_plural = _("access records")
        ordering = ["-at", "-pk"]
        indexes = [
            # The log page: newest first within the municipality; one staff
            # member's rows; one booking's rows, erased or not.
            models.Index(fields=["municipality", "at"], name="access_log_by_municipality"),
            models.Index(fields=["user", "at"], name="access_log_by_staff"),
            models.Index(fields=["booking_code", "at"], name="access_log_by_booking_code"),
        ]
        permissions = [
            ("read_access_log", _("Can read the staff access log (data protection)")),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.booking_code}"


class DataProtectionReader(User):
    """Staff members as the admin shows them for one question: may they
    read the access log? (The permission read_access_log, given to the
    municipality's data-protection officer whatever their role.)"""

    STAFF_SCOPE = ("municipality", "municipality")

    class Meta:
        proxy = True
        verbose_name = _("access-log reader")
        verbose_name_plural = _("access-log readers")


class SignInEvent(AppendOnlyModel):
    """One staff sign-in, sign-out, failed attempt or lockout.

    A model of its own, not more kinds of AccessRecord: an AccessRecord
    says which citizen's data a staff member saw, and is searched by the
    citizen; a sign-in concerns only the staff member, names no booking, and
    may have no municipality at all (a user name nobody has, a superuser).
    Kept apart, the citizen's answer never mixes in sign-ins, and neither
    row needs columns the other leaves empty. Same app, same readers, same
    retention period and the same one way out (retention.py).

    A failed attempt with a user name that matches no account is kept
    without the name: what someone typed there may be their password in the
    wrong field. The address is kept as its network only (address_network):
    enough to tell the town hall's network from elsewhere, or one source of
    many failures, without pointing at one home."""

    class Kind(models.TextChoices):
        SIGNED_IN = "signed_in", _("Signed in")
        SIGNED_OUT = "signed_out", _("Signed out")
        FAILED = "failed", _("Failed sign-in")
        FAILED_UNKNOWN_NAME = "failed_unknown_name", _("Failed sign-in, unknown user name")
        LOCKED_OUT = "locked_out", _("Sign-in locked after repeated failures")
        SECOND_FACTOR_FAILED = "second_factor_failed", _("Wrong code in the second step")
        # The password was right and the second step is asked for: not yet
        # signed in (SIGNED_IN follows the second factor).
        PASSWORD_ACCEPTED = "password_accepted", _("Password accepted, second step asked")
        SIGNED_IN_WITH_RECOVERY_CODE = (
            "signed_in_recovery_code",
            _("Signed in with a recovery code"),
        )
        AUTHENTICATOR_SET_UP = "authenticator_set_up", _("Authenticator app set up")
        PASSKEY_ADDED = "passkey_added", _("Passkey added")
        SECOND_FACTOR_RESET = "second_factor_reset", _("Two-factor sign-in reset")
        UNLOCKED = "unlocked", _("Sign-in unlocked")
        PASSWORD_RESET = "password_reset", _("Password reset by e-mail")

    STAFF_SCOPE = ("municipality", "municipality")

    at = models.DateTimeField(_("when"), default=clock.now, editable=False)
    kind = models.CharField(_("event"), max_length=30, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        verbose_name=_("staff member"),
        db_index=False,  # the (user, at) index serves
    )
    # Who, as text: still says who after the account is deleted. Empty for
    # an unknown user name (never the text typed).
    actor_name = models.CharField(_("who"), max_length=150, blank=True)
    # The staff member's municipality; none for an unknown user name or a
    # superuser without one (only superusers see those rows).
    municipality = models.ForeignKey(
        "core.Municipality",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        verbose_name=_("municipality"),
        db_index=False,  # the (municipality, at) index serves
    )
    # Who did it, where it was someone else: the administrator who reset a
    # colleague's second factor or unlocked their sign-in.
    by_name = models.CharField(_("by"), max_length=150, blank=True)
    network = models.CharField(
        _("network"),
        max_length=49,
        blank=True,
        help_text=_("The address it came from, shortened to its network."),
    )

    objects: ClassVar[models.Manager["SignInEvent"]] = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("sign-in event")
        verbose_name_plural = _("sign-in events")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["municipality", "at"], name="sign_in_by_municipality"),
            models.Index(fields=["user", "at"], name="sign_in_by_staff"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name or '?'} {self.kind}"
