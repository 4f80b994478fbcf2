"""A staff member's second factor: an authenticator app (TOTP, django-otp)
set up with a QR code, and one-time recovery codes for the day the phone
is lost."""

from base64 import b32encode

import segno
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django_otp import match_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from skranke.accounts.models import Role, User
from skranke.core import clock
from skranke.sign_in.passkeys import remove_passkeys

AUTHENTICATOR_NAME = "authenticator"
RECOVERY_NAME = "recovery codes"


def pending_authenticator(*, user: User) -> TOTPDevice:
    """The authenticator `user` is setting up: not yet confirmed, kept
    across page loads so that the QR code already scanned stays valid."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def authenticator_secret(*, device: TOTPDevice) -> str:
    """The key as people type it into an app that cannot scan: base32, in
    groups of four."""
    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[start : start + 4] for start in range(0, len(text), 4))


def authenticator_qr_svg(*, device: TOTPDevice, title: str) -> SafeString:
    """The otpauth:// address as an inline SVG QR code (no style, no
    script: the pages' Content-Security-Policy allows neither inline)."""
    code = segno.make(device.config_url, error="m")
    # segno writes the markup itself from the address it was given.
    return mark_safe(  # noqa: S308
        code.svg_inline(scale=5, border=4, light="#fff", title=title, svgclass="mfa-qr")
    )


def confirm_authenticator(*, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the authenticator with a code it shows, and give its owner
    new recovery codes (returned once, to be shown once). None if the code
    is wrong."""
    with transaction.atomic():
        if not device.verify_token(code.strip().replace(" ", "")):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        # A new authenticator replaces any earlier one.
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        return issue_recovery_codes(user=device.user)


def issue_recovery_codes(*, user: User) -> list[str]:
    """New recovery codes for `user`; earlier ones stop working."""
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_NAME)
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(settings.MFA_RECOVERY_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def check_second_factor(*, user: User, code: str) -> Device | None:
    """The device that accepts `code`: the authenticator's current code or
    an unused recovery code (used up by this). None if neither. Each
    device slows down repeated wrong codes (django-otp's throttling)."""
    cleaned = code.strip().replace(" ", "").replace("-", "").lower()
    if not cleaned or len(cleaned) > 16:
        return None
    device: Device | None = match_token(user, cleaned)
    return device


def remaining_recovery_codes(*, user: User) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def remove_second_factor(*, user: User) -> None:
    """Forget `user`'s authenticator, passkeys and recovery codes: at their
    next sign-in they set up a new one (a lost phone)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    remove_passkeys(user=user)


def tell_administrators_of_reset(*, user: User, by: User | None) -> int:
    """When an administrator's second factor is reset, the municipality's
    other administrators are told by e-mail: one taken-over administrator
    account must not quietly open another. The number told."""
    if user.municipality_id is None or not (user.is_superuser or user.role == Role.ADMINISTRATOR):
        return 0
    others = User.objects.filter(
        municipality_id=user.municipality_id, role=Role.ADMINISTRATOR, is_active=True
    ).exclude(pk__in=[user.pk, by.pk if by is not None else user.pk])
    addresses = [address for address in others.values_list("email", flat=True) if address]
    if not addresses:
        return 0
    when = clock.local_now()
    context = {
        "user": user.get_username(),
        "by": by.get_username() if by is not None else "?",
        "when": f"{when:%d.%m.%Y %H:%M}",
    }
    # Danish and English in one mail: it goes to several people, whose
    # language the account does not say.
    send_mail(
        subject="Skranke: en administrators totrinslogin er nulstillet / "
        "an administrator's two-factor sign-in was reset",
        message=render_to_string("sign_in/second_factor_reset_email.txt", context),
        from_email=None,
        recipient_list=addresses,
    )
    return len(addresses)
