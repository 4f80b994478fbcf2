"""Bookings to look at, and the staff who look at them, in the centre of
tests/centre.py (clock: Monday 7 December 2026, 08:00)."""

from collections.abc import Callable

import pytest

from skranke.access_log.models import AccessRecord
from skranke.accounts.models import Role, User
from skranke.booking.availability import Policy
from skranke.booking.booking import book_appointment
from skranke.booking.models import Booking
from skranke.core.models import Location, Service
from tests.centre import at, citizen

# What a row may never hold: the citizens' names, numbers, addresses, notes.
PERSONAL = ("Borger", "2000", "@example", "Flytter")

BookFor = Callable[..., Booking]


@pytest.fixture
def book(centre: Location, passport: Service) -> BookFor:
    """Books the passport errand on `day` (December) at `hour` for citizen `number`."""

    def make(number: int, *, day: int = 8, hour: int = 10, minute: int = 0) -> Booking:
        return book_appointment(
            location=centre,
            service=passport,
            start=at(day, hour, minute),
            citizen=citizen(number, email=f"borger{number}@example.dk", note="Flytter til Aarhus"),
            channel=Booking.Channel.WEB,
            policy=Policy.for_staff(centre),
        )

    return make


def member(role: str, location: Location, name: str = "") -> User:
    user = User.objects.create_user(
        name or f"{role}-{location.slug}",
        password="pw",
        first_name=(name or role).capitalize(),
        municipality=location.municipality,
        role=role,
    )
    user.locations.set([location])
    return user


@pytest.fixture
def front_desk(centre: Location) -> User:
    return member(Role.FRONT_DESK, centre, "frida")


def rows() -> list[tuple[str, str, str]]:
    """Every row as (who, action, booking code), oldest first."""
    return [
        (record.actor_name, record.action, record.booking_code)
        for record in AccessRecord.objects.order_by("at", "pk")
    ]


def assert_nothing_personal() -> None:
    for record in AccessRecord.objects.all():
        text = " ".join(str(v) for k, v in record.__dict__.items() if not k.startswith("_"))
        assert not any(part in text for part in PERSONAL), text
