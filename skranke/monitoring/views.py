"""/metrics, for Prometheus, behind a bearer token (METRICS_TOKEN).

Without a token configured the address does not exist (404). A request
without the token, or with a wrong one, learns nothing but that (401, 403);
the token is compared in constant time."""

import secrets

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from skranke.monitoring.metrics import REGISTRY


def bearer_token(request: HttpRequest) -> str:
    """The token of an `Authorization: Bearer …` header; "" without one."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


@require_safe
@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    expected = settings.METRICS_TOKEN
    if not expected:
        raise Http404
    given = bearer_token(request)
    if not given:
        response = HttpResponse("401 Unauthorized\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    if not secrets.compare_digest(expected.encode(), given.encode()):
        return HttpResponse("403 Forbidden\n", status=403, content_type="text/plain")
    return HttpResponse(generate_latest(REGISTRY), content_type=CONTENT_TYPE_LATEST)
