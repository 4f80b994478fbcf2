"""Desks calling the next citizen, on real connections in real threads:
two desks never get the same citizen (SQLite and PostgreSQL)."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import time

import pytest
from django.db import connection

from skranke.accounts.models import Role, User
from skranke.core.models import Desk, DeskShift, Location, Service
from skranke.queueing import calling
from skranke.queueing.calling import call_next
from skranke.queueing.checkin import issue_walk_in_ticket
from skranke.queueing.models import Visit

DESKS = 12
WAITING = 5


@pytest.fixture
def card_walk_ins(card: Service) -> Service:
    card.walk_in_allowed = True
    card.save()
    return card


def front_desk(centre: Location) -> User:
    return User.objects.create_user(
        "skranke", municipality=centre.municipality, role=Role.FRONT_DESK
    )


def open_desks(centre: Location, service: Service, count: int) -> list[Desk]:
    desks = []
    for number in range(count):
        desk = Desk.objects.create(location=centre, name=f"Skranke {number + 10}")
        shift = DeskShift.objects.create(desk=desk, weekday=0, starts=time(8), ends=time(16))
        shift.services.set([service])
        desks.append(desk)
    return desks


@pytest.mark.django_db(transaction=True)
def test_desks_calling_at_once_never_get_the_same_citizen(
    centre: Location, card_walk_ins: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    desks = open_desks(centre, card_walk_ins, DESKS)
    staff = User.objects.create_user(
        "skranke", municipality=centre.municipality, role=Role.FRONT_DESK
    )
    for _ in range(WAITING):
        issue_walk_in_ticket(location=centre, service=card_walk_ins)
    # On PostgreSQL every desk makes its choice before any calls: all choose
    # the same first walk-in, and only the conditional update tells them
    # apart. (SQLite lets one writer in at a time, so there desks choose in
    # turn and the meeting point is left out.)
    # A ceiling for a busy machine: every desk reaches it unless one failed.
    chosen = threading.Barrier(DESKS, timeout=300)
    first_choice = threading.local()
    real_next_visit = calling.next_visit

    def choose_together(**arguments):  # type: ignore[no-untyped-def]
        choice = real_next_visit(**arguments)
        if not getattr(first_choice, "made", False):  # a desk's later choices go at once
            first_choice.made = True
            chosen.wait()
        return choice

    if connection.vendor == "postgresql":
        monkeypatch.setattr(calling, "next_visit", choose_together)

    def press_call(desk: Desk) -> int | None:
        try:
            visit = call_next(desk=desk, staff=staff)
            return visit.pk if visit else None
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=DESKS) as pool:
        called = list(pool.map(press_call, desks))
    visits = [visit for visit in called if visit is not None]
    assert len(visits) == WAITING
    assert len(set(visits)) == WAITING  # no citizen called to two desks
    assert Visit.objects.filter(status="called").count() == WAITING
    assert Visit.objects.filter(status="waiting").count() == 0


@pytest.mark.django_db
def test_pressing_call_twice_calls_nobody_new(centre: Location, card_walk_ins: Service) -> None:
    (desk,) = open_desks(centre, card_walk_ins, 1)
    staff = User.objects.create_user(
        "skranke", municipality=centre.municipality, role=Role.FRONT_DESK
    )
    first = issue_walk_in_ticket(location=centre, service=card_walk_ins)
    issue_walk_in_ticket(location=centre, service=card_walk_ins)
    assert call_next(desk=desk, staff=staff) == first
    assert call_next(desk=desk, staff=staff) == first
    assert Visit.objects.filter(status="waiting").count() == 1


@pytest.mark.django_db
def test_a_desk_does_not_call_a_service_it_does_not_handle(
    centre: Location, card_walk_ins: Service, passport: Service
) -> None:
    (desk,) = open_desks(centre, passport, 1)
    staff = User.objects.create_user(
        "skranke", municipality=centre.municipality, role=Role.FRONT_DESK
    )
    issue_walk_in_ticket(location=centre, service=card_walk_ins)
    assert call_next(desk=desk, staff=staff) is None
