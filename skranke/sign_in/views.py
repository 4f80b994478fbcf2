"""Staff sign-in and sign-out: the password page, then the second factor
where one is needed (mfa.py)."""

from django.contrib.auth import views as auth_views

from skranke.accounts.sign_in_forms import StaffAuthenticationForm
from skranke.sign_in.mfa import second_factor_url, user_awaiting_second_factor


class LoginView(auth_views.LoginView):
    template_name = "sign_in/login.html"
    authentication_form = StaffAuthenticationForm
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        # After the password, the second factor where one is needed, then on.
        wanted = super().get_success_url()
        user = user_awaiting_second_factor(request=self.request)
        if user is None:
            return wanted
        return second_factor_url(user=user, next_url=wanted)


class LogoutView(auth_views.LogoutView):
    pass
