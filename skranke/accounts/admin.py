"""Staff accounts in the admin. An administrator manages the staff of their
own municipality and can give no one more than a municipality role."""

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from skranke.accounts.admin_site import ScopedPermissionsMixin
from skranke.accounts.devices import issue_device_token, revoke_device
from skranke.accounts.models import Device, User


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


@admin.register(Device)
class DeviceAdmin(ScopedPermissionsMixin, admin.ModelAdmin[Device]):
    """Kiosks and displays. The token is shown once, right after it is made:
    it is typed into the device's sign-in page and never stored in clear."""

    list_display = ["name", "kind", "location", "created_at", "revoked_at"]
    list_filter = ["kind", "location"]
    fields = ["name", "kind", "location", "created_at", "revoked_at"]
    readonly_fields = ["created_at", "revoked_at"]
    actions = ["revoke", "renew_token"]

    def save_model(
        self, request: HttpRequest, obj: Device, form: ModelForm[Device], change: bool
    ) -> None:
        token = None if change else issue_device_token(device=obj)
        super().save_model(request, obj, form, change)
        if token is not None:
            self._show_token(request, obj, token)

    def _show_token(self, request: HttpRequest, device: Device, token: str) -> None:
        messages.warning(
            request,
            format_html(
                gettext(
                    "The token for {device} is <code>{token}</code>. Open {url} on the device "
                    "and enter it. It is shown only this once."
                ),
                device=device,
                token=token,
                url=request.build_absolute_uri(reverse("devices:sign_in")),
            ),
        )

    @admin.action(description=_("Revoke: the device is signed out at once"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[Device]) -> None:
        for device in queryset:
            revoke_device(device=device)
        messages.success(request, _("The devices are signed out."))

    @admin.action(description=_("Make a new token (the old one stops working)"))
    def renew_token(self, request: HttpRequest, queryset: QuerySet[Device]) -> None:
        for device in queryset:
            token = issue_device_token(device=device)
            device.save(update_fields=["token_hash", "revoked_at"])
            self._show_token(request, device, token)
