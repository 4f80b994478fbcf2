"""The pages shown when something goes wrong: not found (404), not allowed
(403), bad request (400) and our own fault (500), in Danish and English,
with a way forward. Under /api/ the same answers come in the API's JSON
error shape, so that a client never has to parse HTML.

The 500 page is rendered without the request's context processors (the
database may be what failed), so it reads nothing but the template."""

import sys
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

from skranke.web.database_down import DATABASE_ERRORS, database_down_response

API_PREFIX = "/api/"


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def api_error_response(*, status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": code, "message": message, "fields": {}}, status=status)


# Signed-in staff see an error within their own pages (their name, sign
# out), not the citizen's header; everyone else the citizen's.
STAFF_BASE = "accounts/staff_base.html"
CITIZEN_BASE = "base.html"


def _page(request: HttpRequest, *, template: str, status: int) -> HttpResponse:
    user = getattr(request, "user", None)
    base = STAFF_BASE if user is not None and user.is_authenticated else CITIZEN_BASE
    return HttpResponse(
        loader.render_to_string(template, {"base_template": base}, request=request),
        status=status,
    )


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    if _is_api(request):
        return api_error_response(status=400, code="bad_request", message=_("Bad request."))
    return _page(request, template="errors/400.html", status=400)


def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    if _is_api(request):
        return api_error_response(status=403, code="forbidden", message=_("Not allowed."))
    return _page(request, template="errors/403.html", status=403)


def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    if _is_api(request):
        return api_error_response(status=404, code="not_found", message=_("Not found."))
    return _page(request, template="errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this while handling the exception. A database that is
    # down, met in a middleware rather than a view (a session being
    # saved), gets the same 503 as everywhere else.
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_ERRORS):
        return database_down_response(request, error)
    if _is_api(request):
        return api_error_response(
            status=500,
            code="server_error",
            message=_("Something went wrong on our side. Please try again in a moment."),
        )
    return HttpResponse(loader.render_to_string("errors/500.html"), status=500)
