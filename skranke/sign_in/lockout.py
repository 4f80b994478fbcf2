"""Sign-in is locked after repeated wrong passwords, by django-axes
(settings: LOGIN_FAILURE_LIMIT, LOGIN_ADDRESS_FAILURE_LIMIT,
LOGIN_ACCOUNT_FAILURE_LIMIT, LOGIN_LOCKOUT_MINUTES; docs/sign-in.md).

A lock must stop the one guessing, not the staff member guessed at: anyone
who knows a user name could otherwise keep a front desk from working with
a wrong password every few minutes. So

- an account is locked from one network (an IPv4 address, an IPv6 /64;
  web/client_address.py) after a few failures there; from every other
  network it signs in as usual;
- a network is locked, whatever account it tries, at a much higher limit:
  a town hall's staff share one address, and one colleague's typing must
  not lock out the others, while someone trying many accounts is stopped;
- an account failed from many networks is throttled, not locked: the right
  password goes on only to the second factor (ThrottledAccountBackend), so
  a guessed password alone lets no one in, and the real person still can.

Axes stores the network, not the address, and the user name typed only as
a keyed hash: often it is a password typed in the wrong field."""

import math
from datetime import datetime
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_ip_address, get_client_username
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.db.models import Max, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import ngettext
from django_otp import user_has_device

from skranke.accounts.models import User
from skranke.accounts.sign_in_forms import REFUSAL_ATTRIBUTE
from skranke.rate_limits.limits import keyed_hash
from skranke.sign_in.mfa import demand_second_factor, mark_second_factor_to_come


def hashed_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str | None:
    """The user name typed, as axes keeps it (AXES_USERNAME_CALLABLE): a
    keyed hash of it in lower case, so that "Anna" and "anna" count
    together. None when none was typed."""
    if credentials is not None:
        typed = credentials.get("username")
    else:
        typed = getattr(request, "POST", {}).get("username")
    return _hashed(typed) if isinstance(typed, str) and typed else None


def _hashed(username: str) -> str:
    return "user:" + keyed_hash(username.strip().casefold())


def _failures(attempts: QuerySet[AccessAttempt]) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class AccountOrAddressHandler(AxesDatabaseHandler):
    """Axes' database handler weighing the three counts of
    AXES_LOCKOUT_PARAMETERS: the account from this network, the network,
    and the account from anywhere.

    Axes compares one number with its failure limit (LOGIN_FAILURE_LIMIT):
    the account's failures from this network, and the network's scaled so
    that they reach that limit exactly when they reach
    LOGIN_ADDRESS_FAILURE_LIMIT. The account's failures from anywhere lock
    nothing (they throttle: ThrottledAccountBackend)."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        from_here, by_network, _ = self.get_user_attempts(request, credentials)
        network = _failures(by_network) * settings.LOGIN_FAILURE_LIMIT
        return max(_failures(from_here), network // settings.LOGIN_ADDRESS_FAILURE_LIMIT)

    def reset_user_attempts(
        self, request: HttpRequest, credentials: dict[str, Any] | None = None
    ) -> int:
        """After a successful sign-in (AXES_RESET_ON_SUCCESS): the account's
        failures from this network only. The failures from elsewhere are
        someone else's, and so are other accounts' from here."""
        from_here, _, _ = self.filter_user_attempts(request, credentials)
        removed, _ = from_here.delete()
        return removed


def _lock_start() -> datetime:
    # Axes stamps its attempts with the machine's clock, so they are
    # compared with that clock here, not with the project's (movable) one.
    return timezone.now() - settings.AXES_COOLOFF_TIME  # noqa: TID251


def _recent(attempts: QuerySet[AccessAttempt]) -> QuerySet[AccessAttempt]:
    return attempts.filter(attempt_time__gte=_lock_start())


def _older(attempts: QuerySet[Any]) -> QuerySet[Any]:
    return attempts.filter(attempt_time__lt=_lock_start())


def account_throttled(*, request: HttpRequest, credentials: dict[str, Any]) -> bool:
    """Whether the account typed has failed LOGIN_ACCOUNT_FAILURE_LIMIT
    times within the lockout time, from all networks together."""
    username = get_client_username(request, credentials)
    if username is None:
        return False
    attempts = _recent(AccessAttempt.objects.filter(username=username))
    return _failures(attempts) >= settings.LOGIN_ACCOUNT_FAILURE_LIMIT


class ThrottledAccountBackend(ModelBackend):
    """The password backend, for an account under attack from many networks
    (account_throttled): the right password signs in only to the second
    factor, asked for whatever the sign-in settings say; an account without
    one is refused, with the lock's message, until the attack has passed
    or an administrator unlocks it."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        throttled = request is not None and account_throttled(
            request=request, credentials={"username": username}
        )
        if throttled:
            # Wrong or right, a password without a second factor gets the
            # lock's answer: the answer tells no one which it was.
            minutes = settings.LOGIN_LOCKOUT_MINUTES
            setattr(request, REFUSAL_ATTRIBUTE, locked_message(minutes=minutes))
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None or request is None:
            return user
        if throttled:
            if not user_has_device(user):
                raise PermissionDenied("account throttled")
            demand_second_factor(request=request)
        mark_second_factor_to_come(request=request, user=user)
        return user
        if account_throttled(request=request, credentials={"username": username}):
            if not user_has_device(user):
                minutes = settings.LOGIN_LOCKOUT_MINUTES
                setattr(request, REFUSAL_ATTRIBUTE, locked_message(minutes=minutes))
                raise PermissionDenied("account throttled")
            demand_second_factor(request=request)
        mark_second_factor_to_come(request=request, user=user)
        return user


def minutes_until_unlocked(*, request: HttpRequest, credentials: dict[str, Any] | None) -> int:
    """Whole minutes (at least one) until the lock on this sign-in lifts:
    the lockout time after the network's latest failure (the account's
    from here among them), so it never says too little."""
    network = get_client_ip_address(request)
    latest = AccessAttempt.objects.filter(ip_address=network).aggregate(latest=Max("attempt_time"))[
        "latest"
    ]
    lockout = settings.LOGIN_LOCKOUT_MINUTES * 60
    if latest is None:
        return settings.LOGIN_LOCKOUT_MINUTES
    left = lockout - (timezone.now() - latest).total_seconds()  # noqa: TID251
    return max(1, math.ceil(left / 60))


def locked_message(*, minutes: int) -> str:
    return ngettext(
        "Too many failed attempts. Try again in %(minutes)d minute or ask your administrator.",
        "Too many failed attempts. Try again in %(minutes)d minutes or ask your administrator.",
        minutes,
    ) % {"minutes": minutes}


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The sign-in page again, saying why and for how long (AXES_LOCKOUT_CALLABLE)."""
    minutes = minutes_until_unlocked(request=request, credentials=credentials)
    return render(
        request,
        "sign_in/login.html",
        {
            "form": AuthenticationForm(request),
            "locked_out": locked_message(minutes=minutes),
            "next": "",
        },
        status=429,
    )


def unlock_sign_in(*, user: User) -> int:
    """Forget the failed sign-ins for `user`'s account, from every network,
    so they may sign in at once. The number of records removed."""
    removed, _ = AccessAttempt.objects.filter(username=_hashed(user.get_username())).delete()
    return removed


def forget_old_sign_in_attempts() -> int:
    """Remove the failed sign-ins (axes' attempts and failure log) older
    than the lockout time: they count for nothing any more, and axes itself
    removes them only when a later attempt comes. The number removed."""
    attempts, _ = _older(AccessAttempt.objects.all()).delete()
    failures, _ = _older(AccessFailureLog.objects.all()).delete()
    return attempts + failures
