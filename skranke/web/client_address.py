"""The address a request comes from, behind the proxies this installation
trusts (TRUSTED_PROXY_COUNT): what the sign-in lockout, the rate limits and
the access log's sign-in events count."""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """The address a sign-in comes from. Behind TRUSTED_PROXY_COUNT proxies
    it is the one the outermost proxy appended to X-Forwarded-For; the
    entries before it are the client's own to make up."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        addresses = [address.strip() for address in forwarded.split(",") if address.strip()]
        if len(addresses) >= proxies:
            return addresses[-proxies]
    return request.META.get("REMOTE_ADDR")
