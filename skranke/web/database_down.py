"""What citizens, staff and API clients get while the database is down (or
restarting, or every pooled connection is taken): a calm 503 page in Danish
and English, or the API's JSON error shape with 503, never a traceback.

Django turns an exception into a response at every middleware, so nothing
can wrap the whole request in a try. Instead DatabaseDownMiddleware catches
the error where views and their templates raise it (process_exception),
the API's own handler catches it inside the API (skranke/api/errors.py),
and the 500 handler (skranke/web/error_pages.py) passes on to here what a
middleware raised, e.g. a session that could not be saved.

The page reads nothing from the database. It gives the municipality's phone
number only if this process has shown it on a page since it started."""

import logging
from collections.abc import Callable

from django.db.utils import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

# What the database being down (or restarting, or its pool exhausted) looks
# like to the code; the worker backs off on the same (worker/loop.py).
# OperationalError also covers a connection pool that timed out: Django
# wraps the driver's errors, psycopg_pool's PoolTimeout among them.
DATABASE_ERRORS = (OperationalError, InterfaceError)


def describe_database_error(error: BaseException) -> str:
    """The error in one short line for the log: its kind and first line
    ("OperationalError: connection refused"), no traceback."""
    first_line = (str(error).strip().splitlines() or [""])[0][:200]
    return f"{type(error).__name__}: {first_line}"


RETRY_AFTER_SECONDS = 30
API_PREFIX = "/api/"

logger = logging.getLogger("skranke.database")

# The municipality's name and phone number as last shown on a page. A plain
# global on purpose: the cache may itself be kept in the database.
_remembered_contact: tuple[str, str] | None = None


def remember_contact(*, name: str, phone: str) -> None:
    """Keep the municipality's name and phone for the page shown when the
    database is down. Called by the layout's context processor."""
    global _remembered_contact
    if phone and _remembered_contact != (name, phone):
        _remembered_contact = (name, phone)


def forget_contact() -> None:
    """Forget the remembered phone number. Tests only."""
    global _remembered_contact
    _remembered_contact = None


def database_down_response(request: HttpRequest, error: BaseException) -> HttpResponse:
    # One line per request, no traceback (the database being down is not a
    # bug in the code, and a traceback per request would bury the log).
    logger.error(
        "database unavailable, answered %s with 503 (%s)",
        request.path,
        describe_database_error(error),
    )
    response: HttpResponse
    if request.path.startswith(API_PREFIX):
        message = _("The service is unavailable right now. Please try again in a moment.")
        # The API's error shape (skranke/api/errors.py, which uses this).
        body = {"error": "unavailable", "message": message, "fields": {}}
        response = JsonResponse(body, status=503)
    else:
        name, phone = _remembered_contact or ("", "")
        page = loader.render_to_string(
            "errors/503.html", {"contact_name": name, "contact_phone": phone}
        )
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    response._has_been_logged = True  # type: ignore[attr-defined]  # the line above
    return response


class DatabaseDownMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_ERRORS):
            return database_down_response(request, exception)
        return None
