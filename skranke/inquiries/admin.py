"""The shared mailbox in the admin: where it is, how Skranke signs in, and
which address's mail belongs to which place (docs/inquiries.md)."""

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from skranke.accounts.admin_site import ScopedAdmin, ScopedInline
from skranke.inquiries.models import AnswerTemplate, Department, Mailbox, MailRoute
from skranke.sign_in.single_sign_on_admin import https_by_default

SECRET_WIDGET = forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"})
KEPT = _("Not shown after it is saved. Leave empty to keep the one saved.")


class MailboxForm(forms.ModelForm[Mailbox]):
    """The password and the client secret are never shown again; left
    empty, the saved one is kept."""

    password = forms.CharField(
        label=_("password"), required=False, strip=False, widget=SECRET_WIDGET, help_text=KEPT
    )
    client_secret = forms.CharField(
        label=_("client secret"), required=False, widget=SECRET_WIDGET, help_text=KEPT
    )

    class Meta:
        model = Mailbox
        formfield_callback = https_by_default
        fields = [
            "municipality",
            "name",
            "address",
            "active",
            "host",
            "port",
            "folder",
            "new_mail",
            "username",
            "sign_in",
            "password",
            "token_url",
            "client_id",
            "client_secret",
            "scope",
            "location",
            "topic",
        ]

    def clean_password(self) -> str:
        return self.cleaned_data.get("password") or self.instance.password

    def clean_client_secret(self) -> str:
        return self.cleaned_data.get("client_secret") or self.instance.client_secret

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("sign_in") == Mailbox.SignIn.OAUTH2:
            for field in ("token_url", "client_id", "client_secret"):
                if not cleaned.get(field):
                    self.add_error(field, _("OAuth 2 needs this."))
            token_url = cleaned.get("token_url") or ""
            if token_url and not token_url.startswith("https://"):
                # The client secret is sent there.
                self.add_error("token_url", _("The token URL must begin with https://."))
        elif not cleaned.get("password"):
            self.add_error("password", _("Enter the mailbox's password."))
        return cleaned


class MailRouteInline(ScopedInline):
    model = MailRoute
    fields = ["address", "location", "topic"]


@admin.register(Mailbox)
class MailboxAdmin(ScopedAdmin):
    form = MailboxForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [MailRouteInline]
    list_display = ["name", "address", "municipality", "status", "read_at", "active"]
    readonly_fields = ["status", "read_at", "failing_since", "last_error"]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        sign_in = ["sign_in", "username", "password", "token_url", "client_id", "client_secret"]
        if not self.has_change_permission(request, obj):
            # A page to read only would show what it holds: not the secrets.
            sign_in = [field for field in sign_in if field not in ("password", "client_secret")]
        return [
            (None, {"fields": ["municipality", "name", "address", "active"]}),
            (
                _("IMAP server"),
                {"fields": ["host", "port", "folder", "new_mail", *sign_in, "scope"]},
            ),
            (
                _("Where its mail goes"),
                {
                    "fields": ["location", "topic"],
                    "description": _(
                        "Mail to an address named below goes to that address's place or"
                        " topic; other mail to these."
                    ),
                },
            ),
            (_("Reading"), {"fields": ["status", "read_at", "failing_since", "last_error"]}),
        ]


@admin.register(AnswerTemplate)
class AnswerTemplateAdmin(ScopedAdmin):
    """Ready answers the contact centre starts from, in Danish and English."""

    list_display = ["name", "language", "position", "municipality"]
    fields = ["municipality", "name", "language", "position", "text"]


@admin.register(Department)
class DepartmentAdmin(ScopedAdmin):
    """Where the contact centre forwards what it cannot settle, by e-mail."""

    list_display = ["name", "email", "position", "municipality"]
    fields = ["municipality", "name", "email", "position"]
