from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "skranke.core"
    label = "core"
    verbose_name = _("Configuration")

    def ready(self) -> None:
        # Connects the signals that tell readers a schedule has changed, and
        # registers the checks of citizens' data in production.
        from skranke.core import checks, schedule  # noqa: F401
