"""Minutes per service from the cleaned service times: the percentile
where a minute of waiting and a minute of idle desk cost the same, placed
on the slot grid; a wider window, the ticket group's times or no advice
for a service with too few of its own."""

from datetime import date, datetime, timedelta

import numpy as np
import pytest

from skranke.core import clock
from skranke.core.models import Location, Service
from skranke.planning.counter.minutes import advise_minutes, choose_minutes, recommended_share
from skranke.planning.counter.simulation import CounterWeek, DeskPlan
from skranke.planning.counter.slot_grid import count_times_a_day, desk_minutes_for
from tests.stats.visits import make_visit

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 11, 2, 9, 0, tzinfo=clock.LOCAL_ZONE)


def visits(location: Location, service: Service, minutes: list[float]) -> None:
    for number, served in enumerate(minutes):
        make_visit(
            location=location,
            service=service,
            arrived=MONDAY + timedelta(days=number % 5, minutes=number),
            served=served,
        )


def advice_for(location: Location, *services: Service, **costs: float):  # type: ignore[no-untyped-def]
    return advise_minutes(
        location_ids=[location.pk],
        services=list(services),
        first=date(2026, 11, 1),
        end=date(2026, 12, 1),
        **costs,
    )


def test_the_share_balances_waiting_against_idle_desks() -> None:
    assert recommended_share(wait_cost=4, idle_cost=1) == pytest.approx(0.8)
    assert recommended_share(wait_cost=1, idle_cost=1) == pytest.approx(0.5)
    with pytest.raises(ValueError, match="positive"):
        recommended_share(wait_cost=0, idle_cost=1)


def test_the_80th_percentile_of_the_trusted_times_placed_on_the_slot_grid(
    centre: Location, passport: Service
) -> None:
    visits(centre, passport, [float(minutes) for minutes in range(11, 51)])
    forgotten = make_visit(location=centre, service=passport, arrived=MONDAY, served=400)
    forgotten.not_ended_by_staff = True
    forgotten.save()
    (advice,) = advice_for(centre, passport)
    assert advice.based_on == "service"
    assert advice.figure.used == 40
    assert advice.figure.left_out == {"not_ended_by_staff": 1}
    assert advice.percentile_minutes == pytest.approx(42.2)  # 11…50, interpolated
    # The 90 % interval: the 28th and 37th of the 40 times (binomial ranks).
    assert (advice.low, advice.high) == (38.0, 47.0)
    # 42 minutes on their 30-minute grid hold the desk for 60, so 30 minutes
    # (a third run over) cost less than 60 (half the desk idle).
    assert advice.recommended_minutes == 30
    assert advice.recommended is not None
    assert (advice.recommended.step, advice.recommended.desk_minutes) == (30, 30)
    assert advice.change == 30 - passport.duration_minutes
    passport.slot_step_minutes = 5
    (on_fives,) = advice_for(centre, passport)
    assert on_fives.recommended_minutes == 40
    (even,) = advice_for(centre, passport, wait_cost=1, idle_cost=1)
    assert even.recommended_minutes == 30  # the median, 30.5, on the 5-minute grid


def test_a_length_holds_the_desk_for_what_its_grid_makes_of_it() -> None:
    # 13 and 14 minutes start every 10 and hold the desk for 20; 16 to 19
    # start every 15 and hold it for 30.
    held = {
        minutes: desk_minutes_for(minutes=minutes, explicit_step=None) for minutes in range(10, 21)
    }
    assert held == {
        10: 10,
        11: 20,
        12: 12,
        13: 20,
        14: 20,
        15: 15,
        16: 30,
        17: 30,
        18: 30,
        19: 30,
        20: 20,
    }
    assert desk_minutes_for(minutes=13, explicit_step=5) == 15
    assert desk_minutes_for(minutes=16, explicit_step=5) == 20


def test_the_recommendation_never_costs_the_desk_more_than_a_longer_length() -> None:
    # Every visit 13 minutes: the percentile says 13, which on its 10-minute
    # grid holds the desk for 20; 15 holds it for 15 and nobody runs over.
    thirteen = np.full(40, 13.0)
    assert choose_minutes(times=thirteen, wait_cost=4, idle_cost=1, explicit_step=None) == 15
    # 17 minutes: 15 would make every citizen wait 2 minutes, 20 holds the
    # desk 3 minutes idle; 16–19 would hold it for 30.
    seventeen = np.full(40, 17.0)
    assert choose_minutes(times=seventeen, wait_cost=4, idle_cost=1, explicit_step=None) == 20


def test_the_times_a_desk_day_holds_follow_the_desk_time() -> None:
    five_hours = {0: ((600, 900),), 1: ((600, 900),)}
    week = CounterWeek(
        opening=five_hours,
        services=(),
        desks=(DeskPlan(handles=frozenset({7}), hours=five_hours),),
        lateness=np.array([0.0]),
        no_show_share=0.0,
        on_time_minutes=5,
    )
    assert count_times_a_day(week=week, service=7, minutes=15, step=15) == 20
    assert count_times_a_day(week=week, service=7, minutes=13, step=10) == 15  # as 20 minutes
    assert count_times_a_day(week=week, service=7, minutes=20, step=20) == 15
    assert count_times_a_day(week=week, service=8, minutes=15, step=15) is None


def test_a_service_like_its_group_borrows_the_groups_times(
    centre: Location, passport: Service, card: Service
) -> None:
    card.ticket_letter = passport.ticket_letter
    card.save()
    visits(centre, passport, [10.0] * 40)
    visits(centre, card, [11.0] * 12)
    _passport, borrowed = advice_for(centre, passport, card)
    assert borrowed.too_few
    assert borrowed.based_on == "ticket_group"
    assert borrowed.median_ratio == pytest.approx(1.1)
    assert borrowed.used == 52
    assert borrowed.recommended_minutes == 10  # 40 of the group's 52 times are 10 minutes


def test_a_service_unlike_its_group_gets_its_own_wider_times_or_no_advice(
    centre: Location, passport: Service, card: Service
) -> None:
    # Twelve visits of 30 minutes in a queue of 10-minute passports: once
    # they borrowed the passports' 10 minutes.
    card.ticket_letter = passport.ticket_letter
    card.save()
    visits(centre, passport, [10.0] * 40)
    visits(centre, card, [30.0] * 12)
    _passport, alone = advice_for(centre, passport, card)
    assert (alone.based_on, alone.recommended_minutes) == ("none", None)
    assert alone.median_ratio == pytest.approx(3.0)
    # Thirty more over the year before: its own times, from the wider window.
    for number in range(30):
        make_visit(
            location=centre,
            service=card,
            arrived=MONDAY - timedelta(weeks=10 + number % 20, minutes=number),
            served=29.0 + number % 3,
        )
    _passport, widened = advice_for(centre, passport, card)
    assert widened.based_on == "wider_window"
    assert widened.weeks == 52
    assert widened.figure.used == 42
    assert widened.recommended_minutes == 30
    card.ticket_letter = "Z"
    card.save()
    (alone_in_its_queue,) = advice_for(centre, card)
    assert alone_in_its_queue.based_on == "wider_window"
