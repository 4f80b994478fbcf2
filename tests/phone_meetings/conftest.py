"""A centre with two phone lines for telephone meetings (Monday to Friday
10-15, on the clock of tests/centre.py: Monday 7 December 2026, 08:00), and
staff who call them."""

from collections.abc import Callable
from datetime import time

import pytest
from django.db import connection

from skranke.accounts.models import Role, User
from skranke.booking.availability import Policy
from skranke.booking.booking import book_appointment
from skranke.booking.models import Booking
from skranke.core.models import Desk, DeskShift, Location, Service
from tests.centre import at, citizen


@pytest.fixture(autouse=True)
def _postgres_only(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("postgres_only") and connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")


@pytest.fixture
def phone_service(centre: Location) -> Service:
    service = Service.objects.create(
        municipality=centre.municipality,
        slug="tlf-folkeregister",
        name_da="Telefonmøde: Folkeregister",
        name_en="Telephone meeting: Civil registry",
        duration_minutes=15,
        kind=Service.Kind.PHONE,
    )
    service.locations.add(centre)
    for name in ("Telefon 1", "Telefon 2"):
        line = Desk.objects.create(location=centre, name=name, kind=Desk.Kind.PHONE_LINE)
        for weekday in range(5):
            shift = DeskShift.objects.create(
                desk=line, weekday=weekday, starts=time(10), ends=time(15)
            )
            shift.services.set([service])
    return service


BookMeeting = Callable[..., Booking]


@pytest.fixture
def book_meeting(centre: Location, phone_service: Service) -> BookMeeting:
    """Books a telephone meeting on Monday 7 December at hour:minute for a
    citizen who allows text messages and gave no e-mail address."""
    numbers = iter(range(100, 1000))

    def book(hour: int = 10, minute: int = 0, *, note: str = "Flytning til udlandet") -> Booking:
        return book_appointment(
            location=centre,
            service=phone_service,
            start=at(7, hour, minute),
            citizen=citizen(next(numbers), sms_consent=True, note=note),
            channel=Booking.Channel.WEB,
            policy=Policy.for_staff(centre),
        )

    return book


def staff_member(
    username: str, location: Location, *, role: str = Role.FRONT_DESK, phone_skill: bool = True
) -> User:
    user = User.objects.create_user(
        username,
        password="pw",
        first_name=username.capitalize(),
        municipality=location.municipality,
        role=role,
        phone_skill=phone_skill,
    )
    user.locations.set([location])
    return user


@pytest.fixture
def caller(centre: Location) -> User:
    return staff_member("sara", centre)


@pytest.fixture
def colleague(centre: Location) -> User:
    return staff_member("karim", centre, role=Role.CONTACT_AGENT)
