"""Figures of bookings on small hand-made days."""

from datetime import date, datetime, timedelta

import pytest

from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.models import Location, Service
from skranke.stats.bookings import measure_bookings, measure_phone_meetings, read_bookings
from tests.stats.visits import make_booking, make_visit

pytestmark = pytest.mark.django_db

TEN = datetime(2026, 12, 7, 10, 0, tzinfo=clock.LOCAL_ZONE)
MONDAY, TUESDAY = date(2026, 12, 7), date(2026, 12, 8)


def booked_visit(location: Location, service: Service, *, arrived: float, started: float) -> None:
    """A booking at ten whose citizen arrived and was started the given
    minutes from the booked time (negative: before it)."""
    booking = make_booking(location=location, service=service, start=TEN)
    make_visit(
        location=location,
        service=service,
        booking=booking,
        arrived=TEN + timedelta(minutes=arrived),
        waited=started - arrived,
    )


def test_on_time_is_started_at_most_five_minutes_late_of_those_who_came_in_time(
    location: Location, passport: Service
) -> None:
    booked_visit(location, passport, arrived=-10, started=-2)  # early: on time
    booked_visit(location, passport, arrived=-5, started=5)  # five late: on time
    booked_visit(location, passport, arrived=-5, started=6)  # six late: not
    booked_visit(location, passport, arrived=3, started=20)  # came late: not counted
    rows = read_bookings(location_ids=[location.pk], first=MONDAY, end=TUESDAY)
    figures = measure_bookings(rows, on_time_minutes=5)
    assert figures.arrived_in_time == 3
    assert figures.on_time == 2
    assert figures.on_time_share == pytest.approx(2 / 3)
    assert figures.lateness["early_or_on_time"] == 1
    assert figures.lateness["6_10"] == 1
    assert figures.arrival["0_5_late"] == 1
    assert measure_bookings(rows, on_time_minutes=10).on_time == 3


def test_no_shows_cancellations_moves_channels_and_lead_time(
    location: Location, passport: Service
) -> None:
    make_booking(location=location, service=passport, start=TEN, status=Booking.Status.NO_SHOW)
    make_booking(location=location, service=passport, start=TEN, channel=Booking.Channel.PHONE)
    make_booking(
        location=location,
        service=passport,
        start=TEN,
        status=Booking.Status.CANCELLED,
        created_at=TEN - timedelta(days=20),
    )
    make_booking(
        location=location, service=passport, start=TEN, moves=2, created_at=TEN - timedelta(hours=1)
    )
    figures = measure_bookings(
        read_bookings(location_ids=[location.pk], first=MONDAY, end=TUESDAY), on_time_minutes=5
    )
    assert figures.bookings == 4
    assert figures.by_status[Booking.Status.CANCELLED] == 1
    assert figures.moved == 1
    assert figures.no_show_share == pytest.approx(1 / 3)  # of the three that were due
    assert figures.by_channel == {"web": 2, "phone": 1, "counter": 0, "sms": 0}
    assert figures.lead == {
        "same_day": 1,
        "1_day": 0,
        "2_3_days": 2,
        "4_7_days": 0,
        "8_14_days": 0,
        "over_14_days": 0,
    }


def test_a_booking_belongs_to_the_day_of_its_time(location: Location, passport: Service) -> None:
    make_booking(location=location, service=passport, start=TEN)
    make_booking(location=location, service=passport, start=TEN + timedelta(days=1))
    rows = read_bookings(location_ids=[location.pk], first=MONDAY, end=TUESDAY)
    assert len(rows) == 1


def test_telephone_meetings_are_counted_apart_per_topic(
    location: Location, passport: Service
) -> None:
    topic = Service.objects.create(
        municipality=location.municipality,
        slug="tlf",
        name_da="Telefonmøde",
        duration_minutes=15,
        kind=Service.Kind.PHONE,
    )
    for status in (Booking.Status.SERVED, Booking.Status.SERVED, Booking.Status.NO_SHOW):
        make_booking(location=location, service=topic, start=TEN, status=status)
    make_booking(location=location, service=topic, start=TEN, status=Booking.Status.CANCELLED)
    make_booking(location=location, service=passport, start=TEN)
    meetings = measure_phone_meetings(
        read_bookings(location_ids=[location.pk], first=MONDAY, end=TUESDAY, kind="phone")
    )
    assert (meetings.booked, meetings.reached, meetings.not_reached) == (3, 2, 1)
    assert meetings.by_topic == {topic.pk: {"booked": 3, "reached": 2, "not_reached": 1}}
