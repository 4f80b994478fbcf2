"""The configuration, edited in the admin by administrators and managers."""

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.forms import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from skranke.accounts.admin_labels import LabelledInlineFormSet
from skranke.accounts.admin_site import ScopedAdmin, ScopedInline
from skranke.accounts.models import Role
from skranke.booking.stranded_warning import WarnsAboutStrandedBookings
from skranke.core.intervals import first_overlap, format_interval
from skranke.core.models import (
    Desk,
    DeskShift,
    Location,
    Municipality,
    OpeningHours,
    Service,
    SpecialDay,
    SpecialDayHours,
    Weekday,
)


def kept_forms(formset: BaseInlineFormSet[Any, Any, Any]) -> list[Any]:
    """The forms of a formset that will be saved: valid, filled in, not deleted."""
    return [
        form
        for form in formset.forms
        if form.is_valid()
        and (form.has_changed() or form.instance.pk is not None)
        and not form.cleaned_data.get("DELETE", False)
    ]


class OpeningHoursFormSet(LabelledInlineFormSet):
    """Several intervals a day are allowed; overlapping ones are not. Checked
    across the whole formset, so hours can be moved around in one save."""

    def clean(self) -> None:
        super().clean()
        by_weekday: dict[int, list[tuple[Any, Any]]] = {}
        for form in kept_forms(self):
            data = form.cleaned_data
            if data.get("opens") and data.get("closes"):
                by_weekday.setdefault(data["weekday"], []).append((data["opens"], data["closes"]))
        for weekday, intervals in sorted(by_weekday.items()):
            overlap = first_overlap(intervals)
            if overlap:
                raise ValidationError(
                    _("On %(day)s, %(first)s overlaps %(second)s.")
                    % {
                        "day": Weekday(weekday).label,
                        "first": format_interval(overlap[0]),
                        "second": format_interval(overlap[1]),
                    }
                )


class OpeningHoursInline(ScopedInline):
    model = OpeningHours
    formset = OpeningHoursFormSet
    extra = 1


class SpecialDayHoursFormSet(LabelledInlineFormSet):
    def clean(self) -> None:
        super().clean()
        intervals = [
            (form.cleaned_data["opens"], form.cleaned_data["closes"])
            for form in kept_forms(self)
            if form.cleaned_data.get("opens") and form.cleaned_data.get("closes")
        ]
        if self.instance.closed and intervals:
            raise ValidationError(_("A closed day has no opening hours; remove them."))
        if not self.instance.closed and not intervals:
            raise ValidationError(_("Give the day's opening hours, or tick “closed all day”."))
        overlap = first_overlap(intervals)
        if overlap:
            raise ValidationError(
                _("%(first)s overlaps %(second)s.")
                % {"first": format_interval(overlap[0]), "second": format_interval(overlap[1])}
            )


class SpecialDayHoursInline(ScopedInline):
    model = SpecialDayHours
    formset = SpecialDayHoursFormSet
    extra = 1


@admin.register(Municipality)
class MunicipalityAdmin(ScopedAdmin):
    list_display = ["name", "phone", "email"]
    prepopulated_fields = {"slug": ["name"]}

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        # Blank while developing; in production every citizen page links to
        # it (and `check --deploy` reports one missing, skranke.E011).
        if settings.PRODUCTION and "privacy_notice_url" in form.base_fields:
            form.base_fields["privacy_notice_url"].required = True
        return form


@admin.register(Location)
class LocationAdmin(WarnsAboutStrandedBookings, ScopedAdmin):
    list_display = ["name", "address", "phone", "municipality"]
    list_filter = ["municipality"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OpeningHoursInline]

    def locations_of(self, obj: Location) -> list[Location]:
        return [obj]


@admin.register(SpecialDay)
class SpecialDayAdmin(WarnsAboutStrandedBookings, ScopedAdmin):
    list_display = ["date", "location", "closed", "note_da"]
    list_filter = ["location", "closed"]
    date_hierarchy = "date"
    inlines = [SpecialDayHoursInline]

    def locations_of(self, obj: SpecialDay) -> list[Location]:
        return [obj.location]


@admin.register(Service)
class ServiceAdmin(ScopedAdmin):
    list_display = [
        "name_da",
        "duration_minutes",
        "kind",
        "booking_required",
        "bookable_online",
        "active",
    ]
    list_filter = ["kind", "booking_required", "active", "municipality"]
    list_editable = ["duration_minutes"]
    search_fields = ["name_da", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_da"]}
    filter_horizontal = ["locations"]
    # A self-service link typed without a scheme is an https address.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    # What a manager may change of a service: how long it takes and how it
    # is booked over time. What the service is, where it is offered and
    # what citizens are told is the administrator's.
    MANAGER_FIELDS = {
        "duration_minutes",
        "slot_step_minutes",
        "held_back_percent",
        "release_days_before",
        "reminder_hours_before",
        # A scarce errand in a rush: the manager asks for the code, or MitID.
        "code_confirmation",
        "citizen_sign_in_required",
    }

    def _is_manager(self, request: HttpRequest) -> bool:
        user = request.user
        return getattr(user, "role", None) == Role.MANAGER and not user.is_superuser

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if self._is_manager(request):
            every = [name for _title, options in self.fieldsets for name in options["fields"]]
            return [name for name in every if name not in self.MANAGER_FIELDS]
        return super().get_readonly_fields(request, obj)

    def get_prepopulated_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return {} if self._is_manager(request) else super().get_prepopulated_fields(request, obj)

    fieldsets = [
        (None, {"fields": ["municipality", "name_da", "name_en", "slug", "locations"]}),
        (
            _("How it is booked"),
            {
                "fields": [
                    "kind",
                    "duration_minutes",
                    "booking_required",
                    "bookable_online",
                    "slot_step_minutes",
                    "held_back_percent",
                    "release_days_before",
                    "reminder_hours_before",
                    "code_confirmation",
                    "citizen_sign_in_required",
                ]
            },
        ),
        (
            _("Arrival and queue"),
            {"fields": ["walk_in_allowed", "ticket_letter", "waiting_area_da", "waiting_area_en"]},
        ),
        (
            _("What the citizen is told"),
            {"fields": ["what_to_bring_da", "what_to_bring_en", "self_service_url", "sensitive"]},
        ),
        (_("Display"), {"fields": ["position", "active"]}),
        (_("Statistics"), {"fields": ["kle_number"]}),
    ]


@admin.register(Desk)
class DeskAdmin(WarnsAboutStrandedBookings, ScopedAdmin):
    list_display = ["name", "location", "kind", "active"]
    list_filter = ["location", "kind", "active"]

    def locations_of(self, obj: Desk) -> list[Location]:
        return [obj.location]


@admin.register(DeskShift)
class DeskShiftAdmin(WarnsAboutStrandedBookings, ScopedAdmin):
    list_display = ["desk", "weekday", "date", "starts", "ends"]
    list_filter = ["desk__location", "desk", "weekday"]

    def locations_of(self, obj: DeskShift) -> list[Location]:
        return [obj.desk.location]

    filter_horizontal = ["services"]
    fieldsets = [
        (None, {"fields": ["desk", "starts", "ends", "services"]}),
        (
            _("When"),
            {
                "fields": ["weekday", "date"],
                "description": _(
                    "Every week on a weekday, or on one date. Dated shifts replace "
                    "the desk's weekly shifts on that date."
                ),
            },
        ),
    ]
