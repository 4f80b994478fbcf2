"""How a refused use is answered: 429 Too Many Requests with Retry-After
(RFC 9110) and the RateLimit-Limit/-Remaining/-Reset headers of the IETF
draft, as a friendly page for people and in the API's error shape for
programs."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from skranke.rate_limits.allowance import Decision
from skranke.rate_limits.limits import Limit, spend

View = Callable[..., HttpResponse]


def add_rate_limit_headers(response: HttpResponse, decision: Decision) -> HttpResponse:
    response["RateLimit-Limit"] = str(decision.limit)
    response["RateLimit-Remaining"] = str(decision.remaining)
    response["RateLimit-Reset"] = str(decision.retry_after)
    if not decision.allowed:
        response["Retry-After"] = str(decision.retry_after)
    return response


def too_many_message() -> str:
    return _("Too many attempts in a short time. Please wait a little and try again.")


def too_many_page(request: HttpRequest, decision: Decision) -> HttpResponse:
    minutes = max(1, -(-decision.retry_after // 60))
    response = render(request, "rate_limits/too_many.html", {"minutes": minutes}, status=429)
    return add_rate_limit_headers(response, decision)


def too_many_json(decision: Decision) -> HttpResponse:
    # The API's one error shape (api/errors.py), without importing the API here.
    body = {"error": "rate_limited", "message": too_many_message(), "fields": {}}
    return add_rate_limit_headers(JsonResponse(body, status=429), decision)


def limit_rate(
    limit: Limit, *, key: Callable[[HttpRequest], str], methods: tuple[str, ...] = ("POST",)
) -> Callable[[View], View]:
    """A view whose `methods` requests each spend one use of `limit` for
    `key(request)`; past the limit it answers the 429 page instead."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method in methods:
                decision = spend(limit, value=key(request))
                if not decision.allowed:
                    return too_many_page(request, decision)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
