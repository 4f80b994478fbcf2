"""Visits in the admin, for one correction only: a manager marks a visit's
times as wrong (or right again) afterwards, so the statistics leave them
out. Nothing else about a visit can be changed here; it is the record of
what happened."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from skranke.accounts.admin_site import ScopedAdmin
from skranke.queueing.models import Visit
from skranke.queueing.serving import mark_times_wrong


@admin.register(Visit)
class VisitAdmin(ScopedAdmin):
    list_display = [
        "ticket",
        "day",
        "service",
        "desk",
        "outcome",
        "not_ended_by_staff",
        "times_wrong",
    ]
    list_filter = [
        "times_wrong",
        "not_ended_by_staff",
        "outcome",
        ("service", admin.RelatedOnlyFieldListFilter),
        ("location", admin.RelatedOnlyFieldListFilter),
    ]
    date_hierarchy = "day"
    list_select_related = ["service", "desk"]
    readonly_fields = [
        "location",
        "service",
        "day",
        "ticket",
        "outcome",
        "arrived_at",
        "called_at",
        "started_at",
        "ended_at",
        "desk",
        "not_ended_by_staff",
    ]
    fields = [*readonly_fields, "times_wrong"]
    actions = ["times_are_wrong", "times_are_right"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Mark the times as wrong (left out of the statistics' times)"))
    def times_are_wrong(self, request: HttpRequest, queryset: QuerySet[Visit]) -> None:
        self._mark(request, queryset, wrong=True)

    @admin.action(description=_("Mark the times as right"))
    def times_are_right(self, request: HttpRequest, queryset: QuerySet[Visit]) -> None:
        self._mark(request, queryset, wrong=False)

    def _mark(self, request: HttpRequest, queryset: QuerySet[Visit], *, wrong: bool) -> None:
        changed = mark_times_wrong(
            visit_ids=list(queryset.values_list("pk", flat=True)), wrong=wrong
        )
        self.message_user(
            request,
            ngettext("%(count)d visit changed.", "%(count)d visits changed.", changed)
            % {"count": changed},
            messages.SUCCESS,
        )
