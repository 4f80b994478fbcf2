"""Staff accounts. Every staff member belongs to one municipality and has
one role; all but administrators work at the locations they are given."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from skranke.core import clock
from skranke.core.models import Location, Municipality


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator (whole municipality)")
    MANAGER = "manager", _("Manager (own locations)")
    FRONT_DESK = "front_desk", _("Front desk")
    CONTACT_AGENT = "contact_agent", _("Contact-centre agent")


# Roles that configure the centre in the admin; the others work in the
# staff pages only.
CONFIGURING_ROLES = frozenset({Role.ADMINISTRATOR, Role.MANAGER})


class User(AbstractUser):
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="staff",
        null=True,
        blank=True,
        verbose_name=_("municipality"),
        help_text=_("Empty only for the installation's own superusers."),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    locations = models.ManyToManyField(
        Location,
        related_name="staff",
        blank=True,
        verbose_name=_("locations"),
        help_text=_("Where this person works. Administrators see every location."),
    )

    phone_skill = models.BooleanField(
        _("calls telephone meetings"),
        default=False,
        help_text=_("Sees the day's telephone meetings and calls the citizens."),
    )

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")

    def clean(self) -> None:
        super().clean()
        if not self.is_superuser and (self.municipality_id is None or not self.role):
            raise ValidationError(_("A staff member needs a municipality and a role."))


class Device(models.Model):
    """A kiosk or waiting-room display. It signs in with a long random token
    (not a staff login) and sees one location only. The token itself is
    never stored: only its SHA-256, so a copy of the database signs no one in."""

    class Kind(models.TextChoices):
        KIOSK = "kiosk", _("Check-in kiosk")
        DISPLAY = "display", _("Waiting-room display")
        SURVEY_TERMINAL = "survey", _("Survey terminal by the exit")

    STAFF_SCOPE = ("location", "location")

    name = models.CharField(
        _("name"), max_length=100, help_text=_("Where it stands, e.g. “Entrance, left”.")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="devices", verbose_name=_("location")
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=clock.now, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        ordering = ["location", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class IntegrationToken(models.Model):
    """A system that sends data to Skranke on the municipality's behalf
    (the phone system posting its call records). Like a device, it holds
    a long random token of which only the SHA-256 is stored."""

    STAFF_SCOPE = ("municipality", "municipality")

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="integration_tokens",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("E.g. “Phone system”."))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=clock.now)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("integration token")
        verbose_name_plural = _("integration tokens")

    def __str__(self) -> str:
        return self.name


class SignInSettings(models.Model):
    """How a municipality's staff sign in. Administrators and managers give
    a second factor whatever this says (skranke/accounts/mfa.py)."""

    STAFF_SCOPE = ("municipality", "municipality")

    municipality = models.OneToOneField(
        Municipality,
        on_delete=models.CASCADE,
        related_name="sign_in_settings",
        verbose_name=_("municipality"),
    )
    mfa_for_everyone = models.BooleanField(
        _("two-factor sign-in for all staff"),
        default=False,
        help_text=_(
            "Front desk staff and contact-centre agents, too, give a code from an "
            "authenticator app after their password. Administrators and managers always do."
        ),
    )

    class Meta:
        verbose_name = _("sign-in settings")
        verbose_name_plural = _("sign-in settings")

    def __str__(self) -> str:
        return str(self.municipality)
