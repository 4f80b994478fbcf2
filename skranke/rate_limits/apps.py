from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RateLimitsConfig(AppConfig):
    name = "skranke.rate_limits"
    label = "rate_limits"
    verbose_name = _("Rate limits")
