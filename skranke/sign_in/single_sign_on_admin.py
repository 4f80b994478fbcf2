"""Single sign-on in the admin: the municipality's identity provider, and
on each staff member the identity they sign in with there (an inline on
the staff member's page, added by skranke/sign_in/admin.py)."""

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from skranke.accounts.admin_site import ScopedAdmin, ScopedInline
from skranke.accounts.models import SingleSignOn, StaffIdentity


def https_by_default(field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    # An issuer typed without a scheme is an https address.
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class KeptClientSecret(forms.ModelForm):
    """The client secret is never shown again; left empty, it is kept. For
    the staff's provider and the citizens' MitID broker alike."""

    client_secret = forms.CharField(
        label=_("client secret"),
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Not shown after it is saved. Leave empty to keep the one saved."),
    )

    def clean_client_secret(self) -> str:
        secret: str = self.cleaned_data.get("client_secret", "")
        if secret:
            return secret
        if self.instance.pk is not None and self.instance.client_secret:
            return str(self.instance.client_secret)
        raise forms.ValidationError(_("Enter the client secret from the identity provider."))


class SingleSignOnForm(KeptClientSecret):
    class Meta:
        model = SingleSignOn
        formfield_callback = https_by_default
        fields = [
            "municipality",
            "name",
            "enabled",
            "issuer",
            "client_id",
            "client_secret",
            "subject_claim",
            "counts_as_second_factor",
        ]


@admin.register(SingleSignOn)
class SingleSignOnAdmin(ScopedAdmin):
    form = SingleSignOnForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "municipality", "issuer", "counts_as_second_factor", "enabled"]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        # The address to register with the provider, as the provider must
        # see it: this installation's own.
        return_address = request.build_absolute_uri(reverse("sign_in:single_sign_on_return"))
        provider_fields = ["issuer", "client_id", "client_secret", "subject_claim"]
        if not self.has_change_permission(request, obj):
            # A read-only page would show the secret in clear.
            provider_fields.remove("client_secret")
        return [
            (
                None,
                {
                    "fields": ["municipality", "name", "enabled"],
                },
            ),
            (
                _("Identity provider"),
                {
                    "fields": provider_fields,
                    "description": gettext(
                        "Register Skranke with the identity provider as a web application "
                        "with the redirect URI %(address)s, then enter what the provider "
                        "gives you here."
                    )
                    % {"address": return_address},
                },
            ),
            (_("Second factor"), {"fields": ["counts_as_second_factor"]}),
        ]


class StaffIdentityInline(ScopedInline):
    """On the staff member: who they are at the municipality's identity provider."""

    model = StaffIdentity
    fields = ["provider", "subject"]
    verbose_name = _("single sign-on identity")
    verbose_name_plural = _("single sign-on (identity at the municipality's identity provider)")
