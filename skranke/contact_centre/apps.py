from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class ContactConfig(AppConfig):
    name = "skranke.contact_centre"
    label = "contact"
    verbose_name = _("Contact centre")

    def ready(self) -> None:
        # The key figures' parts that apps above declare (kpi_sections.py).
        autodiscover_modules("key_figures")
