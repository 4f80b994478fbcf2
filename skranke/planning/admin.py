"""Events that lift the forecast, entered by managers; the record of
minutes changed from the planning page, read-only; the shift patterns the
rota is made of, and the hourly cost its saving is counted in."""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from skranke.accounts.admin_site import ScopedAdmin
from skranke.core.models import Weekday
from skranke.planning.models import ForecastEvent, MinutesChange, RotaSettings, ShiftPattern


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


class ShiftPatternForm(forms.ModelForm):
    """The weekdays as tick boxes; stored as digits (0 = Monday)."""

    weekdays = forms.TypedMultipleChoiceField(
        label=_("weekdays"),
        choices=Weekday.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The days the shift may be used."),
    )

    class Meta:
        model = ShiftPattern
        fields = [
            "location",
            "applies_to",
            "name",
            "starts",
            "latest_start",
            "length_minutes",
            "break_minutes",
            "break_after_minutes",
            "weekdays",
            "most_staff",
            "active",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial["weekdays"] = sorted(self.instance.weekday_numbers)

    def clean_weekdays(self) -> str:
        return "".join(str(day) for day in sorted(set(self.cleaned_data["weekdays"])))


@admin.register(ShiftPattern)
class ShiftPatternAdmin(ScopedAdmin):
    form = ShiftPatternForm
    list_display = [
        "name",
        "location",
        "applies_to",
        "starts",
        "length_minutes",
        "break_minutes",
        "most_staff",
    ]
    list_filter = ["location", "applies_to"]


@admin.register(RotaSettings)
class RotaSettingsAdmin(ScopedAdmin):
    list_display = ["municipality", "hourly_cost"]
    fields = ["municipality", "hourly_cost"]
