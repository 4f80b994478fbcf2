"""A small centre to book in: Monday to Friday 10-15, two desks handling a
20-minute passport errand and a 10-minute health-card errand, the clock
stopped on Monday 7 December 2026 at 08:00."""

from datetime import datetime, time

import pytest
from django.conf import settings
from django.test import Client

from skranke.accounts.devices import issue_device_token
from skranke.accounts.models import Device
from skranke.booking.availability import Policy
from skranke.booking.details import CitizenDetails
from skranke.core import clock
from skranke.core.models import Desk, DeskShift, Location, OpeningHours, Service

MONDAY = datetime(2026, 12, 7, 8, 0, tzinfo=clock.LOCAL_ZONE)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in December 2026, Copenhagen time."""
    return datetime(2026, 12, day, hour, minute, tzinfo=clock.LOCAL_ZONE)


@pytest.fixture
def centre(location: Location) -> Location:
    clock.set_now(MONDAY)
    for weekday in range(5):
        OpeningHours.objects.create(
            location=location, weekday=weekday, opens=time(10), closes=time(15)
        )
    passport = Service.objects.create(
        municipality=location.municipality, slug="pas", name_da="Pas", duration_minutes=20
    )
    card = Service.objects.create(
        municipality=location.municipality, slug="kort", name_da="Sundhedskort", duration_minutes=10
    )
    for service in (passport, card):
        service.locations.add(location)
    for name in ("1", "2"):
        desk = Desk.objects.create(location=location, name=name)
        for weekday in range(5):
            shift = DeskShift.objects.create(
                desk=desk, weekday=weekday, starts=time(10), ends=time(15)
            )
            shift.services.set([passport, card])
    return location


@pytest.fixture
def passport(centre: Location) -> Service:
    return Service.objects.get(slug="pas")


@pytest.fixture
def card(centre: Location) -> Service:
    return Service.objects.get(slug="kort")


@pytest.fixture
def postal_vote(centre: Location) -> Service:
    """An errand without a booking (ticket letter B), at both desks."""
    service = Service.objects.create(
        municipality=centre.municipality,
        slug="brevstemme",
        name_da="Brevstemme",
        name_en="Postal vote",
        duration_minutes=5,
        booking_required=False,
        ticket_letter="B",
    )
    service.locations.add(centre)
    for shift in DeskShift.objects.filter(desk__location=centre):
        shift.services.add(service)
    return service


@pytest.fixture
def citizens_policy(centre: Location) -> Policy:
    return Policy.for_citizens(centre)


def citizen(number: int = 0, **changes: object) -> CitizenDetails:
    details = {"name": f"Borger {number}", "phone": f"+45{20000000 + number}"} | changes
    return CitizenDetails(**details)  # type: ignore[arg-type]


def device_token(location: Location, kind: str) -> str:
    """A new device of `kind` at `location`; its token."""
    device = Device(name=f"{kind} 1", kind=kind, location=location)
    token = issue_device_token(device=device)
    device.save()
    return token


@pytest.fixture
def kiosk(centre: Location) -> Client:
    """A browser signed in as the centre's kiosk, in English."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.post("/enhed/", {"token": device_token(centre, Device.Kind.KIOSK)})
    return client


@pytest.fixture
def display(centre: Location) -> Client:
    client = Client()
    client.post("/enhed/", {"token": device_token(centre, Device.Kind.DISPLAY)})
    return client
