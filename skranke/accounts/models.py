"""Staff accounts. Every staff member belongs to one municipality and has
one role; all but administrators work at the locations they are given."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from skranke.core import clock
from skranke.core.models import Location, Municipality
from skranke.web.internal_addresses import is_internal_host


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
        WALLBOARD = "wallboard", _("Wallboard in the back office")

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
    a second factor whatever this says (skranke/sign_in/mfa.py)."""

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


# Claims that can change, or pass to someone else, over a person's working
# life: signing in by one of them could hand one colleague's account to
# another. Staff are matched on a stable identifier instead.
REASSIGNABLE_CLAIMS = frozenset(
    {"email", "upn", "preferred_username", "unique_name", "name", "given_name", "family_name"}
)


def validate_issuer_url(value: str) -> None:
    """An identity provider is reached over HTTPS; plain HTTP only on the
    machine itself, outside production (a test or a developer's provider).
    In production its addresses may not lead to this machine or the
    internal network (web/internal_addresses.py), except to a host named in
    SINGLE_SIGN_ON_INTERNAL_HOSTS: the app server posts the client secret
    there."""
    parts = urlsplit(value)
    host = parts.hostname or ""
    if not settings.PRODUCTION:
        if parts.scheme == "https" or (parts.scheme == "http" and host in LOCAL_HOSTS):
            return
        raise ValidationError(_("The address must begin with https://."))
    if parts.scheme != "https":
        raise ValidationError(_("The address must begin with https://."))
    if host not in settings.SINGLE_SIGN_ON_INTERNAL_HOSTS and is_internal_host(host):
        raise ValidationError(
            _(
                "The address leads to this machine or an internal network. Use the "
                "provider's public address, or name the host in "
                "SINGLE_SIGN_ON_INTERNAL_HOSTS."
            )
        )


LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def validate_subject_claim(value: str) -> None:
    if value.strip().lower() in REASSIGNABLE_CLAIMS:
        raise ValidationError(
            _(
                "Choose a claim that never changes and is never given to anyone else, "
                "such as sub or oid; an e-mail address or username can be."
            )
        )


# Claims that carry a CPR number with the brokers' usual names.
CPR_CLAIMS = ("cpr", "ssn", "dk:gov:saml:attribute:cprnumberidentifier")


def validate_citizen_subject_claim(value: str) -> None:
    validate_subject_claim(value)
    if any(name in value.strip().lower() for name in CPR_CLAIMS):
        raise ValidationError(
            _("Skranke never keeps a CPR number: choose the broker's pseudonymous claim (sub).")
        )


class CitizenSignIn(models.Model):
    """A municipality's MitID broker: an OpenID Connect provider, bought
    from one of NemLog-in's brokers, through which citizens may sign in
    when they book (skranke/sign_in/citizen_sign_in.py). Skranke keeps only
    a keyed hash of the broker's pseudonymous subject, never a CPR number,
    a name or anything else the broker may tell."""

    STAFF_SCOPE = ("municipality", "municipality")

    municipality = models.OneToOneField(
        Municipality,
        on_delete=models.CASCADE,
        related_name="citizen_sign_in",
        verbose_name=_("municipality"),
    )
    name = models.CharField(
        _("name"), max_length=60, default="MitID", help_text=_("Shown on the sign-in button.")
    )
    issuer = models.URLField(
        _("issuer"),
        max_length=300,
        validators=[validate_issuer_url],
        help_text=_("The broker's issuer address, without /.well-known/openid-configuration."),
    )
    client_id = models.CharField(_("client ID"), max_length=200)
    client_secret = models.CharField(_("client secret"), max_length=500)
    subject_claim = models.CharField(
        _("claim that identifies the citizen"),
        max_length=60,
        default="sub",
        validators=[validate_citizen_subject_claim],
        help_text=_(
            "The broker's pseudonymous identifier for the person (sub). Never a CPR number."
        ),
    )
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        verbose_name = _("MitID broker for citizens")
        verbose_name_plural = _("MitID brokers for citizens")

    def __str__(self) -> str:
        return f"{self.name} ({self.municipality})"


class SingleSignOn(models.Model):
    """A municipality's identity provider (Entra ID, Keycloak …), through
    which its staff may sign in by OpenID Connect instead of a password
    (skranke/sign_in/single_sign_on.py). Who they are in Skranke, their
    role and locations, stays Skranke's: the provider only vouches for a
    StaffIdentity an administrator has entered."""

    STAFF_SCOPE = ("municipality", "municipality")

    municipality = models.OneToOneField(
        Municipality,
        on_delete=models.CASCADE,
        related_name="single_sign_on",
        verbose_name=_("municipality"),
    )
    name = models.CharField(
        _("name"),
        max_length=60,
        help_text=_("Shown on the sign-in button, e.g. “Aarhus Kommune” or “Entra ID”."),
    )
    issuer = models.URLField(
        _("issuer"),
        max_length=300,
        validators=[validate_issuer_url],
        help_text=_(
            "The provider's issuer address, without /.well-known/openid-configuration; "
            "e.g. https://login.microsoftonline.com/TENANT-ID/v2.0 or "
            "https://keycloak.example.dk/realms/REALM."
        ),
    )
    client_id = models.CharField(_("client ID"), max_length=200)
    client_secret = models.CharField(_("client secret"), max_length=500)
    subject_claim = models.CharField(
        _("claim that identifies the staff member"),
        max_length=60,
        default="sub",
        validators=[validate_subject_claim],
        help_text=_("sub for Keycloak; oid (the object ID) for Entra ID."),
    )
    counts_as_second_factor = models.BooleanField(
        _("the provider asks for a second factor"),
        default=False,
        help_text=_(
            "Tick only if the provider always asks for two-factor sign-in (MFA) itself: "
            "Skranke then asks for no code of its own after a sign-in through it."
        ),
    )
    enabled = models.BooleanField(
        _("enabled"), default=True, help_text=_("Shows the button on the sign-in page.")
    )

    class Meta:
        verbose_name = _("single sign-on")
        verbose_name_plural = _("single sign-on")

    def __str__(self) -> str:
        return self.name


class StaffIdentity(models.Model):
    """Who a staff member is at their municipality's identity provider: the
    value of its identifying claim (sub, oid), entered by an administrator."""

    STAFF_SCOPE = ("municipality", "user__municipality")

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="identities",
        verbose_name=_("staff member"),
    )
    provider = models.ForeignKey(
        SingleSignOn,
        on_delete=models.CASCADE,
        related_name="identities",
        verbose_name=_("identity provider"),
    )
    subject = models.CharField(
        _("identifier at the provider"),
        max_length=255,
        help_text=_(
            "The value of the provider's identifying claim for this person, e.g. the "
            "object ID in Entra ID or the user ID in Keycloak."
        ),
    )

    class Meta:
        verbose_name = _("single sign-on identity")
        verbose_name_plural = _("single sign-on identities")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "subject"], name="one_staff_member_per_subject"
            ),
            models.UniqueConstraint(fields=["provider", "user"], name="one_subject_per_provider"),
        ]

    def __str__(self) -> str:
        return self.subject

    def clean(self) -> None:
        super().clean()
        self.subject = self.subject.strip()
        if (
            self.user_id is not None
            and self.provider_id is not None
            and self.user.municipality_id != self.provider.municipality_id
        ):
            raise ValidationError(
                _("The identity provider belongs to another municipality than the staff member.")
            )
