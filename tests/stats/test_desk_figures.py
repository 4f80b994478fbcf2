"""Busy and idle desks, and capacity offered against booked."""

from datetime import date, datetime, timedelta

import pytest

from skranke.core import clock
from skranke.core.models import Location, Service, SpecialDay
from skranke.stats.desks import measure_desks
from skranke.stats.visits import read_visits
from tests.stats.visits import make_booking, make_visit

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 12, 7)
TEN = datetime(2026, 12, 7, 10, 0, tzinfo=clock.LOCAL_ZONE)


def figures(centre: Location, first: date, end: date):  # type: ignore[no-untyped-def]
    rows = read_visits(location_ids=[centre.pk], first=first, end=end)
    return measure_desks(locations=[centre], rows=rows, first=first, end=end)


def test_a_desk_is_busy_from_the_call_to_the_end_within_its_staffed_hours(
    centre: Location, passport: Service
) -> None:
    first_desk, second_desk = centre.desks.order_by("name")
    # Called at 10:50, ended at 11:20: 10 minutes in the ten o'clock hour.
    make_visit(
        location=centre,
        service=passport,
        arrived=TEN + timedelta(minutes=45),
        waited=5,
        served=30,
        desk=first_desk,
    )
    make_visit(
        location=centre,
        service=passport,
        arrived=TEN,
        waited=0,
        served=400,
        desk=second_desk,
        not_ended_by_staff=True,
    )
    desks = figures(centre, MONDAY, MONDAY + timedelta(days=1))
    assert desks.by_desk[first_desk.pk].staffed == 300  # 10-15
    assert desks.by_desk[first_desk.pk].busy == pytest.approx(30)
    assert desks.by_desk[second_desk.pk].busy == 0  # its times cannot be trusted
    assert desks.by_hour[10].staffed == 120
    assert desks.by_hour[10].busy == pytest.approx(10)
    assert desks.by_hour[11].busy == pytest.approx(20)
    assert desks.by_desk[first_desk.pk].busy_share == pytest.approx(30 / 300)


def test_capacity_offered_against_booked_skips_closed_days(
    centre: Location, passport: Service
) -> None:
    make_booking(location=centre, service=passport, start=TEN)
    make_booking(location=centre, service=passport, start=TEN, status="cancelled")
    SpecialDay.objects.create(location=centre, date=MONDAY + timedelta(days=1), closed=True)
    # Monday and the closed Tuesday: only Monday's 2 desks × 5 hours.
    week = figures(centre, MONDAY, MONDAY + timedelta(days=2))
    assert week.offered_minutes == 600
    assert week.bookings == 0  # neither holds a desk: hand-made bookings have none
    desk = centre.desks.first()
    make_booking(location=centre, service=passport, start=TEN, desk=desk)
    week = figures(centre, MONDAY, MONDAY + timedelta(days=2))
    assert (week.bookings, week.booked_minutes) == (1, 20)
    assert week.booked_share == pytest.approx(20 / 600)
