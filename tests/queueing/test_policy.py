"""The queue policy as a table of situations (docs/queue-policy.md)."""

from datetime import datetime, timedelta

import pytest

from skranke.core import clock
from skranke.queueing.policy import Desk, Waiting, expected_wait, next_visit

NINE = datetime(2026, 12, 7, 9, 0, tzinfo=clock.LOCAL_ZONE)
PASSPORT, CARD, DRIVING = 1, 2, 3


def at(minutes: int) -> datetime:
    return NINE + timedelta(minutes=minutes)


def booked(
    visit: int, due: int, *, arrived: int = -10, service: int = PASSPORT, minutes: int = 20
) -> Waiting:
    return Waiting(visit, service, at(arrived), minutes, due_at=at(due))


def walk_in(visit: int, arrived: int, *, service: int = PASSPORT, minutes: int = 10) -> Waiting:
    return Waiting(visit, service, at(arrived), minutes)


def transferred(visit: int, arrived: int, *, service: int = PASSPORT) -> Waiting:
    return Waiting(visit, service, at(arrived), 10, transferred=True)


# (situation, the desk handles, now in minutes after nine, waiting, called)
SCENARIOS = [
    ("nobody waits", {PASSPORT}, 0, [], None),
    ("a booked citizen is called at their time", {PASSPORT}, 0, [booked(1, 0)], 1),
    (
        "the earliest booked time goes first",
        {PASSPORT},
        10,
        [booked(1, 10, arrived=-20), booked(2, 5, arrived=-5)],
        2,
    ),
    (
        "a booked citizen due now goes before a walk-in who came earlier",
        {PASSPORT},
        0,
        [walk_in(1, -30), booked(2, 0)],
        2,
    ),
    (
        "a walk-in fills a gap before the next booked time",
        {PASSPORT},
        0,
        [booked(1, 20), walk_in(2, -5, minutes=15)],
        2,
    ),
    (
        "a walk-in who would make a booked citizen wait is not called",
        {PASSPORT},
        0,
        [booked(1, 10), walk_in(2, -5, minutes=15)],
        1,
    ),
    (
        "a shorter walk-in behind a long one may fill the gap",
        {PASSPORT},
        0,
        [booked(1, 10), walk_in(2, -20, minutes=30), walk_in(3, -5, minutes=5)],
        3,
    ),
    (
        "walk-ins are first come, first served",
        {PASSPORT},
        0,
        [walk_in(1, -5), walk_in(2, -15), walk_in(3, -10)],
        2,
    ),
    (
        "with nobody else to serve, a booked citizen is called early",
        {PASSPORT},
        0,
        [booked(1, 30)],
        1,
    ),
    (
        "a desk calls only services it handles",
        {CARD},
        0,
        [booked(1, 0, service=PASSPORT), walk_in(2, -5, service=CARD)],
        2,
    ),
    (
        "a booked citizen of another service does not hold back a walk-in",
        {PASSPORT},
        0,
        [booked(1, 5, service=CARD), walk_in(2, -5, minutes=15)],
        2,
    ),
    (
        "a transferred citizen goes to the front of their new queue",
        {DRIVING},
        0,
        [booked(1, 0, service=DRIVING), transferred(2, 3, service=DRIVING)],
        2,
    ),
    (
        "a transfer to another service waits for a desk that handles it",
        {PASSPORT},
        0,
        [transferred(1, -1, service=DRIVING), walk_in(2, -5)],
        2,
    ),
]


@pytest.mark.parametrize(
    ("handles", "now", "waiting", "called"),
    [scenario[1:] for scenario in SCENARIOS],
    ids=[scenario[0] for scenario in SCENARIOS],
)
def test_who_is_called_next(
    handles: set[int], now: int, waiting: list[Waiting], called: int | None
) -> None:
    chosen = next_visit(handles=handles, now=at(now), waiting=waiting)
    assert (chosen.visit if chosen else None) == called


def test_the_expected_wait_follows_the_same_policy() -> None:
    desks = [Desk(frozenset({PASSPORT}), at(0)), Desk(frozenset({PASSPORT, CARD}), at(5))]
    waiting = [booked(1, 0), booked(2, 10), walk_in(3, -10, minutes=10), walk_in(4, -2)]
    # 9:00 desk 1 calls booked 1 (until 9:20). 9:05 desk 2: a walk-in would
    # end 9:15, after booked 2's 9:10, so booked 2 is called early (until
    # 9:25). 9:20 desk 1 calls walk-in 3; 9:25 desk 2 calls walk-in 4.
    assert expected_wait(visit=3, now=at(0), desks=desks, waiting=waiting) == timedelta(minutes=20)
    assert expected_wait(visit=4, now=at(0), desks=desks, waiting=waiting) == timedelta(minutes=25)


def test_no_expected_wait_without_a_desk_for_the_service() -> None:
    desks = [Desk(frozenset({PASSPORT}), at(0))]
    assert (
        expected_wait(visit=1, now=at(0), desks=desks, waiting=[walk_in(1, 0, service=CARD)])
        is None
    )


def test_a_walk_in_alone_at_a_free_desk_waits_nothing() -> None:
    desks = [Desk(frozenset({PASSPORT}), at(-30))]
    assert expected_wait(visit=1, now=at(0), desks=desks, waiting=[walk_in(1, 0)]) == timedelta(0)
