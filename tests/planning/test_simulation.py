"""The counter's what-if simulation: what a manager's change would do to
on-time service, waiting, idle desks and the times offered."""

from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pytest

from skranke.booking.models import Booking
from skranke.core.models import Location, Service, slot_step_for
from skranke.planning.counter import simulation
from skranke.planning.counter.model import read_counter_model
from skranke.planning.counter.simulation import (
    CounterWeek,
    DeskPlan,
    ServicePlan,
    simulate_one_week,
    simulate_week,
)
from tests.centre import at
from tests.stats.visits import make_booking, make_visit

MONDAY_TO_FRIDAY = dict.fromkeys(range(5), ((600, 900),))  # 10:00–15:00
PASSPORT, CARD = 1, 2
ON_TIME = np.array([-5.0])  # every booked citizen five minutes early


def week(
    *,
    booked_minutes: int = 20,
    takes: float = 20.0,
    desks: int = 2,
    bookings: float = 100.0,
    walk_ins: float = 0.0,
    hours: dict[int, tuple[tuple[int, int], ...]] = MONDAY_TO_FRIDAY,
) -> CounterWeek:
    """A passport counter: every visit takes `takes` minutes, booked for
    `booked_minutes`; by default more citizens want a time than there are."""
    return CounterWeek(
        opening=MONDAY_TO_FRIDAY,
        services=(
            ServicePlan(
                service=PASSPORT,
                minutes=booked_minutes,
                slot_step=slot_step_for(minutes=booked_minutes),
                times=np.array([takes]),
                bookings_per_day=dict.fromkeys(range(5), bookings),
                walk_ins_per_day=dict.fromkeys(range(5), walk_ins),
            ),
        ),
        desks=tuple(DeskPlan(handles=frozenset({PASSPORT}), hours=hours) for _ in range(desks)),
        lateness=ON_TIME,
        no_show_share=0.0,
        on_time_minutes=5,
    )


def test_a_full_day_offers_every_time_the_desks_have() -> None:
    figures = simulate_week(week=week(), runs=3)
    # Two desks, five hours, twenty minutes: 30 times a day, all booked.
    assert figures.times_offered_per_day.mean == 30
    assert figures.booked_per_day.mean == 30


def test_minutes_shorter_than_the_errand_make_citizens_late() -> None:
    honest = simulate_week(week=week(booked_minutes=20), runs=3)
    too_short = simulate_week(week=week(booked_minutes=15), runs=3)
    assert honest.on_time_share.mean == pytest.approx(1.0)
    assert too_short.times_offered_per_day.mean == 40  # more times offered…
    assert too_short.on_time_share.mean < 0.5  # …that cannot be kept
    assert too_short.overtime_minutes_per_day.mean > 0


def test_minutes_longer_than_the_errand_leave_desks_idle() -> None:
    generous = simulate_week(week=week(booked_minutes=30), runs=3)
    # Citizens come five minutes early and are called at once when a desk
    # is free (the calling policy), so some of the spare time is used;
    # what is left is idle.
    assert generous.times_offered_per_day.mean == 20
    assert generous.idle_share.mean == pytest.approx(1 / 3, abs=0.05)


def test_more_desks_shorten_the_wait_without_a_booking() -> None:
    one = simulate_week(week=week(desks=1, bookings=0, walk_ins=14, takes=19), runs=20)
    two = simulate_week(week=week(desks=2, bookings=0, walk_ins=14, takes=19), runs=20)
    assert one.walk_in_wait_median.mean is not None
    assert two.walk_in_wait_median.mean is not None
    assert two.walk_in_wait_median.mean < one.walk_in_wait_median.mean
    assert two.idle_share.mean > one.idle_share.mean


def test_a_walk_in_fills_a_gap_but_never_delays_a_checked_in_booking() -> None:
    # Every time booked, every booked citizen there five minutes early:
    # citizens without a booking wait for the day's end, and nobody booked
    # is late for them.
    full = simulate_week(week=week(bookings=100, walk_ins=3), runs=5)
    assert full.on_time_share.mean == pytest.approx(1.0)
    # Half the times booked: the walk-ins go in the gaps.
    half = simulate_week(week=week(bookings=15, walk_ins=3), runs=5)
    assert full.walk_in_wait_median.mean is not None
    assert half.walk_in_wait_median.mean is not None
    assert half.walk_in_wait_median.mean < full.walk_in_wait_median.mean / 2


def test_the_desks_call_by_the_queue_policy(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def spy(**arguments):  # type: ignore[no-untyped-def]
        calls.append(arguments)
        return real(**arguments)

    real = simulation.next_visit
    monkeypatch.setattr(simulation, "next_visit", spy)
    run = simulate_one_week(week=week(), rng=np.random.default_rng(1))
    assert run.booked == 150
    assert len(calls) >= 150


def test_those_still_waiting_at_closing_are_served() -> None:
    run = simulate_one_week(
        week=week(desks=1, bookings=0, walk_ins=25), rng=np.random.default_rng(3)
    )
    assert run.overtime_minutes > 0
    assert run.idle_minutes >= 0


def test_the_same_seed_gives_the_same_week_and_runs_differ() -> None:
    first = simulate_week(week=week(bookings=20, walk_ins=5, takes=18), runs=10, seed=7)
    again = simulate_week(week=week(bookings=20, walk_ins=5, takes=18), runs=10, seed=7)
    assert first == again
    spread = first.booked_per_day
    assert spread.low is not None
    assert spread.high is not None
    assert spread.mean is not None
    assert spread.low < spread.high
    assert spread.low <= spread.mean <= spread.high


def test_a_desk_without_hours_that_day_offers_nothing() -> None:
    mornings_off = dict.fromkeys(range(5), ())
    figures = simulate_week(week=week(desks=1, hours=mornings_off), runs=2)
    assert figures.times_offered_per_day.mean == 0
    assert figures.idle_share.mean is None


@pytest.mark.django_db
def test_the_week_is_read_from_the_location_and_its_history(
    centre: Location, passport: Service, card: Service
) -> None:
    # Two Mondays of history: passports booked and served in 25 minutes,
    # one citizen not coming, one health card without a booking.
    for monday in (at(7, 10) - timedelta(weeks=2), at(7, 10) - timedelta(weeks=1)):
        for number in range(3):
            start = monday + timedelta(minutes=20 * number)
            booking = make_booking(location=centre, service=passport, start=start)
            make_visit(
                location=centre,
                service=passport,
                arrived=start - timedelta(minutes=4),
                served=25,
                booking=booking,
            )
        make_booking(
            location=centre,
            service=passport,
            start=monday + timedelta(hours=2),
            status=Booking.Status.NO_SHOW,
        )
        make_visit(location=centre, service=card, arrived=monday + timedelta(hours=3), served=6)
    model = read_counter_model(location=centre, today=date(2026, 12, 7))
    assert model.end == date(2026, 12, 1)  # the day after the last with visits
    plans = {plan.service: plan for plan in model.week.services}
    assert plans[passport.pk].bookings_per_day == {0: 4.0}
    assert plans[card.pk].walk_ins_per_day == {0: 1.0}
    assert plans[passport.pk].minutes == 20
    assert model.week.no_show_share == pytest.approx(2 / 8)
    assert model.week.lateness == pytest.approx([-4.0] * 6)
    assert len(model.week.desks) == 2
    assert model.week.opening[0] == ((600, 900),)
    # Six passports is too few to stand alone: their ticket group's times.
    assert model.times_based_on[passport.pk] == "none"


@pytest.mark.django_db
def test_a_location_without_history_gives_an_empty_period(centre: Location) -> None:
    model = read_counter_model(location=centre, today=date(2026, 12, 7))
    assert not model.has_history


def test_other_lengths_keep_a_grid_set_by_hand() -> None:
    # A passport counter on a 5-minute grid set by hand: tried at 25
    # minutes, its times still start every 5 minutes, not every 20.
    on_a_grid = replace(
        week(),
        services=tuple(replace(plan, explicit_step=5) for plan in week().services),
    )
    (plan,) = on_a_grid.with_minutes({PASSPORT: 25}).services
    assert (plan.minutes, plan.slot_step) == (25, 5)
    (own,) = week().with_minutes({PASSPORT: 25}).services
    assert (own.minutes, own.slot_step) == (25, 20)
