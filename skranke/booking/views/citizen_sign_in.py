"""Signing in with MitID while booking (sign_in/citizen_sign_in.py does
the work): to the municipality's broker and back, then on to the booking
step the citizen came from."""

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from skranke.core.context_processors import current_municipality
from skranke.core.next_page import choose_next_page
from skranke.sign_in.citizen_sign_in import (
    begin_citizen_sign_in,
    broker_for,
    finish_citizen_sign_in,
    log_citizen_refusal,
)
from skranke.sign_in.openid_connect import SignOnRefused


def sign_in_url(*, next_url: str) -> str:
    """The address that signs in with MitID and comes back to `next_url`."""
    return reverse("booking:citizen_sign_in") + "?" + urlencode({"next": next_url})


def _return_uri(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("booking:citizen_sign_in_return"))


def _local(request: HttpRequest, url: str) -> str:
    """`url` if it is a path on this site, else the start of booking."""
    return choose_next_page(
        request=request, wanted=url, otherwise=reverse("booking:choose_service")
    )


@never_cache
@require_GET
def sign_in_with_mitid(request: HttpRequest) -> HttpResponse:
    broker = broker_for(municipality=current_municipality())
    if broker is None:
        raise Http404
    try:
        url = begin_citizen_sign_in(
            session=request.session,
            broker=broker,
            redirect_uri=_return_uri(request),
            next_url=_local(request, request.GET.get("next", "")),
        )
    except SignOnRefused as refusal:
        log_citizen_refusal(refusal=refusal)
        return render(request, "booking/sign_in_refused.html", status=502)
    return HttpResponseRedirect(url)


@never_cache
@require_GET
def return_from_mitid(request: HttpRequest) -> HttpResponse:
    try:
        signed_in = finish_citizen_sign_in(
            session=request.session, redirect_uri=_return_uri(request), answer=request.GET
        )
    except SignOnRefused as refusal:
        log_citizen_refusal(refusal=refusal)
        return render(request, "booking/sign_in_refused.html", status=400)
    return HttpResponseRedirect(_local(request, signed_in.next_url))
