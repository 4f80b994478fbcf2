from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalliesConfig(AppConfig):
    name = "skranke.information_and_cash_desks"
    label = "tallies"
    verbose_name = _("Tallies")
