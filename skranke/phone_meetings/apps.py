from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PhoneMeetingsConfig(AppConfig):
    name = "skranke.phone_meetings"
    label = "phone_meetings"
    verbose_name = _("Telephone meetings")
