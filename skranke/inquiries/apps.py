from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InquiriesConfig(AppConfig):
    name = "skranke.inquiries"
    label = "inquiries"
    verbose_name = _("Written inquiries")
