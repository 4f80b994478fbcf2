"""Every error the API answers has one shape:
{"error": code, "message": text, "fields": {field: text}}."""

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.utils import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError

from skranke.core.errors import DomainError
from skranke.rate_limits.limits import RateLimited
from skranke.rate_limits.responses import add_rate_limit_headers, too_many_message
from skranke.web.database_down import database_down_response


def error_body(code: str, message: str, fields: dict[str, str] | None = None) -> dict[str, Any]:
    return {"error": code, "message": message, "fields": fields or {}}


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _field_name(location: list[Any]) -> str:
    # ninja reports ["query", "from"] or ["body", "payload", "phone"].
    names = [str(part) for part in location if part not in ("body", "query", "path", "payload")]
    return ".".join(names) or "request"


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def invalid_input(request: HttpRequest, error: ValidationError) -> HttpResponse:
        fields = {
            _field_name(list(item.get("loc", []))): str(item.get("msg", ""))
            for item in error.errors
        }
        return api.create_response(
            request, error_body("invalid", _("Some of the input is not valid."), fields), status=422
        )

    @api.exception_handler(DomainError)
    def booking_refused(request: HttpRequest, error: DomainError) -> HttpResponse:
        fields = {error.field: str(error.message)} if error.field else {}
        return api.create_response(
            request, error_body(error.code, str(error.message), fields), status=error.status
        )

    @api.exception_handler(ApiError)
    def api_error(request: HttpRequest, error: ApiError) -> HttpResponse:
        return api.create_response(
            request, error_body(error.code, error.message), status=error.status
        )

    @api.exception_handler(RateLimited)
    def rate_limited(request: HttpRequest, error: RateLimited) -> HttpResponse:
        response = api.create_response(
            request, error_body("rate_limited", too_many_message()), status=429
        )
        return add_rate_limit_headers(response, error.decision)

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
        return api.create_response(request, error_body("forbidden", _("Not allowed.")), status=403)

    @api.exception_handler(OperationalError)
    @api.exception_handler(InterfaceError)
    def database_down(request: HttpRequest, error: Exception) -> HttpResponse:
        # 503 in the usual shape, one log line and no traceback
        # (skranke/web/database_down.py).
        return database_down_response(request, error)

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, error: Exception) -> HttpResponse:
        # Logged as Django logs a failed request (the traceback goes to the
        # log and, in production, the reports without citizens' data); the
        # client gets the API's own shape, never a traceback.
        logging.getLogger("django.request").error(
            "Internal Server Error: %s",
            request.path,
            exc_info=error,
            extra={"status_code": 500, "request": request},
        )
        response = api.create_response(
            request,
            error_body(
                "server_error", _("Something went wrong on our side. Please try again in a moment.")
            ),
            status=500,
        )
        response._has_been_logged = True  # type: ignore[attr-defined]  # once, with the traceback
        return response

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, error: Http404) -> HttpResponse:
        return api.create_response(request, error_body("not_found", _("Not found.")), status=404)
