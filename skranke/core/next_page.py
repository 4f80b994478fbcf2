"""Where a browser goes after signing in: the page it asked for, if that is
a page of this site, else the page given. A `next` taken as it stands from
the address would let a link send someone who signs in to another site."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def choose_next_page(*, request: HttpRequest, wanted: str, otherwise: str) -> str:
    """`wanted` if it is a path on this site, else `otherwise`."""
    if wanted.startswith("/") and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return otherwise
