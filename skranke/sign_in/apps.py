from django.apps import AppConfig


class SignInConfig(AppConfig):
    """Signing in: today a kiosk's, display's or survey terminal's device
    token. It stands above the rate limits that guard it and above the
    accounts it signs in."""

    name = "skranke.sign_in"
