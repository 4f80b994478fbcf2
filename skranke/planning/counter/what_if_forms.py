"""The what-if page's forms: one per kind of change, each turning what the
manager chose into a what_if change of the place's simulated week."""

from datetime import time

from django import forms
from django.utils.translation import gettext_lazy as _

from skranke.core.models import Service, Weekday
from skranke.planning.counter.simulation import CounterWeek
from skranke.planning.counter.what_if import (
    MOST_HELD_BACK,
    Change,
    ChangeRefused,
    ExtraDesk,
    HeldBack,
    MoreDemand,
    NewMinutes,
    NewOpening,
    RemovedDesk,
    check_more_percent,
)
from skranke.planning.forms import PercentField


class ClockTimeInput(forms.TimeInput):
    """The browser's own time picker (hours and minutes)."""

    input_type = "time"

    def __init__(self) -> None:
        super().__init__(format="%H:%M")


class WhatIfForm(forms.Form):
    """A form about one week: its choices come from the week's services
    and desks."""

    def __init__(
        self, *args: object, week: CounterWeek, services: dict[int, Service], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.week = week
        self.services = services

    def change(self) -> Change:
        raise NotImplementedError

    def describe(self) -> str:
        """The change in words, as the results' heading."""
        raise NotImplementedError


class MinutesForm(WhatIfForm):
    service = forms.TypedChoiceField(label=_("Service"), coerce=int)
    minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=240)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["service"].choices = [  # type: ignore[attr-defined]
            (plan.service, self.services[plan.service].name) for plan in self.week.services
        ]

    def change(self) -> Change:
        return NewMinutes(
            service=self.cleaned_data["service"], minutes=self.cleaned_data["minutes"]
        )

    def describe(self) -> str:
        service = self.services[self.cleaned_data["service"]]
        return _("%(service)s booked for %(new)d minutes instead of %(old)d") % {
            "service": service.name,
            "new": self.cleaned_data["minutes"],
            "old": service.duration_minutes,
        }


class DesksForm(WhatIfForm):
    desk = forms.ChoiceField(
        label=_("Desks"),
        help_text=_(
            "A new desk handles the same services in the same hours as the one it is like."
        ),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["desk"].choices = [  # type: ignore[attr-defined]
            *(
                (f"ekstra-{index}", _("One more desk like desk %(name)s") % {"name": desk.name})
                for index, desk in enumerate(self.week.desks)
            ),
            *(
                (f"fjern-{index}", _("Without desk %(name)s") % {"name": desk.name})
                for index, desk in enumerate(self.week.desks)
            ),
        ]

    def change(self) -> Change:
        kind, index = self.cleaned_data["desk"].split("-")
        return ExtraDesk(like=int(index)) if kind == "ekstra" else RemovedDesk(desk=int(index))

    def describe(self) -> str:
        return str(dict(self.fields["desk"].choices)[self.cleaned_data["desk"]])  # type: ignore[attr-defined]


class OpeningForm(WhatIfForm):
    weekday = forms.TypedChoiceField(label=_("Day"), coerce=int, choices=Weekday.choices)
    opens = forms.TimeField(label=_("Opens"), widget=ClockTimeInput())
    closes = forms.TimeField(label=_("Closes"), widget=ClockTimeInput())
    desks = forms.IntegerField(
        label=_("Desks on a day that is closed today"),
        min_value=1,
        initial=2,
        required=False,
        help_text=_("Only used when the day is closed today, such as a Saturday."),
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        opens, closes = cleaned.get("opens"), cleaned.get("closes")
        if isinstance(opens, time) and isinstance(closes, time) and closes <= opens:
            self.add_error("closes", _("The place must open before it closes."))
        return cleaned

    def change(self) -> Change:
        data = self.cleaned_data
        return NewOpening(
            weekday=data["weekday"],
            opens=data["opens"].hour * 60 + data["opens"].minute,
            closes=data["closes"].hour * 60 + data["closes"].minute,
            desks=data["desks"] or 2,
        )

    def describe(self) -> str:
        data = self.cleaned_data
        return _("Open on %(day)s %(opens)s–%(closes)s") % {
            "day": Weekday(data["weekday"]).label,
            "opens": f"{data['opens']:%H:%M}",
            "closes": f"{data['closes']:%H:%M}",
        }


class HeldBackForm(WhatIfForm):
    percent = forms.IntegerField(
        label=_("Share of times held back for the same day (%)"),
        min_value=0,
        max_value=int(MOST_HELD_BACK * 100),
        help_text=_(
            "Times nobody can book in advance, kept for citizens who book on the day itself."
        ),
    )

    def change(self) -> Change:
        return HeldBack(share=self.cleaned_data["percent"] / 100)

    def describe(self) -> str:
        return _("%(percent)d %% of the times held back for the same day") % {
            "percent": self.cleaned_data["percent"]
        }


class DemandForm(WhatIfForm):
    service = forms.TypedChoiceField(
        label=_("Service"), coerce=int, required=False, empty_value=None
    )
    percent = PercentField(
        label=_("Change in citizens (%)"),
        help_text=_(
            "For example 30 for a passport wave or an election that brings 30 % more, "
            "−20 for 20 % fewer."
        ),
        error_messages={
            "invalid": _("Give the change as a whole number, for example 30 or −20."),
            "required": _("Give the expected change in per cent."),
        },
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["service"].choices = [  # type: ignore[attr-defined]
            ("", _("All services")),
            *((plan.service, self.services[plan.service].name) for plan in self.week.services),
        ]

    def clean_percent(self) -> int:
        percent: int = self.cleaned_data["percent"]
        try:
            check_more_percent(percent)
        except ChangeRefused as refused:
            raise forms.ValidationError(str(refused)) from refused
        return percent

    def change(self) -> Change:
        return MoreDemand(
            percent=self.cleaned_data["percent"], service=self.cleaned_data["service"]
        )

    def describe(self) -> str:
        percent = self.cleaned_data["percent"]
        service = self.cleaned_data["service"]
        names = {
            "percent": abs(percent),
            "service": self.services[service].name if service is not None else "",
        }
        if service is None:
            if percent > 0:
                return _("%(percent)d %% more citizens for every service") % names
            return _("%(percent)d %% fewer citizens for every service") % names
        if percent > 0:
            return _("%(percent)d %% more citizens for %(service)s") % names
        return _("%(percent)d %% fewer citizens for %(service)s") % names


# The name each form is submitted under (also its fields' prefix).
FORMS: dict[str, type[WhatIfForm]] = {
    "minutter": MinutesForm,
    "skranker": DesksForm,
    "aabning": OpeningForm,
    "tilbage": HeldBackForm,
    "efterspoergsel": DemandForm,
}
