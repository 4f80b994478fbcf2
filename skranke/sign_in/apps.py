from django.apps import AppConfig


class SignInConfig(AppConfig):
    """Signing in: staff by password, a second factor (an authenticator
    app, recovery codes, passkeys) or single sign-on, with lockout after
    failed passwords and limits on how long a session lasts; and a kiosk's,
    display's or survey terminal's device token. It stands above the rate
    limits that guard it and above the accounts it signs in."""

    name = "skranke.sign_in"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from skranke.sign_in.mfa import note_second_factor_to_come
        from skranke.sign_in.staff_sessions import note_sign_in

        # The working day of a staff session starts when they sign in.
        user_logged_in.connect(note_sign_in, dispatch_uid="skranke_note_sign_in")
        # A second step still to come is kept in the session login() made.
        user_logged_in.connect(
            note_second_factor_to_come, dispatch_uid="skranke_note_second_factor_to_come"
        )
