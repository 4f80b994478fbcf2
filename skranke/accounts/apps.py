from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default = True  # this module also holds SkrankeAdminConfig
    name = "skranke.accounts"
    label = "accounts"
    verbose_name = _("Staff")

    def ready(self) -> None:
        # Each app's staff pages, for the header navigation
        # (accounts/staff_navigation.py).
        autodiscover_modules("staff_pages")


class SkrankeAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with Skranke's role-scoped site as the default site."""

    default = False
    default_site = "skranke.accounts.admin_site.SkrankeAdminSite"
