"""Book, cancel and reschedule in any order: capacity and the limits per
citizen hold after every step."""

import contextlib
import itertools
from collections import Counter
from datetime import time, timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from skranke.booking.availability import Policy
from skranke.booking.booking import book_appointment, cancel_appointment, reschedule_appointment
from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.errors import DomainError
from skranke.core.models import Desk, DeskShift, Location, Municipality, OpeningHours, Service
from tests.centre import MONDAY, citizen

_serial = itertools.count()
MAX_ACTIVE = 3


class Bookings(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        clock.set_now(MONDAY)
        serial = next(_serial)
        municipality = Municipality.objects.create(
            name=f"M{serial}", slug=f"m{serial}", max_active_bookings=MAX_ACTIVE
        )
        self.location = Location.objects.create(
            municipality=municipality, name=f"L{serial}", slug=f"m{serial}", address="A"
        )
        self.services = []
        for slug, minutes in (("a", 20), ("b", 10), ("c", 30), ("d", 15)):
            service = Service.objects.create(
                municipality=municipality, slug=slug, name_da=slug, duration_minutes=minutes
            )
            service.locations.add(self.location)
            self.services.append(service)
        for weekday in range(5):
            OpeningHours.objects.create(
                location=self.location, weekday=weekday, opens=time(10), closes=time(12)
            )
        for name in ("1", "2"):
            desk = Desk.objects.create(location=self.location, name=name)
            for weekday in range(5):
                shift = DeskShift.objects.create(
                    desk=desk, weekday=weekday, starts=time(10), ends=time(12)
                )
                shift.services.set(self.services)
        self.policy = Policy.for_citizens(self.location)
        self.people = [citizen(serial * 10 + n) for n in range(4)]

    def start(self, day: int, minute: int) -> object:
        return (MONDAY + timedelta(days=day)).replace(hour=10) + timedelta(minutes=minute)

    @rule(
        person=st.integers(0, 3),
        service=st.integers(0, 3),
        day=st.integers(1, 3),
        minute=st.sampled_from([0, 10, 20, 30, 40, 60, 90]),
    )
    def book(self, person: int, service: int, day: int, minute: int) -> None:
        with contextlib.suppress(DomainError):
            book_appointment(
                location=self.location,
                service=self.services[service],
                start=self.start(day, minute),
                citizen=self.people[person],
                channel=Booking.Channel.WEB,
                policy=self.policy,
            )

    @rule(pick=st.integers(0, 50))
    def cancel(self, pick: int) -> None:
        bookings = list(Booking.objects.filter(location=self.location).order_by("pk"))
        if bookings:
            cancel_appointment(booking=bookings[pick % len(bookings)])

    @rule(pick=st.integers(0, 50), day=st.integers(1, 3), minute=st.sampled_from([0, 20, 30, 60]))
    def reschedule(self, pick: int, day: int, minute: int) -> None:
        bookings = list(Booking.objects.filter(location=self.location).order_by("pk"))
        if not bookings:
            return
        with contextlib.suppress(DomainError):
            reschedule_appointment(
                booking=bookings[pick % len(bookings)],
                start=self.start(day, minute),
                policy=self.policy,
            )

    @invariant()
    def no_desk_is_booked_twice_at_once(self) -> None:
        active = list(Booking.objects.filter(location=self.location, status__in=Booking.OCCUPYING))
        for first, second in itertools.combinations(active, 2):
            if first.desk_id == second.desk_id:
                assert first.end <= second.start or second.end <= first.start

    @invariant()
    def no_citizen_holds_more_than_the_limits(self) -> None:
        active = Booking.objects.filter(location=self.location, status=Booking.Status.BOOKED)
        per_person = Counter(active.values_list("phone", flat=True))
        per_service = Counter(active.values_list("phone", "service_id"))
        assert max(per_person.values(), default=0) <= MAX_ACTIVE
        assert max(per_service.values(), default=0) <= 1


@pytest.mark.django_db
def test_capacity_and_limits_hold_whatever_the_order() -> None:
    run_state_machine_as_test(
        Bookings,
        settings=settings(
            max_examples=25,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
