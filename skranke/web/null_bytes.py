"""Requests carrying a NUL character are refused with 400 before any view.

No address, form field or API field of Skranke's has a use for one, and
PostgreSQL refuses NUL in text, so a lookup with it would fail with a 500
(the API fuzz test found it, with ?location=%00). Checked once here rather
than in every view: the path, the query, form fields and JSON bodies."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _


class RefuseNullBytesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if carries_null_byte(request):
            message = _("The request contains a character that is not allowed.")
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"error": "invalid", "message": message, "fields": {}}, status=400
                )
            return HttpResponseBadRequest(message)
        return self.get_response(request)


def carries_null_byte(request: HttpRequest) -> bool:
    if "\x00" in request.path:
        return True
    for key, values in request.GET.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            return True
    if request.content_type == "application/json":
        # JSON writes NUL as \u0000; a raw NUL byte is not valid JSON at all.
        return b"\\u0000" in request.body or b"\x00" in request.body
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        for key, values in request.POST.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return True
    return False
