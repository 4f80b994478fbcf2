"""What if: one change to a place's week at a time, and what the manager
sees when comparing it with the week as it is."""

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

import pytest
from django.test import Client

from skranke.accounts.models import Role, User
from skranke.core.models import Location, Service
from skranke.planning.counter.simulation import simulate_week
from skranke.planning.counter.what_if import (
    ChangeRefused,
    ExtraDesk,
    HeldBack,
    MoreDemand,
    NewMinutes,
    NewOpening,
    RemovedDesk,
    change_week,
)
from tests.booking.test_staff_booking import member
from tests.centre import at
from tests.planning.test_simulation import PASSPORT, week
from tests.stats.visits import make_booking, make_visit

URL = "/personale/planlaegning/hvad-hvis/"
SATURDAY = 5


def test_one_more_desk_offers_more_times_and_a_desk_less_fewer() -> None:
    today = simulate_week(week=week(desks=2), runs=3)
    more = simulate_week(week=change_week(week=week(desks=2), change=ExtraDesk(like=0)), runs=3)
    fewer = simulate_week(week=change_week(week=week(desks=2), change=RemovedDesk(desk=1)), runs=3)
    assert today.times_offered_per_day.mean == 30
    assert more.times_offered_per_day.mean == 45
    assert fewer.times_offered_per_day.mean == 15


def test_the_last_desk_cannot_be_removed_nor_a_desk_that_is_not_there() -> None:
    with pytest.raises(ChangeRefused, match="at least one desk"):
        change_week(week=week(desks=1), change=RemovedDesk(desk=0))
    with pytest.raises(ChangeRefused, match="no such desk"):
        change_week(week=week(desks=2), change=ExtraDesk(like=5))


def test_longer_opening_hours_move_the_desks_that_opened_and_closed_the_day() -> None:
    changed = change_week(week=week(), change=NewOpening(weekday=0, opens=540, closes=960))
    assert changed.opening[0] == ((540, 960),)
    assert all(desk.hours[0] == ((540, 960),) for desk in changed.desks)
    assert changed.desks[0].hours[1] == ((600, 900),)  # other days as they were
    figures = simulate_week(week=changed, runs=3)
    # Monday has seven hours instead of five: 42 times instead of 30.
    assert figures.times_offered_per_day.mean == pytest.approx((4 * 30 + 42) / 5)


def test_a_saturday_spreads_the_weeks_citizens_instead_of_adding_new_ones() -> None:
    before = week(bookings=10)
    changed = change_week(
        week=before, change=NewOpening(weekday=SATURDAY, opens=600, closes=780, desks=1)
    )
    plan = changed.services[0]
    assert sum(plan.bookings_per_day.values()) == pytest.approx(50)
    # 5 × 300 open minutes and 180 on Saturday: Saturday gets 180/1680.
    assert plan.bookings_per_day[SATURDAY] == pytest.approx(50 * 180 / 1680)
    assert [bool(desk.hours.get(SATURDAY)) for desk in changed.desks] == [True, False]
    with pytest.raises(ChangeRefused, match="between 1 and 2 desks"):
        change_week(
            week=before, change=NewOpening(weekday=SATURDAY, opens=600, closes=780, desks=3)
        )
    with pytest.raises(ChangeRefused, match="open before it closes"):
        change_week(week=before, change=NewOpening(weekday=SATURDAY, opens=780, closes=600))


def test_times_held_back_are_not_booked_in_advance() -> None:
    today = simulate_week(week=week(), runs=5)
    held = simulate_week(week=change_week(week=week(), change=HeldBack(share=0.5)), runs=5)
    assert held.times_offered_per_day.mean == today.times_offered_per_day.mean
    assert held.booked_per_day.mean < 0.7 * today.booked_per_day.mean
    with pytest.raises(ChangeRefused):
        change_week(week=week(), change=HeldBack(share=0.95))


def test_more_citizens_fill_the_times_and_fewer_leave_them_empty() -> None:
    quiet = week(bookings=20)  # 30 times a day for 20 citizens
    today = simulate_week(week=quiet, runs=5)
    wave = simulate_week(week=change_week(week=quiet, change=MoreDemand(percent=100)), runs=5)
    fewer = simulate_week(week=change_week(week=quiet, change=MoreDemand(percent=-50)), runs=5)
    assert today.booked_per_day.mean == pytest.approx(20, abs=2)
    # Twice as many want a time than before: the 30 times run out (but on
    # the odd day fewer than 30 came).
    assert wave.booked_per_day.mean == pytest.approx(30, abs=0.2)
    assert fewer.booked_per_day.mean == pytest.approx(10, abs=2)
    assert wave.times_offered_per_day.mean == today.times_offered_per_day.mean


def test_a_wave_for_one_service_leaves_the_others_alone() -> None:
    two = replace(
        week(bookings=10, walk_ins=4),
        services=(
            week(bookings=10, walk_ins=4).services[0],
            replace(week().services[0], service=PASSPORT + 1),
        ),
    )
    changed = change_week(week=two, change=MoreDemand(percent=30, service=PASSPORT))
    passport, other = changed.services
    assert passport.bookings_per_day[0] == pytest.approx(13)
    assert passport.walk_ins_per_day[0] == pytest.approx(5.2)
    assert other == two.services[1]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (MoreDemand(percent=-91), "from −90 to 300 per cent"),
        (MoreDemand(percent=301), "from −90 to 300 per cent"),
        (MoreDemand(percent=0), "other than 0"),
        (MoreDemand(percent=20, service=PASSPORT + 99), "does not offer"),
    ],
)
def test_a_change_in_demand_out_of_bounds_is_refused(change: MoreDemand, message: str) -> None:
    with pytest.raises(ChangeRefused, match=message):
        change_week(week=week(), change=change)


def test_minutes_for_a_service_the_place_does_not_offer_are_refused() -> None:
    with pytest.raises(ChangeRefused, match="does not offer"):
        change_week(week=week(), change=NewMinutes(service=PASSPORT + 99, minutes=20))
    longer = change_week(week=week(), change=NewMinutes(service=PASSPORT, minutes=30))
    assert longer.services[0].minutes == 30


def history(location: Location, passport: Service) -> None:
    """Three weeks of booked passports taking 20 minutes."""
    for number in range(45):
        start = at(7, 10) - timedelta(days=1 + number % 15, minutes=-20 * (number % 3))
        booking = make_booking(location=location, service=passport, start=start)
        make_visit(
            location=location,
            service=passport,
            arrived=start - timedelta(minutes=2),
            served=20,
            booking=booking,
        )


@pytest.mark.django_db
def test_a_manager_compares_a_week_with_one_more_desk(
    centre: Location, passport: Service, staff_client: Callable[[User], Client]
) -> None:
    history(centre, passport)
    client = staff_client(member(Role.MANAGER, centre))
    page = client.get(URL, {"sted": centre.pk})
    assert page.status_code == 200
    assert "comparison" not in page.context
    assert page.context["week"], "the week simulated today is shown"

    page = client.get(URL, {"sted": centre.pk, "aendring": "skranker", "skranker-desk": "ekstra-0"})
    rows = {row.label: row for row in page.context["comparison"]}
    offered = rows["Times offered per day"]
    assert offered.changed.mean > offered.today.mean
    assert "One more desk like desk" in page.context["described"]


@pytest.mark.django_db
def test_bad_input_is_explained_and_nothing_is_simulated(
    centre: Location, passport: Service, staff_client: Callable[[User], Client]
) -> None:
    history(centre, passport)
    client = staff_client(member(Role.MANAGER, centre))
    page = client.get(
        URL,
        {
            "sted": centre.pk,
            "aendring": "aabning",
            "aabning-weekday": "0",
            "aabning-opens": "16:00",
            "aabning-closes": "09:00",
        },
    )
    assert page.status_code == 200
    assert "comparison" not in page.context
    assert "The place must open before it closes." in page.content.decode()
    page = client.get(URL, {"sted": centre.pk, "aendring": "minutter", "minutter-minutes": "x"})
    assert page.status_code == 200
    assert "comparison" not in page.context
    assert page.context["forms"]["minutter"].errors


@pytest.mark.django_db
def test_a_manager_simulates_a_passport_wave(
    centre: Location, passport: Service, staff_client: Callable[[User], Client]
) -> None:
    history(centre, passport)
    client = staff_client(member(Role.MANAGER, centre))
    page = client.get(URL, {"sted": centre.pk})
    assert "More or fewer citizens" in page.content.decode()
    page = client.get(
        URL,
        {
            "sted": centre.pk,
            "aendring": "efterspoergsel",
            "efterspoergsel-service": str(passport.pk),
            "efterspoergsel-percent": "\N{MINUS SIGN}40",
        },
    )
    assert page.context["described"] == f"40 % fewer citizens for {passport.name}"
    rows = {row.label: row for row in page.context["comparison"]}
    booked = rows["Times booked per day"]
    assert booked.changed.mean < booked.today.mean
    page = client.get(
        URL, {"sted": centre.pk, "aendring": "efterspoergsel", "efterspoergsel-percent": "50"}
    )
    assert page.context["described"] == "50 % more citizens for every service"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("percent", "message"),
    [
        ("400", "Give a change from −90 to 300 per cent, for example 30 or −20."),
        ("0", "Give a change other than 0, for example 30 or −20."),
        ("mange", "Give the change as a whole number, for example 30 or −20."),
        ("", "Give the expected change in per cent."),
    ],
)
def test_a_change_in_demand_that_makes_no_sense_is_explained(
    centre: Location,
    passport: Service,
    staff_client: Callable[[User], Client],
    percent: str,
    message: str,
) -> None:
    history(centre, passport)
    client = staff_client(member(Role.MANAGER, centre))
    page = client.get(
        URL, {"sted": centre.pk, "aendring": "efterspoergsel", "efterspoergsel-percent": percent}
    )
    assert page.status_code == 200
    assert "comparison" not in page.context
    assert page.context["forms"]["efterspoergsel"].errors == {"percent": [message]}
    text = page.content.decode()
    assert message in text
    assert 'aria-invalid="true"' in text


@pytest.mark.django_db
def test_front_desk_staff_may_not_plan(
    centre: Location, staff_client: Callable[[User], Client]
) -> None:
    page = staff_client(member(Role.FRONT_DESK, centre)).get(URL)
    assert page.status_code == 403


@pytest.mark.django_db
def test_a_place_without_history_says_so(
    centre: Location, staff_client: Callable[[User], Client]
) -> None:
    page = staff_client(member(Role.MANAGER, centre)).get(URL)
    assert page.status_code == 200
    assert "no visits yet" in page.content.decode()
