"""Staff accounts in the admin. An administrator manages the staff of their
own municipality and can give no one more than a municipality role."""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from skranke.accounts.admin_site import ScopedPermissionsMixin
from skranke.accounts.models import User


@admin.register(User)
class StaffAdmin(ScopedPermissionsMixin, UserAdmin[User]):
    list_display = ["username", "first_name", "last_name", "role", "is_active"]
    list_filter = ["role", "is_active", "locations"]
    add_form = AdminUserCreationForm
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Person"), {"fields": ["first_name", "last_name", "email"]}),
        (_("Work"), {"fields": ["municipality", "role", "locations", "is_active"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["username", "usable_password", "password1", "password2"]}),
        (_("Work"), {"fields": ["municipality", "role", "locations"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]
    filter_horizontal = ["locations"]

    def get_queryset(self, request: HttpRequest) -> Any:
        queryset = super().get_queryset(request)
        if not getattr(request.user, "is_superuser", False):
            # Superusers belong to the installation, not to a municipality.
            queryset = queryset.filter(is_superuser=False)
        return queryset

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if getattr(request.user, "is_superuser", False) and obj is not None:
            return [*fieldsets, (_("Installation"), {"fields": ["is_superuser"]})]
        return fieldsets

    def save_model(
        self, request: HttpRequest, obj: User, form: ModelForm[User], change: bool
    ) -> None:
        editor = request.user
        if isinstance(editor, User) and not editor.is_superuser:
            obj.municipality_id = editor.municipality_id
            obj.is_superuser = False
        super().save_model(request, obj, form, change)
