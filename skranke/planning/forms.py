"""The event a manager enters on the forecast page, checked in full before
anything is saved: a refused form changes nothing."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from skranke.planning.models import ForecastEvent

OUT_OF_RANGE = _("Give a change from −100 to 500 per cent, for example 30 or −20.")


class PercentField(forms.IntegerField):
    """A whole percentage; the typographic minus of the hint ("−20") is a
    minus too."""

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str):
            value = value.replace("\N{MINUS SIGN}", "-")
        result: int | None = super().to_python(value)
        return result


class ForecastEventForm(forms.ModelForm[ForecastEvent]):
    # Declared here rather than taken from the model, so that a change out
    # of range gets one plain message whichever end it is beyond.
    lift_percent = PercentField(
        label=_("Expected change (%)"),
        help_text=_("For example 30 for 30 % more than usual, −20 for 20 % fewer."),
        min_value=-100,
        max_value=500,
        error_messages={
            "min_value": OUT_OF_RANGE,
            "max_value": OUT_OF_RANGE,
            "invalid": _("Give the change as a whole number, for example 30 or −20."),
            "required": _("Give the expected change in per cent."),
        },
    )

    class Meta:
        model = ForecastEvent
        fields = ["name", "first_day", "last_day", "lift_percent", "applies_to"]
        error_messages = {
            "name": {"required": _("Give the event a name, for example “Election”.")},
            "first_day": {
                "required": _("Give the event's first day."),
                "invalid": _("Give the first day as a date, for example 2026-12-07."),
            },
            "last_day": {
                "required": _("Give the event's last day."),
                "invalid": _("Give the last day as a date, for example 2026-12-07."),
            },
        }

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        first, last = cleaned.get("first_day"), cleaned.get("last_day")
        if first and last and last < first:
            self.add_error("last_day", _("The last day cannot be before the first day."))
        return cleaned
