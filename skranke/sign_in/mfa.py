"""Who must give a second factor after the password, and the middleware
that holds every page back until they have.

Administrators, managers and the installation's superusers always must,
and so must whoever holds a permission that reaches citizens' data in
every location of the municipality (the data-protection officer's, given
to any role); everyone else where their municipality's sign-in settings
say so. All of it
only while settings.MFA_REQUIRED is on (always in production), so that a
demo or a developer's machine runs on passwords alone."""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django_otp import user_has_device

from skranke.access_log.models import SignInEvent
from skranke.access_log.reading import PERMISSION as READ_ACCESS_LOG
from skranke.access_log.sign_ins import record_sign_in_event
from skranke.accounts.models import CONFIGURING_ROLES, SignInSettings, User
from skranke.accounts.signals import SECOND_FACTOR_TO_COME

# Set by a sign-in whose identity provider has already asked for a second
# factor (single sign-on), so that this one does not ask again.
OUTSIDE_SECOND_FACTOR_KEY = "second_factor_outside"

# Set by a sign-in whose account is under attack (lockout.py): this session
# must give the second factor whatever the sign-in settings say.
SECOND_FACTOR_DEMANDED_KEY = "second_factor_demanded"
# Set at a sign-in whose second step is still to come, until it is given:
# then the access log notes the staff member as signed in.
SECOND_FACTOR_TO_COME_KEY = "second_factor_to_come"

# Pages a signed-in user reaches before the second factor: the steps
# themselves, signing out, and what needs no signed-in user anyway.
BEFORE_SECOND_FACTOR = frozenset(
    {
        "sign_in:login",
        "sign_in:logout",
        "sign_in:mfa_verify",
        "sign_in:mfa_enrol",
        # Single sign-on's start and return (skranke/sign_in/single_sign_on_views.py).
        "sign_in:single_sign_on_start",
        "sign_in:single_sign_on_return",
        # A passkey, added or used (skranke/sign_in/passkey_views.py).
        "sign_in:passkey_register_begin",
        "sign_in:passkey_register_complete",
        "sign_in:passkey_sign_in_begin",
        "sign_in:passkey_sign_in_complete",
        "sign_in:password_reset",
        "sign_in:password_reset_sent",
        "sign_in:password_reset_confirm",
        "sign_in:password_reset_complete",
        "admin:logout",
        "set_language",
    }
)


# Permissions that reach citizens' data across every location: the access
# log, and with it the right-of-access search and export (privacy).
ACROSS_LOCATIONS_PERMISSIONS = (READ_ACCESS_LOG,)


def mfa_required_for(*, user: User) -> bool:
    """Whether `user` must give a second factor to see staff pages."""
    if not settings.MFA_REQUIRED:
        return False
    if user.is_superuser or user.role in CONFIGURING_ROLES:
        return True
    if any(user.has_perm(permission) for permission in ACROSS_LOCATIONS_PERMISSIONS):
        return True
    if user.municipality_id is None:
        return False
    return SignInSettings.objects.filter(
        municipality_id=user.municipality_id, mfa_for_everyone=True
    ).exists()


def demand_second_factor(*, request: HttpRequest) -> None:
    """This sign-in goes on only with the second factor (the user has one).
    Marked on the request, for login() to carry into the session it makes
    (note_second_factor_to_come)."""
    setattr(request, SECOND_FACTOR_DEMANDED_KEY, True)


def mark_second_factor_to_come(*, request: HttpRequest, user: User, outside: bool = False) -> None:
    """Before login(): whether this sign-in must still give its second
    factor (the access log notes the password as accepted, not a sign-in).
    `outside`: the identity provider has asked for one already."""
    demanded = getattr(request, SECOND_FACTOR_DEMANDED_KEY, False)
    if not outside and (demanded or mfa_required_for(user=user)):
        setattr(request, SECOND_FACTOR_TO_COME, True)


def note_second_factor_to_come(*, request: HttpRequest | None, **_signal: object) -> None:
    """user_logged_in's receiver: the marks of mark_second_factor_to_come and
    demand_second_factor, kept in the session login() has made."""
    if request is None or not hasattr(request, "session"):
        return
    if getattr(request, SECOND_FACTOR_DEMANDED_KEY, False):
        request.session[SECOND_FACTOR_DEMANDED_KEY] = True
    if getattr(request, SECOND_FACTOR_TO_COME, False):
        request.session[SECOND_FACTOR_TO_COME_KEY] = True


def note_second_factor_given(*, request: HttpRequest, user: User, recovery_code: bool) -> None:
    """After the second step (a code, a recovery code, a passkey, or the
    first authenticator or passkey set up): now the staff member is signed
    in, and the access log says so. Nothing is noted where the sign-in was
    noted at the password (the step was not asked for); a recovery code
    used is noted always, as the sign-in it was."""
    to_come = request.session.pop(SECOND_FACTOR_TO_COME_KEY, False) is True
    if recovery_code:
        kind = SignInEvent.Kind.SIGNED_IN_WITH_RECOVERY_CODE
    elif to_come:
        kind = SignInEvent.Kind.SIGNED_IN
    else:
        return
    record_sign_in_event(kind=kind, user=user, request=request)


def has_passed_second_factor(*, request: HttpRequest) -> bool:
    user = request.user
    if getattr(user, "is_verified", None) is not None and user.is_verified():  # type: ignore[union-attr]
        return True
    return request.session.get(OUTSIDE_SECOND_FACTOR_KEY) is True


def record_outside_second_factor(*, request: HttpRequest) -> None:
    """For a sign-in through an identity provider that asked for a second
    factor itself: this session needs none of ours."""
    request.session[OUTSIDE_SECOND_FACTOR_KEY] = True


def user_awaiting_second_factor(*, request: HttpRequest) -> User | None:
    """The signed-in user, if they must still give their second factor."""
    user = request.user
    if not isinstance(user, User) or has_passed_second_factor(request=request):
        return None
    if request.session.get(SECOND_FACTOR_DEMANDED_KEY) is True:
        return user
    if not settings.MFA_REQUIRED or not mfa_required_for(user=user):
        return None
    return user


def second_factor_url(*, user: User, next_url: str) -> str:
    """Where a user goes for their second factor: the code, or, who has no
    authenticator yet, setting one up. Then on to `next_url`."""
    step = "sign_in:mfa_verify" if user_has_device(user) else "sign_in:mfa_enrol"
    query = f"?{urlencode({'next': next_url})}" if next_url else ""
    return reverse(step) + query


class SecondFactorMiddleware:
    """Every page, the admin and the API included, refuses a session that
    has passed the password but not the second factor it needs. Pages are
    sent to the second-factor step and back; the API sees no user at all,
    so that session-authenticated calls answer 401 (a device's or another
    system's token still works)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is not None and match.view_name in BEFORE_SECOND_FACTOR:
            return None
        user = user_awaiting_second_factor(request=request)
        if user is None:
            return None
        if request.path_info.startswith("/api/"):
            request.user = AnonymousUser()
            return None
        next_url = request.get_full_path() if request.method == "GET" else ""
        return HttpResponseRedirect(second_factor_url(user=user, next_url=next_url))
