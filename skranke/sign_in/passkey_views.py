"""The four JSON steps of a passkey ceremony, which the page's script
(sign_in/passkeys.js) calls: begin and complete, for adding a passkey and
for signing in with one. django-otp-webauthn's views do the WebAuthn work;
these add what Skranke asks of every second factor."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp_webauthn import exceptions
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from skranke.access_log.models import SignInEvent
from skranke.access_log.sign_ins import record_sign_in_event
from skranke.accounts.models import User
from skranke.accounts.signals import second_factor_failed
from skranke.sign_in.mfa import note_second_factor_given
from skranke.sign_in.staff_sessions import signed_in_recently

Kind = SignInEvent.Kind


class StaffOnly(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_code = "staff_only"
    default_detail = _("Only staff members have passkeys.")


class SignInAgain(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_code = "sign_in_again"
    default_detail = _("To add a passkey, sign in again first.")


def _require_staff_member(request: HttpRequest) -> None:
    # A kiosk's or display's device sign-in is no staff member.
    if not isinstance(request.user, User):
        raise StaffOnly()


class BeginPasskeyRegistration(BeginCredentialRegistrationView):
    """Who has no second factor yet may add a passkey as their first; who
    has one must have passed it in this session (the library refuses a
    password alone, so that it never adds a passkey to an account)."""

    def check_can_register(self) -> None:
        _require_staff_member(self.request)
        # A passkey beside a second factor the account has: only just after
        # signing in, so that a session left open at a desk cannot give
        # someone else a way into the account for good.
        if user_has_device(self.request.user) and not signed_in_recently(request=self.request):
            raise SignInAgain()


class CompletePasskeyRegistration(CompleteCredentialRegistrationView):
    """The first passkey counts as this session's second factor, as a
    confirmed app does (the library signs the device in)."""

    def check_can_register(self) -> None:
        _require_staff_member(self.request)

    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        verified_before = self.request.user.is_verified()
        response: HttpResponse = super().post(*args, **kwargs)
        user = self.request.user
        if response.status_code < 400 and isinstance(user, User):
            record_sign_in_event(kind=Kind.PASSKEY_ADDED, user=user, request=self.request)
            if not verified_before:
                # A new session key for the higher privilege, as at sign-in.
                self.request.session.cycle_key()
                note_second_factor_given(request=self.request, user=user, recovery_code=False)
        return response


class BeginPasskeySignIn(BeginCredentialAuthenticationView):
    """Only after the password: a passkey is never a sign-in alone
    (OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN is off too)."""

    def check_can_authenticate(self) -> None:
        if not self.request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        _require_staff_member(self.request)
        super().check_can_authenticate()


class CompletePasskeySignIn(CompleteCredentialAuthenticationView):
    def check_can_authenticate(self) -> None:
        if not self.request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        _require_staff_member(self.request)
        super().check_can_authenticate()

    def handle_exception(self, exc: Exception) -> HttpResponse:
        # A passkey that did not verify, noted as a wrong code is.
        response: HttpResponse = super().handle_exception(exc)
        if isinstance(self.request.user, User) and response.status_code != StaffOnly.status_code:
            second_factor_failed.send(sender=User, request=self.request, user=self.request.user)
        return response

    def complete_auth(self, device: Any) -> None:
        # The library has checked that the passkey is this user's.
        self.request.session.cycle_key()
        otp_login(self.request, device)
        if isinstance(self.request.user, User):
            note_second_factor_given(
                request=self.request, user=self.request.user, recovery_code=False
            )
