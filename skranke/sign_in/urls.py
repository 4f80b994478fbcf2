from django.urls import path

from skranke.sign_in import mfa_views, passkey_views, passwords, single_sign_on_views, views

# Under /personale/, beside the staff start page (accounts/urls.py).
app_name = "sign_in"
urlpatterns = [
    path("log-ind/", views.LoginView.as_view(), name="login"),
    path("log-ud/", views.LogoutView.as_view(), name="logout"),
    path("log-ind/kode/", mfa_views.verify, name="mfa_verify"),
    path("log-ind/autentifikator/", mfa_views.enrol, name="mfa_enrol"),
    path(
        "log-ind/sso/<int:provider_id>/",
        single_sign_on_views.start,
        name="single_sign_on_start",
    ),
    path("log-ind/sso/retur/", single_sign_on_views.finish, name="single_sign_on_return"),
    path("adgangsnoegler/", mfa_views.passkeys, name="passkeys"),
    path(
        "log-ind/adgangsnoegle/",
        mfa_views.passkey_registered,
        name="passkey_registered",
    ),
    path(
        "log-ind/adgangsnoegle/ny/start/",
        passkey_views.BeginPasskeyRegistration.as_view(),
        name="passkey_register_begin",
    ),
    path(
        "log-ind/adgangsnoegle/ny/afslut/",
        passkey_views.CompletePasskeyRegistration.as_view(),
        name="passkey_register_complete",
    ),
    path(
        "log-ind/adgangsnoegle/brug/start/",
        passkey_views.BeginPasskeySignIn.as_view(),
        name="passkey_sign_in_begin",
    ),
    path(
        "log-ind/adgangsnoegle/brug/afslut/",
        passkey_views.CompletePasskeySignIn.as_view(),
        name="passkey_sign_in_complete",
    ),
    path("adgangskode/", passwords.PasswordChangeView.as_view(), name="password_change"),
    path(
        "adgangskode/skiftet/",
        passwords.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("glemt-adgangskode/", passwords.PasswordResetView.as_view(), name="password_reset"),
    path(
        "glemt-adgangskode/sendt/",
        passwords.PasswordResetSentView.as_view(),
        name="password_reset_sent",
    ),
    path(
        "ny-adgangskode/<uidb64>/<token>/",
        passwords.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "ny-adgangskode/faerdig/",
        passwords.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
