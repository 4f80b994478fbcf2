"""A small centre to book in: Monday to Friday 10-15, two desks handling a
20-minute passport errand and a 10-minute health-card errand, the clock
stopped on Monday 7 December 2026 at 08:00."""

from datetime import datetime, time

import pytest

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
def citizens_policy(centre: Location) -> Policy:
    return Policy.for_citizens(centre)


def citizen(number: int = 0, **changes: object) -> CitizenDetails:
    details = {"name": f"Borger {number}", "phone": f"+45{20000000 + number}"} | changes
    return CitizenDetails(**details)  # type: ignore[arg-type]
