"""Figures of visits on small hand-made days."""

from datetime import date, datetime, timedelta

import pytest

from skranke.core import clock
from skranke.core.models import Location, Service
from skranke.queueing.models import Visit
from skranke.stats.robust import NOT_ENDED_BY_STAFF, TIMES_WRONG
from skranke.stats.visits import measure_visits, measure_visits_by, read_visits
from tests.stats.visits import make_booking, make_visit

pytestmark = pytest.mark.django_db


def local(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=clock.LOCAL_ZONE)


def figures_of(location: Location, first: date, end: date):  # type: ignore[no-untyped-def]
    return measure_visits(read_visits(location_ids=[location.pk], first=first, end=end))


def test_it_counts_booked_walk_in_and_errands_without_booking(
    location: Location, passport: Service, postal_vote: Service
) -> None:
    monday = local(2026, 12, 7, 10)
    booking = make_booking(location=location, service=passport, start=monday)
    make_visit(location=location, service=passport, arrived=monday, booking=booking)
    make_visit(location=location, service=passport, arrived=monday)  # squeezed in
    make_visit(location=location, service=postal_vote, arrived=monday)
    make_visit(location=location, service=postal_vote, arrived=monday)
    figures = figures_of(location, date(2026, 12, 7), date(2026, 12, 8))
    assert figures.visits == 4
    assert figures.by_kind == {"booked": 1, "walk_in": 1, "without_booking": 2}


def test_a_transferred_citizen_is_one_visit_with_the_time_at_each_desk_kept(
    location: Location, passport: Service, card: Service
) -> None:
    arrived = local(2026, 12, 7, 10)
    first = make_visit(
        location=location,
        service=passport,
        arrived=arrived,
        waited=4,
        served=12,
        outcome=Visit.Outcome.TRANSFERRED,
    )
    make_visit(
        location=location,
        service=card,
        arrived=arrived + timedelta(minutes=16),
        waited=2,
        served=6,
        transferred_from=first,
        ticket_number=first.ticket_number,
    )
    rows = read_visits(location_ids=[location.pk], first=date(2026, 12, 7), end=date(2026, 12, 8))
    figures = measure_visits(rows)
    assert figures.visits == 1
    assert figures.by_outcome[Visit.Outcome.TRANSFERRED] == 1
    assert figures.service_time.used == 2
    by_service = measure_visits_by(rows, group_by="service")
    assert by_service[passport.pk].visits == 1
    assert by_service[passport.pk].service_time.median == pytest.approx(12)
    assert by_service[card.pk].visits == 0  # counted with the errand they came for
    assert by_service[card.pk].service_time.median == pytest.approx(6)


def test_visits_whose_times_cannot_be_trusted_count_but_their_times_do_not(
    location: Location, passport: Service
) -> None:
    monday = local(2026, 12, 7, 10)
    for minutes in (10, 12, 14, 16):
        make_visit(location=location, service=passport, arrived=monday, served=minutes)
    make_visit(
        location=location, service=passport, arrived=monday, served=600, not_ended_by_staff=True
    )
    make_visit(location=location, service=passport, arrived=monday, served=3, times_wrong=True)
    figures = figures_of(location, date(2026, 12, 7), date(2026, 12, 8))
    assert figures.visits == 6
    assert figures.service_time.used == 4
    assert figures.service_time.left_out == {NOT_ENDED_BY_STAFF: 1, TIMES_WRONG: 1}
    assert figures.service_time.median == pytest.approx(13)
    assert figures.wait.used == 4


def test_a_visit_across_midnight_counts_on_the_day_it_began(
    location: Location, passport: Service
) -> None:
    late = local(2026, 12, 4, 23, 50)
    make_visit(location=location, service=passport, arrived=late, waited=5, served=20)
    assert figures_of(location, date(2026, 12, 4), date(2026, 12, 5)).visits == 1
    friday = figures_of(location, date(2026, 12, 4), date(2026, 12, 5))
    assert friday.service_time.median == pytest.approx(20)
    assert figures_of(location, date(2026, 12, 5), date(2026, 12, 6)).visits == 0


def test_times_on_the_days_clocks_change_are_real_minutes(
    location: Location, passport: Service
) -> None:
    # 29 March 2026: 02:00 becomes 03:00; 25 October 2026: 03:00 becomes 02:00.
    spring = local(2026, 3, 29, 1, 50)
    autumn = datetime(2026, 10, 25, 2, 50, tzinfo=clock.LOCAL_ZONE, fold=0)
    make_visit(location=location, service=passport, arrived=spring, waited=5, served=20)
    make_visit(location=location, service=passport, arrived=autumn, waited=5, served=20)
    for first in (date(2026, 3, 29), date(2026, 10, 25)):
        figures = figures_of(location, first, first + timedelta(days=1))
        assert figures.visits == 1
        assert figures.service_time.median == pytest.approx(20)
        assert figures.wait.median == pytest.approx(5)


def test_saturdays_hours_and_weekdays_are_read_in_copenhagen_time(
    location: Location, passport: Service
) -> None:
    saturday = local(2026, 12, 5, 10, 30)  # 09:30 UTC
    make_visit(location=location, service=passport, arrived=saturday)
    rows = read_visits(location_ids=[location.pk], first=date(2026, 12, 5), end=date(2026, 12, 6))
    assert measure_visits(rows).saturday == 1
    assert list(measure_visits_by(rows, group_by="hour")) == [10]
    assert list(measure_visits_by(rows, group_by="weekday")) == [5]


def test_the_kiosks_promise_is_set_against_the_wait_that_followed(
    location: Location, passport: Service
) -> None:
    monday = local(2026, 12, 7, 10)
    make_visit(
        location=location, service=passport, arrived=monday, waited=10, expected_wait_minutes=6
    )
    make_visit(
        location=location, service=passport, arrived=monday, waited=4, expected_wait_minutes=6
    )
    make_visit(location=location, service=passport, arrived=monday, waited=4)
    error = figures_of(location, date(2026, 12, 7), date(2026, 12, 8)).expected_wait_error
    assert error.used == 2
    assert error.mean == pytest.approx(3)
