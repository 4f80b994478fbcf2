from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChallengeConfig(AppConfig):
    name = "skranke.challenge"
    label = "challenge"
    verbose_name = _("Proof of work against hoarding")
