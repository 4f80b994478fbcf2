"""Single sign-on's two pages: the start, which sends the browser to the
municipality's identity provider, and the return from there, which signs
the staff member in (skranke/sign_in/single_sign_on.py does the work).

Both are reached before the second factor (mfa.BEFORE_SECOND_FACTOR): the
sign-in itself happens here."""

from django.conf import settings
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from skranke.accounts.models import SingleSignOn
from skranke.core.next_page import choose_next_page
from skranke.sign_in.mfa import (
    mark_second_factor_to_come,
    record_outside_second_factor,
    second_factor_url,
    user_awaiting_second_factor,
)
from skranke.sign_in.openid_connect import SignOnRefused
from skranke.sign_in.single_sign_on import begin_sign_on, finish_sign_on, log_refusal

# The provider vouched for the person; the password backend signs them in,
# as with a password (its checks: the account is active). It is not asked
# to authenticate, so an account throttled for wrong passwords (lockout.py)
# still signs in here: the provider has done the checking.
BACKEND = "skranke.sign_in.lockout.ThrottledAccountBackend"


def _redirect_uri(request: HttpRequest) -> str:
    """The address the provider sends the browser back to: the one to
    register with the provider (docs/sign-in.md)."""
    return request.build_absolute_uri(reverse("sign_in:single_sign_on_return"))


def _safe_next(request: HttpRequest, wanted: str) -> str:
    return choose_next_page(
        request=request, wanted=wanted, otherwise=reverse(settings.LOGIN_REDIRECT_URL)
    )


# What the staff member is told, and the status, for each reason of refusal.
REFUSALS: dict[str, tuple[Promise, int]] = {
    "expired": (
        _("The sign-in took too long or was started in another browser window. Please try again."),
        400,
    ),
    "state": (
        _("The answer from the identity provider did not belong to this sign-in. Try again."),
        400,
    ),
    "declined": (_("The identity provider did not sign you in."), 403),
    "unreachable": (
        _(
            "The identity provider could not be reached. Try again in a moment, or sign "
            "in with your username and password."
        ),
        502,
    ),
    "misconfigured": (
        _("Single sign-on is not set up correctly. Contact your administrator."),
        502,
    ),
    "token": (
        _(
            "The identity provider's answer could not be verified, so you have not been "
            "signed in. Contact your administrator if it happens again."
        ),
        400,
    ),
    "unknown": (
        _("Your user has not been set up in Skranke — contact your administrator."),
        403,
    ),
    "inactive": (
        _("Your user in Skranke has been deactivated — contact your administrator."),
        403,
    ),
}


def _refused_page(request: HttpRequest, refusal: SignOnRefused) -> HttpResponse:
    log_refusal(refusal=refusal)
    message, status = REFUSALS[refusal.reason]
    return render(
        request, "sign_in/single_sign_on_refused.html", {"message": message}, status=status
    )


@never_cache
@require_GET
def start(request: HttpRequest, provider_id: int) -> HttpResponse:
    provider = SingleSignOn.objects.filter(pk=provider_id, enabled=True).first()
    if provider is None:
        raise Http404
    try:
        url = begin_sign_on(
            session=request.session,
            provider=provider,
            redirect_uri=_redirect_uri(request),
            next_url=_safe_next(request, request.GET.get("next", "")),
        )
    except SignOnRefused as refusal:
        return _refused_page(request, refusal)
    return HttpResponseRedirect(url)


@never_cache
@require_GET
def finish(request: HttpRequest) -> HttpResponse:
    try:
        sign_on = finish_sign_on(
            session=request.session, redirect_uri=_redirect_uri(request), answer=request.GET
        )
    except SignOnRefused as refusal:
        return _refused_page(request, refusal)
    outside = sign_on.provider.counts_as_second_factor
    mark_second_factor_to_come(request=request, user=sign_on.user, outside=outside)
    login(request, sign_on.user, backend=BACKEND)
    if outside:
        record_outside_second_factor(request=request)
    next_url = _safe_next(request, sign_on.next_url)
    user = user_awaiting_second_factor(request=request)
    if user is not None:
        return HttpResponseRedirect(second_factor_url(user=user, next_url=next_url))
    return HttpResponseRedirect(next_url)
