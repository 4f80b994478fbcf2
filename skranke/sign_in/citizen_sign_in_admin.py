"""The citizens' MitID broker in the admin (citizen_sign_in.py), for
administrators: where to register Skranke, and what the broker gives."""

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from skranke.accounts.admin_site import ScopedAdmin
from skranke.accounts.models import CitizenSignIn
from skranke.sign_in.single_sign_on_admin import KeptClientSecret, https_by_default


class CitizenSignInForm(KeptClientSecret):
    class Meta:
        model = CitizenSignIn
        formfield_callback = https_by_default
        fields = [
            "municipality",
            "name",
            "enabled",
            "issuer",
            "client_id",
            "client_secret",
            "subject_claim",
        ]


@admin.register(CitizenSignIn)
class CitizenSignInAdmin(ScopedAdmin):
    form = CitizenSignInForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "municipality", "issuer", "enabled"]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        return_address = request.build_absolute_uri(reverse("booking:citizen_sign_in_return"))
        broker_fields = ["issuer", "client_id", "client_secret", "subject_claim"]
        if not self.has_change_permission(request, obj):
            broker_fields.remove("client_secret")  # a read-only page would show it
        return [
            (None, {"fields": ["municipality", "name", "enabled"]}),
            (
                _("MitID broker"),
                {
                    "fields": broker_fields,
                    "description": gettext(
                        "Register Skranke with the broker as an OpenID Connect client with"
                        " the redirect URI %(address)s, asking for the pseudonymous"
                        " identifier only (no CPR number), then enter what the broker gives"
                        " you here."
                    )
                    % {"address": return_address},
                },
            ),
        ]
