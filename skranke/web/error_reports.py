"""Error reports without citizens' data.

When a request fails, Django mails a report to ADMINS with the request's
parameters, cookies, full address and every local variable of the
traceback: a citizen's name and phone number, a booking's secret token (the
API carries it in the query string). Those must not leave the server in an
e-mail. In production the reports keep the traceback, the path and the
names of the parameters and variables, and hide their values; with DEBUG
on (a developer's own machine and demo data) they show everything.
"""

from types import FrameType
from typing import Any

from django.http import HttpRequest
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter


class PrivateExceptionReporterFilter(SafeExceptionReporterFilter):
    def get_post_parameters(self, request: HttpRequest | None) -> Any:
        if request is None or not self.is_active(request):
            return super().get_post_parameters(request)
        return dict.fromkeys(request.POST, self.cleansed_substitute)

    def get_safe_cookies(self, request: HttpRequest) -> dict[str, Any]:
        if not self.is_active(request):
            return super().get_safe_cookies(request)
        return dict.fromkeys(request.COOKIES, self.cleansed_substitute)

    def get_safe_request_meta(self, request: HttpRequest) -> dict[str, Any]:
        meta = super().get_safe_request_meta(request)
        if self.is_active(request):
            # The query string and the page the citizen came from may both
            # carry a token or a phone number.
            for key in ("QUERY_STRING", "HTTP_REFERER"):
                if key in meta:
                    meta[key] = self.cleansed_substitute
        return meta

    def get_traceback_frame_variables(
        self, request: HttpRequest | None, tb_frame: FrameType
    ) -> Any:
        if not self.is_active(request):
            return super().get_traceback_frame_variables(request, tb_frame)
        return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]


class PrivateExceptionReporter(ExceptionReporter):
    def get_traceback_data(self) -> dict[str, Any]:
        data: dict[str, Any] = super().get_traceback_data()
        if self.request is not None and self.filter.is_active(self.request):
            substitute = self.filter.cleansed_substitute
            data["request_GET_items"] = [(key, substitute) for key in self.request.GET]
            data["request_insecure_uri"] = self.request.path
        return data
