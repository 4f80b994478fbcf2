"""Properties of availability over generated centres: whatever the opening
hours, shifts, closed days and bookings, nothing is offered that cannot be
kept, and what is offered can be booked."""

import contextlib
import itertools
from datetime import datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skranke.booking.availability import Policy, find_slots
from skranke.booking.booking import book_appointment
from skranke.booking.errors import SlotTaken
from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.models import (
    Desk,
    DeskShift,
    Location,
    Municipality,
    OpeningHours,
    Service,
    SpecialDay,
)
from skranke.core.opening_hours import opening_calendar
from tests.centre import MONDAY, citizen

pytestmark = pytest.mark.django_db

FIRST_DAY = MONDAY.date()
LAST_DAY = FIRST_DAY + timedelta(days=20)
_serial = itertools.count()


@st.composite
def centres(draw: st.DrawFn) -> dict:
    """Opening hours (one or two intervals on some weekdays, Saturday
    possible), one to three desks with a shift inside each interval, a
    service duration, maybe a closed day, and how many bookings to make."""
    week = {}
    for weekday in range(6):
        if draw(st.booleans()):
            opens = draw(st.integers(7 * 12, 12 * 12)) * 5
            closes = opens + draw(st.integers(6, 60)) * 5
            intervals = [(opens, closes)]
            if draw(st.booleans()):
                second = closes + draw(st.integers(1, 12)) * 5
                intervals.append((second, second + draw(st.integers(6, 36)) * 5))
            week[weekday] = intervals
    desks = []
    for _ in range(draw(st.integers(1, 3))):
        shifts = {}
        for weekday, intervals in week.items():
            for opens, closes in intervals:
                if draw(st.booleans()):
                    start = opens + draw(st.integers(0, (closes - opens) // 10)) * 5
                    end = closes - draw(st.integers(0, (closes - start) // 10)) * 5
                    if end > start:
                        shifts.setdefault(weekday, []).append((start, end))
        desks.append(shifts)
    return {
        "week": week,
        "desks": desks,
        "duration": draw(st.sampled_from([5, 10, 15, 20, 25, 30, 45])),
        "closed_day": draw(st.none() | st.integers(0, 20)),
        "bookings": draw(st.integers(0, 25)),
        "held_back": draw(st.sampled_from([0, 0, 34, 50])),
    }


def minutes(value: int) -> time:
    return time(value // 60, value % 60)


def build(spec: dict, serial: int) -> tuple[Location, Service]:
    municipality = Municipality.objects.create(name=f"K{serial}", slug=f"k{serial}")
    location = Location.objects.create(
        municipality=municipality, name=f"L{serial}", slug=f"l{serial}", address="A"
    )
    service = Service.objects.create(
        municipality=municipality,
        slug="s",
        name_da="S",
        duration_minutes=spec["duration"],
        held_back_percent=spec["held_back"],
    )
    service.locations.add(location)
    for weekday, intervals in spec["week"].items():
        for opens, closes in intervals:
            OpeningHours.objects.create(
                location=location, weekday=weekday, opens=minutes(opens), closes=minutes(closes)
            )
    for number, shifts in enumerate(spec["desks"]):
        desk = Desk.objects.create(location=location, name=str(number))
        for weekday, spans in shifts.items():
            for start, end in spans:
                shift = DeskShift.objects.create(
                    desk=desk, weekday=weekday, starts=minutes(start), ends=minutes(end)
                )
                shift.services.add(service)
    if spec["closed_day"] is not None:
        SpecialDay.objects.create(
            location=location, date=FIRST_DAY + timedelta(days=spec["closed_day"]), closed=True
        )
    return location, service


def local(moment: datetime) -> datetime:
    return moment.astimezone(clock.LOCAL_ZONE)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(spec=centres())
def test_offered_times_keep_every_rule_and_can_be_booked(spec: dict) -> None:
    clock.set_now(MONDAY)
    serial = next(_serial)  # examples share one database: keep each apart
    location, service = build(spec, serial)
    staff = Policy.for_staff(location)
    citizens = Policy.for_citizens(location)
    # Fill some of the offered times, as staff would; offered times overlap
    # each other, so some are gone by the time their turn comes.
    offered = find_slots(
        location=location, service=service, first_day=FIRST_DAY, last_day=LAST_DAY, policy=staff
    )
    for number, slot in enumerate(offered[: spec["bookings"] * 3 : 3]):
        with contextlib.suppress(SlotTaken):
            book_appointment(
                location=location,
                service=service,
                start=slot.start,
                citizen=citizen(serial * 2000 + number),
                channel=Booking.Channel.PHONE,
                policy=staff,
            )
    days = {
        day.day: day
        for day in opening_calendar(location=location, first_day=FIRST_DAY, last_day=LAST_DAY)
    }
    bookings = list(Booking.objects.filter(location=location, status="booked"))
    shifts = list(DeskShift.objects.filter(desk__location=location))
    slots = find_slots(
        location=location, service=service, first_day=FIRST_DAY, last_day=LAST_DAY, policy=citizens
    )
    for slot in slots:
        start, end = local(slot.start), local(slot.end)
        day = days[start.date()]
        assert start >= local(clock.now() + citizens.lead)
        assert start.date() <= clock.today() + timedelta(days=citizens.horizon_days)
        assert day.is_open  # not a holiday, not a closed day
        assert any(
            opens <= start.time() and end.time() <= closes for opens, closes in day.intervals
        )
        assert (start.hour * 60 + start.minute) % service.slot_step == 0
        assert slot.capacity >= 1
        for desk in slot.desks:
            assert any(
                shift.desk_id == desk
                and shift.weekday == start.weekday()
                and shift.starts <= start.time()
                and end.time() <= shift.ends
                for shift in shifts
            )
            assert not any(
                booking.desk_id == desk and booking.start < slot.end and slot.start < booking.end
                for booking in bookings
            )
    # An offered time can be booked until its capacity is used, then it is gone.
    if slots:
        slot = slots[len(slots) // 2]
        for number in range(slot.capacity):
            book_appointment(
                location=location,
                service=service,
                start=slot.start,
                citizen=citizen(serial * 2000 + 1000 + number),
                channel=Booking.Channel.PHONE,
                policy=staff,
            )
        again = find_slots(
            location=location,
            service=service,
            first_day=local(slot.start).date(),
            last_day=local(slot.start).date(),
            policy=staff,
        )
        assert slot.start not in [other.start for other in again]
