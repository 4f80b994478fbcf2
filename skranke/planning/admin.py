"""Events that lift the forecast, entered by managers; the record of
minutes changed from the planning page, read-only."""

from django.contrib import admin
from django.http import HttpRequest

from skranke.accounts.admin_site import ScopedAdmin
from skranke.planning.models import ForecastEvent, MinutesChange


@admin.register(ForecastEvent)
class ForecastEventAdmin(ScopedAdmin):
    list_display = ["name", "first_day", "last_day", "lift_percent", "applies_to"]
    fields = ["municipality", "name", "first_day", "last_day", "lift_percent", "applies_to"]


@admin.register(MinutesChange)
class MinutesChangeAdmin(ScopedAdmin):
    list_display = ["service", "old_minutes", "new_minutes", "changed_by", "changed_at"]

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
