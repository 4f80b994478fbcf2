from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "skranke.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        # Each app that holds citizens' personal data declares it in its
        # personal_data.py (core/personal_data_registry.py): privacy knows
        # the data by those declarations alone.
        autodiscover_modules("personal_data")
