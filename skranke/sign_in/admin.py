"""Sign-in in the admin: the municipality's sign-in settings, and what an
administrator does for a colleague who is locked out or lost their phone
(actions on the staff member), beside the identity the colleague signs in
with at the municipality's identity provider (single_sign_on_admin.py).

The staff member's page is accounts' (accounts/admin.py), which stands
below sign-in and so cannot name these. Sign-in registers that page again
with them added: the admin reads each app's admin.py in INSTALLED_APPS
order, accounts before sign_in, so this registration is the one used (and
in the other order, unregister() would fail at start-up, not quietly)."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from skranke.access_log.models import SignInEvent
from skranke.access_log.sign_ins import record_sign_in_event
from skranke.accounts.admin import StaffAdmin
from skranke.accounts.admin_site import ScopedAdmin
from skranke.accounts.models import SignInSettings, User
from skranke.sign_in import citizen_sign_in_admin  # noqa: F401 - registers the broker's page
from skranke.sign_in.lockout import unlock_sign_in
from skranke.sign_in.mfa_devices import remove_second_factor, tell_administrators_of_reset
from skranke.sign_in.single_sign_on_admin import StaffIdentityInline


@admin.register(SignInSettings)
class SignInSettingsAdmin(ScopedAdmin):
    list_display = ["municipality", "mfa_for_everyone"]
    fields = ["municipality", "mfa_for_everyone"]


Kind = SignInEvent.Kind


def _by(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


@admin.action(
    description=_("Unlock sign-in after too many failed attempts"), permissions=["change"]
)
def unlock_sign_ins(
    modeladmin: admin.ModelAdmin[User], request: HttpRequest, queryset: QuerySet[User]
) -> None:
    for user in queryset:
        unlock_sign_in(user=user)
        record_sign_in_event(kind=Kind.UNLOCKED, user=user, request=request, by=_by(request))
    messages.success(request, gettext("They can sign in again at once."))


@admin.action(
    description=_("Reset two-factor sign-in (a lost phone: they set up a new app)"),
    permissions=["change"],
)
def reset_second_factors(
    modeladmin: admin.ModelAdmin[User], request: HttpRequest, queryset: QuerySet[User]
) -> None:
    for user in queryset:
        remove_second_factor(user=user)
        record_sign_in_event(
            kind=Kind.SECOND_FACTOR_RESET, user=user, request=request, by=_by(request)
        )
        tell_administrators_of_reset(user=user, by=_by(request))
    messages.success(
        request,
        gettext("At their next sign-in they set up an authenticator app again."),
    )


admin.site.unregister(User)


@admin.register(User)
class StaffSignInAdmin(StaffAdmin):
    """The staff member's page, with what sign-in adds to it."""

    actions = [unlock_sign_ins, reset_second_factors]
    inlines = [StaffIdentityInline]
