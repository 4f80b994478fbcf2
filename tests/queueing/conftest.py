from datetime import datetime

import pytest

from skranke.booking.availability import Policy
from skranke.booking.booking import book_appointment
from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.models import Location, Service
from tests.centre import citizen


@pytest.fixture
def book(centre: Location):  # type: ignore[no-untyped-def]
    """Book a time at the centre as of the clock's Monday 08:00, then
    leave the clock where the test puts it."""

    def make(service: Service, start: datetime, number: int = 0, **changes: object) -> Booking:
        now = clock.now()
        clock.set_now(datetime(2026, 12, 7, 8, 0, tzinfo=clock.LOCAL_ZONE))
        policy = Policy.for_staff(centre)
        booking = book_appointment(
            location=centre,
            service=service,
            start=start,
            citizen=citizen(number, **changes),
            channel=Booking.Channel.WEB,
            policy=policy,
        )
        clock.set_now(now)
        return booking

    return make
