"""A limit per address on the API for anonymous callers: everyone but
signed-in staff and the holders of a valid device or integration token
(those are known, and limited where it matters: check-ins per device).
A made-up token does not escape the limit: it is looked up first.

The SMS provider's webhooks are counted at their own, higher limit: the
provider posts a report per message, hundreds a minute from a few
addresses. Their views count each signature, or, when it is not valid,
the caller as any stranger (limits.spend_signed_post_allowance)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from skranke.accounts.devices import find_device
from skranke.accounts.models import IntegrationToken
from skranke.accounts.tokens import bearer_token, find_holder
from skranke.rate_limits.limits import (
    ANONYMOUS_API_PER_ADDRESS,
    PROVIDER_WEBHOOKS_PER_NETWORK,
    network_of_caller,
    spend,
)
from skranke.rate_limits.responses import add_rate_limit_headers, too_many_json
from skranke.web.database_down import DATABASE_ERRORS, database_down_response

API_PREFIX = "/api/"
# The description of the API is the same for everyone and reads no data.
DESCRIPTION_ENDINGS = ("/openapi.json", "/docs")
# GatewayAPI's webhooks (api/delivery_reports.py, api/text_replies.py).
PROVIDER_WEBHOOKS = "/api/v1/notifications/gatewayapi/"


def is_known_caller(request: HttpRequest) -> bool:
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        return True
    token = bearer_token(request=request)
    if not token:
        return False
    return find_device(token=token) is not None or (
        find_holder(holders=IntegrationToken.objects.all(), token=token) is not None
    )


class AnonymousApiLimitMiddleware:
    """After AuthenticationMiddleware, which tells staff apart."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX) or request.path.endswith(DESCRIPTION_ENDINGS):
            return self.get_response(request)
        try:
            if request.path.startswith(PROVIDER_WEBHOOKS):
                limit = PROVIDER_WEBHOOKS_PER_NETWORK
            elif is_known_caller(request):
                return self.get_response(request)
            else:
                limit = ANONYMOUS_API_PER_ADDRESS
            decision = spend(limit, value=network_of_caller(request))
        except DATABASE_ERRORS as error:
            # Before any view: a database that is down gets the API's 503
            # here, as it would from a view.
            return database_down_response(request, error)
        if not decision.allowed:
            return too_many_json(decision)
        response = self.get_response(request)
        if "RateLimit-Limit" in response:  # a view's own, tighter limit speaks
            return response
        return add_rate_limit_headers(response, decision)
