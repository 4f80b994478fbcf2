"""What every page's layout needs: the municipality shown in header and
footer, and whether the clock is a training clock.

One installation may serve several municipalities: a page shows the one
it is about. A view that knows (a citizen's own booking) names it on the
request (`presented_municipality_id`); otherwise the signed-in staff
member's, the kiosk's or display's, the location's in the address, and
only then the installation's own (current_municipality)."""

from django.conf import settings
from django.http import HttpRequest

from skranke.core import clock
from skranke.core.models import Municipality
from skranke.web.database_down import remember_contact


def current_municipality() -> Municipality | None:
    """The municipality this installation presents to citizens: the one named
    by SKRANKE_MUNICIPALITY, or the first there is."""
    municipalities = Municipality.objects.order_by("pk")
    if settings.SKRANKE_MUNICIPALITY:
        municipalities = municipalities.filter(slug=settings.SKRANKE_MUNICIPALITY)
    return municipalities.first()


def presented_municipality(request: HttpRequest) -> Municipality | None:
    """The municipality `request`'s page is about."""
    municipality_id = getattr(request, "presented_municipality_id", None)
    user = getattr(request, "user", None)
    if municipality_id is None and user is not None and user.is_authenticated:
        municipality_id = getattr(user, "municipality_id", None)
    device = getattr(request, "device", None)  # a kiosk or display (accounts/devices.py)
    if municipality_id is None and device is not None:
        municipality_id = device.location.municipality_id
    match = request.resolver_match
    slug = match.kwargs.get("location") if match is not None else None
    # One query on every page, whichever way the municipality is known.
    found = None
    if municipality_id is not None:
        found = Municipality.objects.filter(pk=municipality_id).first()
    elif isinstance(slug, str):
        found = Municipality.objects.filter(locations__slug=slug).first()
    return found or current_municipality()


def municipality(request: HttpRequest) -> dict[str, object]:
    current = presented_municipality(request)
    if current:
        remember_contact(name=current.name, phone=current.phone)
    return {
        "municipality": current,
        "accessibility_statement_url": current.accessibility_statement_url if current else "",
        "training_clock": clock.local_now() if clock.is_training() else None,
    }
