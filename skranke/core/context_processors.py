"""What every page's layout needs: the municipality shown in header and
footer, and whether the clock is a training clock."""

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


def municipality(request: HttpRequest) -> dict[str, object]:
    current = current_municipality()
    if current:
        remember_contact(name=current.name, phone=current.phone)
    return {
        "municipality": current,
        "accessibility_statement_url": current.accessibility_statement_url if current else "",
        "training_clock": clock.local_now() if clock.is_training() else None,
    }
