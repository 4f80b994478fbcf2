"""The second step of staff sign-in: a code from the authenticator app (or
a recovery code) or a passkey, and setting one of them up the first time."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice

from skranke.access_log.models import SignInEvent
from skranke.access_log.sign_ins import record_sign_in_event
from skranke.accounts.models import User
from skranke.accounts.signals import second_factor_failed
from skranke.core.next_page import choose_next_page
from skranke.sign_in.mfa import has_passed_second_factor, note_second_factor_given
from skranke.sign_in.mfa_devices import (
    authenticator_qr_svg,
    authenticator_secret,
    check_second_factor,
    confirm_authenticator,
    issue_recovery_codes,
    pending_authenticator,
    remaining_recovery_codes,
)
from skranke.sign_in.passkeys import has_passkey, passkeys_of
from skranke.sign_in.staff_sessions import signed_in_recently


def next_page(request: HttpRequest) -> str:
    """The page asked for before sign-in, if it is one of this site's."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    return choose_next_page(
        request=request, wanted=wanted, otherwise=reverse(settings.LOGIN_REDIRECT_URL)
    )


def _with_next(view_name: str, next_url: str) -> str:
    return f"{reverse(view_name)}?{urlencode({'next': next_url})}"


Kind = SignInEvent.Kind


def _staff_member(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    user = _staff_member(request)
    next_url = next_page(request)
    if has_passed_second_factor(request=request):
        return redirect(next_url)
    if not user_has_device(user):
        return redirect(_with_next("sign_in:mfa_enrol", next_url))
    error = ""
    if request.method == "POST":
        device = check_second_factor(user=user, code=request.POST.get("code", ""))
        if device is not None:
            # A new session key for the higher privilege, as at sign-in.
            request.session.cycle_key()
            otp_login(request, device)
            recovery_code = isinstance(device, StaticDevice)
            note_second_factor_given(request=request, user=user, recovery_code=recovery_code)
            if recovery_code:
                left = remaining_recovery_codes(user=user)
                messages.warning(
                    request,
                    ngettext(
                        "You signed in with a recovery code. You have %(count)d left.",
                        "You signed in with a recovery code. You have %(count)d left.",
                        left,
                    )
                    % {"count": left},
                )
            return redirect(next_url)
        error = _(
            "The code was not accepted. Type the code your app shows now, or one of "
            "your recovery codes. After several wrong codes you must wait a little."
        )
        second_factor_failed.send(sender=User, request=request, user=user)
    return render(
        request,
        "sign_in/mfa_verify.html",
        {"error": error, "next": next_url, "has_passkey": has_passkey(user=user)},
        status=400 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    user = _staff_member(request)
    next_url = next_page(request)
    if user_has_device(user):
        # Only who has passed their present second factor may see that it is
        # set up; a password alone never adds an authenticator.
        if not has_passed_second_factor(request=request):
            return redirect(_with_next("sign_in:mfa_verify", next_url))
        messages.info(
            request,
            _(
                "Two-factor sign-in is already set up. For a new phone, ask your "
                "administrator to reset it."
            ),
        )
        return redirect(next_url)
    device = pending_authenticator(user=user)
    error = ""
    if request.method == "POST":
        codes = confirm_authenticator(device=device, code=request.POST.get("code", ""))
        if codes is not None:
            request.session.cycle_key()
            otp_login(request, device)
            record_sign_in_event(kind=Kind.AUTHENTICATOR_SET_UP, user=user, request=request)
            note_second_factor_given(request=request, user=user, recovery_code=False)
            return render(
                request, "sign_in/mfa_recovery_codes.html", {"codes": codes, "next": next_url}
            )
        error = _("The code was not accepted. Type the code your app shows now.")
    return render(
        request,
        "sign_in/mfa_enrol.html",
        {
            "qr_code": authenticator_qr_svg(
                device=device, title=_("QR code for your authenticator app")
            ),
            "secret": authenticator_secret(device=device),
            "error": error,
            "next": next_url,
        },
        status=400 if error else 200,
    )


@login_required
@require_http_methods(["POST"])
def passkey_registered(request: HttpRequest) -> HttpResponse:
    """Where the enrolment page goes once its script has added a passkey:
    the recovery codes, for the day the passkey is lost, as after setting
    up the app. Shown once: who has codes left keeps them."""
    user = _staff_member(request)
    next_url = next_page(request)
    if not has_passed_second_factor(request=request) or not has_passkey(user=user):
        return redirect(_with_next("sign_in:mfa_verify", next_url))
    if remaining_recovery_codes(user=user):
        messages.success(request, _("The passkey is added."))
        return redirect(next_url)
    codes = issue_recovery_codes(user=user)
    return render(
        request,
        "sign_in/mfa_recovery_codes.html",
        {"codes": codes, "next": next_url, "passkey": True},
    )


@login_required
@require_http_methods(["GET"])
def passkeys(request: HttpRequest) -> HttpResponse:
    """A staff member's own passkeys, and adding another (a new phone or
    computer, or a passkey beside the app). Only after their present
    second factor: a password alone never adds one."""
    user = _staff_member(request)
    here = reverse("sign_in:passkeys")
    if user_has_device(user) and not has_passed_second_factor(request=request):
        return redirect(_with_next("sign_in:mfa_verify", here))
    return render(
        request,
        "sign_in/passkeys.html",
        {
            "passkeys": passkeys_of(user=user),
            "next": here,
            # Beside a second factor the account has, only just after
            # signing in (passkey_views.BeginPasskeyRegistration).
            "sign_in_again": user_has_device(user) and not signed_in_recently(request=request),
            "minutes": settings.FRESH_SIGN_IN_MINUTES,
        },
    )
