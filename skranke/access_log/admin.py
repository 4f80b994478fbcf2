"""The access log in the admin: read only, for those who may read it; and
where an administrator gives a staff member the right to read it."""

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from skranke.access_log.models import AccessRecord, DataProtectionReader, SignInEvent
from skranke.access_log.reading import (
    may_read_access_log,
    visible_records,
    visible_sign_in_events,
)
from skranke.accounts.admin_site import ScopedAdmin
from skranke.accounts.models import Role, User
from skranke.accounts.scoping import is_in_scope, scope_for_model


@admin.register(AccessRecord)
class AccessRecordAdmin(ScopedAdmin):
    """Nobody adds, changes or deletes a row, not even a superuser."""

    list_display = ["at", "actor_name", "action", "booking_code", "location"]
    # Every field read only: the form offers nothing to change or to choose.
    readonly_fields = (
        "at",
        "actor_name",
        "user",
        "token",
        "municipality",
        "location",
        "action",
        "booking",
        "booking_code",
        "contact",
        "visit",
    )
    fields = readonly_fields
    list_filter = ["action"]
    search_fields = ["booking_code", "actor_name"]
    date_hierarchy = "at"

    def _may(self, request: HttpRequest, action: str, obj: Model | None = None) -> bool:
        return action == "view" and may_read_access_log(user=request.user)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return visible_records(user=request.user).select_related("location")


@admin.register(SignInEvent)
class SignInEventAdmin(ScopedAdmin):
    """Read only, like the access records: sign-ins, sign-outs, failures."""

    list_display = ["at", "actor_name", "kind", "by_name", "network"]
    readonly_fields = ("at", "actor_name", "user", "municipality", "kind", "by_name", "network")
    fields = readonly_fields
    list_filter = ["kind"]
    search_fields = ["actor_name"]
    date_hierarchy = "at"

    def _may(self, request: HttpRequest, action: str, obj: Model | None = None) -> bool:
        return action == "view" and may_read_access_log(user=request.user)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return visible_sign_in_events(user=request.user)


def _read_permission() -> Permission:
    return Permission.objects.get(content_type__app_label="access_log", codename="read_access_log")


class ReaderForm(forms.ModelForm[DataProtectionReader]):
    reads_access_log = forms.BooleanField(
        label=_("May read the staff access log"),
        required=False,
        help_text=_("For the data-protection officer. Administrators and managers may anyway."),
    )

    class Meta:
        model = DataProtectionReader
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["reads_access_log"].initial = self.instance.user_permissions.filter(
                pk=_read_permission().pk
            ).exists()


@admin.register(DataProtectionReader)
class DataProtectionReaderAdmin(ScopedAdmin):
    """Administrators (and superusers) give or take the data-protection
    permission; nothing else about the staff member changes here."""

    form = ReaderForm
    fields = ["username", "first_name", "last_name", "role", "reads_access_log"]
    readonly_fields = ["username", "first_name", "last_name", "role"]
    list_display = ["username", "first_name", "last_name", "role", "reads"]
    search_fields = ["username", "first_name", "last_name"]

    def _may(self, request: HttpRequest, action: str, obj: Model | None = None) -> bool:
        user = request.user
        allowed = isinstance(user, User) and (
            user.is_superuser or (user.is_active and user.role == Role.ADMINISTRATOR)
        )
        if not allowed or action not in ("view", "change"):
            return False
        if obj is None or obj.pk is None:
            return True
        return is_in_scope(obj=obj, scope=scope_for_model(user=user, model=type(obj)))

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).filter(is_superuser=False)

    @admin.display(boolean=True, description=_("may read the access log"))
    def reads(self, obj: DataProtectionReader) -> bool:
        return obj.user_permissions.filter(pk=_read_permission().pk).exists()

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if form.cleaned_data["reads_access_log"]:
            obj.user_permissions.add(_read_permission())
        else:
            obj.user_permissions.remove(_read_permission())
