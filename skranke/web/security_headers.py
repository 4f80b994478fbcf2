"""The browser's own defences, on every response the app makes.

- Content-Security-Policy: scripts, styles, images, fonts and fetches come
  from this site only, and nothing inline runs or styles a page. A text a
  citizen typed that slipped past escaping still could not run, load a
  script from elsewhere, post a form elsewhere or frame the page. The
  templates keep to it: scripts and styles are files, no style="…", no
  onclick="…" (tests/core/test_security_headers.py; the browser tests fail
  on any CSP violation in the console).
- Permissions-Policy: no page uses the camera, microphone, position,
  payments or devices (the kiosk's scanner is a keyboard to the browser;
  the display's chime needs no permission), so a script that got in could
  not either.
- Cache-Control: no-store. Staff pages and a citizen's booking carry
  personal data that must not stay in a shared browser's cache or a proxy;
  the rest of the app's pages are availability, which is stale at once.
  So every response says no-store, except where a view says itself how it
  may be cached (the waiting-room board, checked by its ETag). Static files
  are served by WhiteNoise before this middleware and keep their long
  caching.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)

# The API's documentation page (Swagger UI, served from this site) draws its
# icons from data: URLs in its style sheet; images cannot run anything.
RELAXED_POLICIES = {
    "api-v1:openapi-view": CONTENT_SECURITY_POLICY.replace(
        "img-src 'self'", "img-src 'self' data:"
    ),
}

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in [
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
    ]
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view_name = match.view_name if match else ""
        response.headers.setdefault(
            "Content-Security-Policy", RELAXED_POLICIES.get(view_name, CONTENT_SECURITY_POLICY)
        )
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cache-Control", "no-store")
        return response
