"""Staff change their own password, and reset a forgotten one by e-mail
(Django's views, in the staff pages' look). The link in the e-mail works
once, for PASSWORD_RESET_TIMEOUT seconds.

The reset page answers the same, and as fast, whether or not an address
belongs to anyone: it only writes the mail into the outbox, which the
worker sends (message_texts.py); sending it here would take the mail
server's time for a staff member's address and none for a stranger's.
Asking is limited per network (RATE_LIMIT_PASSWORD_RESETS_PER_ADDRESS_PER_HOUR,
past which the page says to wait) and per address asked for, so per
account (RATE_LIMIT_PASSWORD_RESETS_PER_ACCOUNT_PER_HOUR, past which no more
are written, and the page says nothing different), so that nobody can
fill a colleague's inbox."""

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.http import HttpResponse
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import get_language

from skranke.access_log.models import SignInEvent
from skranke.access_log.sign_ins import record_sign_in_event
from skranke.accounts.models import User
from skranke.core import clock
from skranke.notifications.models import Message
from skranke.rate_limits.limits import (
    PASSWORD_RESETS_PER_ACCOUNT,
    PASSWORD_RESETS_PER_ADDRESS,
    network_of_caller,
    spend,
)
from skranke.rate_limits.responses import limit_rate
from skranke.sign_in.lockout import unlock_sign_in

Kind = SignInEvent.Kind


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "sign_in/password_change.html"
    success_url = reverse_lazy("sign_in:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "sign_in/password_change_done.html"


def queue_password_reset(*, user: User, email: str) -> None:
    """Write the password-reset mail for `user` into the outbox."""
    now = clock.now()
    Message.objects.create(
        staff_member=user,
        kind=Message.Kind.PASSWORD_RESET,
        channel=Message.Channel.EMAIL,
        recipient=email,
        language=get_language()[:2] or settings.LANGUAGE_CODE,
        due_at=now,
        next_attempt_at=now,
    )


class StaffPasswordResetForm(PasswordResetForm):
    def save(self, *args: Any, **kwargs: Any) -> None:
        """The mails go into the outbox. Django's form would send them here,
        with a link made from the request's Host header, which whoever asks
        could choose; the outbox's is made from SITE_URL."""
        email = self.cleaned_data["email"]
        # Counted for the address asked for, whoever has it, so that an
        # address nobody has costs the same write as a staff member's.
        if not spend(PASSWORD_RESETS_PER_ACCOUNT, value=email.casefold()).allowed:
            return
        for user in self.get_users(email):
            if isinstance(user, User):
                # To the address the account has, as typed when it was saved.
                queue_password_reset(user=user, email=user.email)


@method_decorator(limit_rate(PASSWORD_RESETS_PER_ADDRESS, key=network_of_caller), name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "sign_in/password_reset.html"
    form_class = StaffPasswordResetForm
    success_url = reverse_lazy("sign_in:password_reset_sent")


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "sign_in/password_reset_sent.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "sign_in/password_reset_confirm.html"
    success_url = reverse_lazy("sign_in:password_reset_complete")

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        record_sign_in_event(kind=Kind.PASSWORD_RESET, user=form.user, request=self.request)
        # Who proved they own the account's e-mail need not wait out a lockout.
        unlock_sign_in(user=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "sign_in/password_reset_complete.html"
