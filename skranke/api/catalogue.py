"""Where citizens can go and what they can book there."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from skranke.core.models import Location, Service

router = Router(tags=["catalogue"])


class LocationOut(Schema):
    slug: str
    name: str
    address: str


class ServiceOut(Schema):
    slug: str
    name: str
    duration_minutes: int
    kind: str
    booking_required: bool


@router.get("/locations", response=list[LocationOut])
def list_locations(request: HttpRequest) -> list[Location]:
    return list(Location.objects.order_by("name"))


@router.get("/services", response=list[ServiceOut])
def list_services(request: HttpRequest, location: str) -> list[Service]:
    """The services offered at a location, names in the Accept-Language
    language (Danish by default)."""
    place = get_object_or_404(Location, slug=location)
    return list(place.services.filter(active=True).order_by("position", "name_da"))
