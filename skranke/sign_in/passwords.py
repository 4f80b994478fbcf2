"""Staff change their own password, and reset a forgotten one by e-mail
(Django's views, in the staff pages' look). The reset page answers the
same whether or not an address belongs to anyone, and the link in the
e-mail works once, for PASSWORD_RESET_TIMEOUT seconds."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.http import HttpResponse
from django.urls import reverse_lazy

from skranke.access_log.models import SignInEvent
from skranke.access_log.sign_ins import record_sign_in_event
from skranke.sign_in.lockout import unlock_sign_in

Kind = SignInEvent.Kind


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "sign_in/password_change.html"
    success_url = reverse_lazy("sign_in:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "sign_in/password_change_done.html"


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "sign_in/password_reset.html"
    email_template_name = "sign_in/password_reset_email.txt"
    subject_template_name = "sign_in/password_reset_subject.txt"
    success_url = reverse_lazy("sign_in:password_reset_sent")

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        # The link is made from the configured address, never from the
        # request's Host header, which whoever asks could choose.
        self.extra_email_context = {"site_url": settings.SITE_URL}
        return super().form_valid(form)


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
