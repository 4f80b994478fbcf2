"""Times every request for the metrics and, where the log level lets it,
writes one log line per request: its route, method, status and duration,
never its path or query string."""

import logging
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from skranke.monitoring.json_logs import current_request_id
from skranke.monitoring.metrics import method_of, observe_request, route_of, status_class

# At INFO with LOG_FORMAT=json (settings.py), where it takes the place of
# gunicorn's access log; quiet otherwise, where the access log says it.
request_logger = logging.getLogger("skranke.requests")


class RequestMetricsMiddleware:
    """First in MIDDLEWARE, so that it times everything the other
    middleware do and counts the answers they give themselves (a static
    file, a redirect to HTTPS, the 503 page while the database is down)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.static_url = settings.STATIC_URL or ""

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = uuid.uuid4().hex[:16]
        reset = current_request_id.set(request_id)
        started = time.perf_counter()
        try:
            # Django turns any exception into a response inside each
            # middleware, so there is always one here.
            response = self.get_response(request)
            seconds = time.perf_counter() - started
            route = route_of(request, static_url=self.static_url)
            method = method_of(request)
            status = status_class(response.status_code)
            observe_request(route=route, method=method, status=status, seconds=seconds)
            request_logger.info(
                "%s %s %s",
                method,
                route,
                response.status_code,
                extra={
                    "request_id": request_id,
                    "route": route,
                    "method": method,
                    "status": response.status_code,
                    "duration_ms": round(seconds * 1000, 1),
                },
            )
            return response
        finally:
            current_request_id.reset(reset)
