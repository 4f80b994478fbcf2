from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessLogConfig(AppConfig):
    name = "skranke.access_log"
    label = "access_log"
    verbose_name = _("Staff access log")
