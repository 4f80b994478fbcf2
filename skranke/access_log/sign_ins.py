"""Writing staff sign-ins, sign-outs and failures into the access log
(models.SignInEvent).

Django's authentication signals are the hook, connected in apps.py:
`user_logged_in` is sent by `login()` whichever backend let the staff
member in (password today, single sign-on as well), so no sign-in path can
forget to call a function here; `user_login_failed` by `authenticate()`
for any backend; `user_logged_out` by `logout()`, also when the session
ends for want of use (sign_in/staff_sessions.py). Axes sends
`user_locked_out`. The second step of sign-in has no signal of Django's:
sign_in sends `second_factor_failed`, defined below both apps in
accounts/signals.py, and notes the steps that follow the password (signed
in after the second factor, a recovery code used, an authenticator or a
passkey added, an administrator's reset or unlock) by calling
record_sign_in_event itself: it stands above the log. Where the second
step is to come, `user_logged_in` is noted as the password accepted.

The address is kept as its network (IPv4 /24, IPv6 /48), like an address
in a web statistics tool: the log's readers can tell a sign-in from the
town hall's network from one elsewhere, and see that many failures came
from one place, while a staff member working from home is not pinned to
their house. A keyed hash (as rate_limits/limits.py keeps for its
counters) would tell the readers nothing they can read, and over IPv4's
four billion addresses anyone with the key can undo it."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest

from skranke.access_log.models import SignInEvent
from skranke.accounts.models import User
from skranke.accounts.signals import SECOND_FACTOR_TO_COME
from skranke.core import clock
from skranke.web.client_address import client_address, network_of

Kind = SignInEvent.Kind


def address_network(address: str | None) -> str:
    """`address` shortened to its network ("192.0.2.0/24"), or "" when it
    is not an address."""
    network = network_of(address, ipv4_prefix=24, ipv6_prefix=48)
    return str(network) if network is not None else ""


def record_sign_in_event(
    *, kind: str, user: User | None, request: HttpRequest | None, by: User | None = None
) -> SignInEvent | None:
    """Note `kind` for `user` (None: an unknown user name) from the address
    of `request`. Returns the row, or None when nothing was noted (a lock
    already noted within the lockout period: a locked attempt says nothing
    new until the lock has lifted)."""
    network = address_network(client_address(request)) if request is not None else ""
    if kind == Kind.LOCKED_OUT and _lock_already_noted(user=user, network=network):
        return None
    return SignInEvent.objects.create(
        kind=kind,
        user=user,
        actor_name=user.get_username() if user is not None else "",
        by_name=by.get_username() if by is not None else "",
        municipality_id=user.municipality_id if user is not None else None,
        network=network,
        at=clock.now(),
    )


def staff_member_named(username: object) -> User | None:
    """The account with exactly this user name, as the password backend
    would find it; None for anything else."""
    if not isinstance(username, str) or not username or len(username) > 150 or "\x00" in username:
        return None
    model = get_user_model()
    found = model._default_manager.filter(**{model.USERNAME_FIELD: username}).first()
    return found if isinstance(found, User) else None


def _lock_already_noted(*, user: User | None, network: str) -> bool:
    since = clock.now() - timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    noted = SignInEvent.objects.filter(kind=Kind.LOCKED_OUT, at__gte=since)
    if user is not None:
        return noted.filter(user=user).exists()
    return noted.filter(user__isnull=True, network=network).exists()


# The receivers (apps.py connects them). Each takes the signal's arguments.


def note_signed_in(*, request: HttpRequest | None = None, user: object = None, **_: Any) -> None:
    # Where the second step is still to come (sign_in marks the request),
    # the password alone is noted; sign_in notes SIGNED_IN after the step.
    if isinstance(user, User):
        to_come = getattr(request, SECOND_FACTOR_TO_COME, False)
        kind = Kind.PASSWORD_ACCEPTED if to_come else Kind.SIGNED_IN
        record_sign_in_event(kind=kind, user=user, request=request)


def note_signed_out(*, request: HttpRequest | None = None, user: object = None, **_: Any) -> None:
    # Signing out without being signed in (user None) is nothing to note.
    if isinstance(user, User):
        record_sign_in_event(kind=Kind.SIGNED_OUT, user=user, request=request)


def note_failed(
    *, credentials: dict[str, Any] | None = None, request: HttpRequest | None = None, **_: Any
) -> None:
    if request is not None and getattr(request, "axes_locked_out", False):
        return  # refused by the lock, which is noted (once) as such
    # A backend that takes no user name (single sign-on refusing a token,
    # say) names nobody: the row says an unknown name, and hides nothing.
    user = staff_member_named((credentials or {}).get(get_user_model().USERNAME_FIELD))
    kind = Kind.FAILED if user is not None else Kind.FAILED_UNKNOWN_NAME
    record_sign_in_event(kind=kind, user=user, request=request)


def note_second_factor_failed(
    *, request: HttpRequest | None = None, user: object = None, **_: Any
) -> None:
    """A wrong code (or passkey) in the second step of sign-in."""
    if request is not None and isinstance(user, User):
        record_sign_in_event(kind=Kind.SECOND_FACTOR_FAILED, user=user, request=request)


def note_locked_out(*, request: HttpRequest | None = None, **_: Any) -> None:
    # Axes's signal names the account as the lockout keeps it, a keyed hash
    # (sign_in/lockout.py); the name typed is in the credentials it set.
    credentials = getattr(request, "axes_credentials", None) or {}
    typed = credentials.get(get_user_model().USERNAME_FIELD)
    record_sign_in_event(kind=Kind.LOCKED_OUT, user=staff_member_named(typed), request=request)
