"""A staff member's passkeys (WebAuthn, django-otp-webauthn): a second
factor in place of the authenticator app's code, held by the phone, the
computer or a security key and unlocked with a fingerprint, face or PIN.

A passkey is a django-otp device like the app, so django-otp's
is_verified(), and with it SecondFactorMiddleware, treat a session that
used one as having passed the second factor."""

from django_otp_webauthn.models import WebAuthnCredential

from skranke.accounts.models import User


def has_passkey(*, user: User) -> bool:
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()


def passkeys_of(*, user: User) -> list[WebAuthnCredential]:
    """`user`'s passkeys, the oldest first, for their own list."""
    return list(
        WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at", "pk")
    )


def remove_passkeys(*, user: User) -> None:
    """Forget every passkey of `user` (a lost phone or security key)."""
    WebAuthnCredential.objects.filter(user=user).delete()
