"""Figures of visits on small hand-made days."""

from datetime import date, datetime, timedelta

import pytest

from skranke.core import clock
from skranke.core.models import Location, Service
from skranke.queueing.models import Visit
from skranke.stats.robust import NOT_ENDED_BY_STAFF, OUTLIER, TIMES_WRONG
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
    # The system recorded every call, so only the desk's "times wrong"
    # leaves a wait out: the visit nobody ended still waited 5 minutes.
    assert figures.wait.used == 5
    assert figures.wait.left_out == {TIMES_WRONG: 1}


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


def test_service_times_are_fenced_within_their_own_service(
    location: Location, passport: Service, postal_vote: Service
) -> None:
    # Quick postal votes are honest times; a postal vote left running for
    # 40 minutes is not, although a passport of 40 minutes would be.
    monday = local(2026, 12, 7, 10)
    for index in range(30):
        make_visit(location=location, service=postal_vote, arrived=monday, served=2 + index % 3)
        make_visit(location=location, service=passport, arrived=monday, served=20 + index % 11)
    make_visit(location=location, service=postal_vote, arrived=monday, served=40)
    service_time = figures_of(location, date(2026, 12, 7), date(2026, 12, 8)).service_time
    assert service_time.left_out == {OUTLIER: 1}
    assert service_time.used == 60
    assert service_time.median == pytest.approx(12)  # between the 30 votes and 30 passports


def test_waits_are_never_fenced(location: Location, passport: Service) -> None:
    # Booked citizens called within seconds and two who waited an hour:
    # all of them waited that long.
    monday = local(2026, 12, 7, 10)
    for _ in range(40):
        make_visit(location=location, service=passport, arrived=monday, waited=0.1)
    for _ in range(2):
        make_visit(location=location, service=passport, arrived=monday, waited=60)
    wait = figures_of(location, date(2026, 12, 7), date(2026, 12, 8)).wait
    assert wait.used == 42
    assert wait.left_out == {}
    assert wait.mean == pytest.approx((40 * 0.1 + 2 * 60) / 42)


def test_a_booked_citizens_wait_counts_from_their_time_and_apart_from_walk_ins(
    location: Location, passport: Service
) -> None:
    ten = local(2026, 12, 7, 10)
    early = make_booking(location=location, service=passport, start=ten)
    late = make_booking(location=location, service=passport, start=ten)
    called_before_time = make_booking(location=location, service=passport, start=ten)
    # Came 15 minutes early and was called 3 minutes after their time.
    make_visit(
        location=location,
        service=passport,
        arrived=ten - timedelta(minutes=15),
        waited=18,
        booking=early,
    )
    # Came 5 minutes late and was called 2 minutes later.
    make_visit(
        location=location,
        service=passport,
        arrived=ten + timedelta(minutes=5),
        waited=2,
        booking=late,
    )
    # Called 4 minutes before their time: no wait at all.
    make_visit(
        location=location,
        service=passport,
        arrived=ten - timedelta(minutes=10),
        waited=6,
        booking=called_before_time,
    )
    make_visit(location=location, service=passport, arrived=ten, waited=20)
    make_visit(location=location, service=passport, arrived=ten, waited=30)
    figures = figures_of(location, date(2026, 12, 7), date(2026, 12, 8))
    assert figures.wait_booked.used == 3
    assert figures.wait_booked.median == pytest.approx(2)
    assert figures.wait_booked.mean == pytest.approx(5 / 3)
    assert figures.wait_unbooked.used == 2
    assert figures.wait_unbooked.median == pytest.approx(25)
    assert figures.wait.used == 5
    assert figures.wait.median == pytest.approx(3)
    assert figures.as_dict()["wait_booked"]["median_minutes"] == 2.0
