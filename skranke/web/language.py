"""Danish unless the visitor chose English.

Django's LocaleMiddleware would follow the browser's Accept-Language, and
many Danes run their computers in English; a municipality's pages are in
Danish until the visitor picks another language with the switch on every
page (which sets Django's language cookie). The API, which has no pages
and no switch, follows Accept-Language."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header


class ChosenLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            chosen = self._accepted(request.headers.get("Accept-Language", ""))
        else:
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response

    def _accepted(self, header: str) -> str:
        """The first supported language of an Accept-Language header."""
        for tag, _quality in parse_accept_lang_header(header):
            primary = tag.split("-")[0].lower()
            if primary in self.supported:
                return primary
        return ""
