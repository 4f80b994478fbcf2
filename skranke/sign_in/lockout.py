"""Sign-in is locked after repeated wrong passwords, per account and per
address, by django-axes (settings: LOGIN_FAILURE_LIMIT,
LOGIN_ADDRESS_FAILURE_LIMIT, LOGIN_LOCKOUT_MINUTES; docs/sign-in.md).

An account is locked after a few failures, whoever tries. An address gets a
much higher limit of its own: a town hall's staff reach the internet through
one address, and one colleague's typing must not lock out the others, while
someone trying many accounts from one place is still stopped."""

import math
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_ip_address, get_client_username
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Max, Q, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import ngettext

from skranke.accounts.models import User


def _failures(attempts: QuerySet[AccessAttempt]) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class AccountOrAddressHandler(AxesDatabaseHandler):
    """Axes' database handler with a limit for the address of its own.

    Axes compares one number with its failure limit (LOGIN_FAILURE_LIMIT):
    the account's failures, and the address's scaled so that they reach
    that limit exactly when they reach LOGIN_ADDRESS_FAILURE_LIMIT."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        by_account, by_address = self.get_user_attempts(request, credentials)
        address = _failures(by_address) * settings.LOGIN_FAILURE_LIMIT
        return max(_failures(by_account), address // settings.LOGIN_ADDRESS_FAILURE_LIMIT)

    def reset_user_attempts(
        self, request: HttpRequest, credentials: dict[str, Any] | None = None
    ) -> int:
        """After a successful sign-in (AXES_RESET_ON_SUCCESS): the account's
        failures only. One account's success says nothing of the others
        tried from the same address."""
        by_account, _ = self.filter_user_attempts(request, credentials)
        removed, _ = by_account.delete()
        return removed


def minutes_until_unlocked(*, request: HttpRequest, credentials: dict[str, Any] | None) -> int:
    """Whole minutes (at least one) until the lock on this sign-in lifts:
    the lockout time after the latest failure for the account or address."""
    username = get_client_username(request, credentials)
    address = get_client_ip_address(request)
    latest = AccessAttempt.objects.filter(Q(username=username) | Q(ip_address=address)).aggregate(
        latest=Max("attempt_time")
    )["latest"]
    lockout = settings.LOGIN_LOCKOUT_MINUTES * 60
    if latest is None:
        return settings.LOGIN_LOCKOUT_MINUTES
    # Axes stamps its attempts with the machine's clock, so it is compared
    # with that clock here, not with the project's (movable) one.
    left = lockout - (timezone.now() - latest).total_seconds()  # noqa: TID251
    return max(1, math.ceil(left / 60))


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The sign-in page again, saying why and for how long (AXES_LOCKOUT_CALLABLE)."""
    minutes = minutes_until_unlocked(request=request, credentials=credentials)
    message = ngettext(
        "Too many failed attempts. Try again in %(minutes)d minute or ask your administrator.",
        "Too many failed attempts. Try again in %(minutes)d minutes or ask your administrator.",
        minutes,
    ) % {"minutes": minutes}
    return render(
        request,
        "sign_in/login.html",
        {"form": AuthenticationForm(request), "locked_out": message, "next": ""},
        status=429,
    )


def unlock_sign_in(*, user: User) -> int:
    """Forget the failed sign-ins for `user`'s account, so they may sign in
    at once. The number of records removed."""
    return reset(username=user.get_username())
