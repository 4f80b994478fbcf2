"""Kiosks and displays sign in with a device token. The token is shown once,
when the device is created in the admin; the device keeps it in its own
session, which lasts until the token is revoked or the device has not been
used for 30 days (a kiosk in use renews it silently, once a day)."""

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from skranke.accounts.models import Device
from skranke.accounts.tokens import bearer_token, find_holder, issue_token, revoke_token
from skranke.accounts.tokens import hash_token as hash_token
from skranke.core import clock

View = Callable[..., HttpResponse]
SESSION_KEY = "device_id"
RENEWED_AT_KEY = "device_renewed_at"
# A kiosk runs for months without anyone at its keyboard, so its session is
# renewed while it is used; one left in a drawer is shut out after 30 days.
SESSION_SECONDS = int(timedelta(days=30).total_seconds())
# Renewing saves the session: once a day, not on every poll of a display.
RENEW_EVERY_SECONDS = int(timedelta(days=1).total_seconds())


def issue_device_token(*, device: Device) -> str:
    """A new token for `device` (replacing any earlier one), to be shown once.
    The caller saves the device."""
    return issue_token(holder=device)


def revoke_device(*, device: Device) -> None:
    revoke_token(holder=device)


def find_device(*, token: str) -> Device | None:
    """The active device with this token, or None."""
    return find_holder(holders=Device.objects.select_related("location"), token=token)


def sign_in_device(*, request: HttpRequest, device: Device) -> None:
    request.session.cycle_key()
    request.session[SESSION_KEY] = device.pk
    renew_device_session(request=request)


def renew_device_session(*, request: HttpRequest) -> None:
    """Another SESSION_SECONDS from now for the device's session, if it was
    last renewed over a day ago."""
    now = clock.now().timestamp()
    renewed_at = request.session.get(RENEWED_AT_KEY)
    if isinstance(renewed_at, float) and now - renewed_at < RENEW_EVERY_SECONDS:
        return
    request.session[RENEWED_AT_KEY] = now
    request.session.set_expiry(SESSION_SECONDS)


def signed_in_device(*, request: HttpRequest, kind: str) -> Device | None:
    """The active device of `kind` this browser signed in as, or None. One
    query, so a revoked device is shut out at its next request."""
    device_id = request.session.get(SESSION_KEY)
    if not isinstance(device_id, int):
        return None
    return (
        Device.objects.select_related("location")
        .filter(pk=device_id, kind=kind, revoked_at__isnull=True)
        .first()
    )


def bearer_device(*, request: HttpRequest, kinds: tuple[str, ...]) -> Device | None:
    """The device an API request authenticates as with
    `Authorization: Bearer <token>`, if it is of one of `kinds`."""
    device = find_device(token=bearer_token(request=request))
    return device if device is not None and device.kind in kinds else None


def device_page(kind: str) -> Callable[[View], View]:
    """A view for devices of `kind` only: others are sent to the device
    sign-in page. The view gets the device as `request.device`."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            device = signed_in_device(request=request, kind=kind)
            if device is None:
                return redirect(f"{reverse('devices:sign_in')}?{urlencode({'kind': kind})}")
            renew_device_session(request=request)
            request.device = device  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
