"""Staff accounts in the admin. An administrator manages the staff of their
own municipality and can give no one more than a municipality role.
Sign-in adds its actions and the single sign-on identity to the staff
member's page (skranke/sign_in/admin.py)."""

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
from skranke.accounts.models import Device, IntegrationToken, User
from skranke.accounts.tokens import Holder, issue_token, revoke_token


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


class TokenHolderAdmin(ScopedPermissionsMixin, admin.ModelAdmin[Holder]):
    """What holds a token (a device, another system): the token is shown
    once, right after it is made, and never stored in clear."""

    actions = ["revoke", "renew_token"]

    def save_model(
        self, request: HttpRequest, obj: Holder, form: ModelForm[Holder], change: bool
    ) -> None:
        token = None if change else issue_token(holder=obj)
        super().save_model(request, obj, form, change)
        if token is not None:
            self.show_token(request, obj, token)

    def show_token(self, request: HttpRequest, holder: Holder, token: str) -> None:
        """Tell the user the new token and where it goes."""
        raise NotImplementedError

    def revoke_tokens(self, request: HttpRequest, queryset: QuerySet[Holder], done: str) -> None:
        for holder in queryset:
            revoke_token(holder=holder)
        messages.success(request, done)

    @admin.action(description=_("Make a new token (the old one stops working)"))
    def renew_token(self, request: HttpRequest, queryset: QuerySet[Holder]) -> None:
        for holder in queryset:
            token = issue_token(holder=holder)
            holder.save(update_fields=["token_hash", "revoked_at"])
            self.show_token(request, holder, token)


@admin.register(Device)
class DeviceAdmin(TokenHolderAdmin[Device]):
    """Kiosks and displays. The token is typed into the device's sign-in page."""

    list_display = ["name", "kind", "location", "created_at", "revoked_at"]
    list_filter = ["kind", "location"]
    fields = ["name", "kind", "location", "created_at", "revoked_at"]
    readonly_fields = ["created_at", "revoked_at"]

    def show_token(self, request: HttpRequest, holder: Device, token: str) -> None:
        messages.warning(
            request,
            format_html(
                gettext(
                    "The token for {device} is <code>{token}</code>. Open {url} on the device "
                    "and enter it. It is shown only this once."
                ),
                device=holder,
                token=token,
                url=request.build_absolute_uri(reverse("devices:sign_in")),
            ),
        )

    @admin.action(description=_("Revoke: the device is signed out at once"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[Device]) -> None:
        self.revoke_tokens(request, queryset, gettext("The devices are signed out."))


@admin.register(IntegrationToken)
class IntegrationTokenAdmin(TokenHolderAdmin[IntegrationToken]):
    """Systems that send data on the municipality's behalf, such as the
    phone system posting its call records (docs/telephony.md)."""

    list_display = ["name", "municipality", "created_at", "revoked_at"]
    fields = ["name", "municipality", "created_at", "revoked_at"]
    readonly_fields = ["created_at", "revoked_at"]

    def show_token(self, request: HttpRequest, holder: IntegrationToken, token: str) -> None:
        messages.warning(
            request,
            format_html(
                gettext(
                    "The token for {name} is <code>{token}</code>. The system sends it "
                    "in the header <code>Authorization: Bearer …</code>. It is shown only "
                    "this once."
                ),
                name=holder,
                token=token,
            ),
        )

    @admin.action(description=_("Revoke: the token stops working at once"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[IntegrationToken]) -> None:
        self.revoke_tokens(request, queryset, gettext("The tokens no longer work."))
