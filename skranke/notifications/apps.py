from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "skranke.notifications"
    label = "notifications"
    verbose_name = _("Messages to citizens")

    def ready(self) -> None:
        # Each app that sends messages declares their kinds and words in
        # its message_texts.py (message_kinds.py); checks.py that none is
        # missing.
        autodiscover_modules("message_texts")
        from skranke.notifications import checks  # noqa: F401 - registers the check
