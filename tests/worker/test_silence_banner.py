"""Managers and administrators are told on the staff pages when the worker
has been silent for over two minutes; front-desk staff are not."""

from datetime import datetime, timedelta

import pytest

from skranke.accounts.models import Role
from skranke.core import clock
from skranke.core.models import Location
from skranke.worker.heartbeat import record_heartbeat
from tests.booking.test_staff_booking import member

pytestmark = pytest.mark.django_db

BANNER = "Messages to citizens are not being sent right now"


def test_a_manager_is_told_when_the_worker_has_been_silent_for_five_minutes(
    location: Location, staff_client, stopped_clock: datetime
) -> None:
    record_heartbeat(moment=stopped_clock)
    clock.advance(timedelta(minutes=5, seconds=10))
    page = staff_client(member(Role.MANAGER, location)).get("/personale/").content.decode()
    assert BANNER in page
    assert "has not reported for 5 minutes" in page
    assert 'class="alert alert-warning"' in page


def test_an_administrator_is_told_when_no_worker_ever_ran(
    location: Location, staff_client, stopped_clock: datetime
) -> None:
    page = staff_client(member(Role.ADMINISTRATOR, location)).get("/personale/").content.decode()
    assert "The background process has never reported" in page


def test_front_desk_staff_are_not_troubled_with_it(
    location: Location, staff_client, stopped_clock: datetime
) -> None:
    record_heartbeat(moment=stopped_clock - timedelta(minutes=30))
    page = staff_client(member(Role.FRONT_DESK, location)).get("/personale/").content.decode()
    assert BANNER not in page


def test_a_manager_sees_nothing_while_the_worker_is_fresh(
    location: Location, staff_client, stopped_clock: datetime
) -> None:
    record_heartbeat(moment=stopped_clock - timedelta(minutes=1, seconds=50))
    page = staff_client(member(Role.MANAGER, location)).get("/personale/").content.decode()
    assert BANNER not in page


def test_the_pages_keep_the_heartbeat_they_read_for_a_while(
    location: Location, staff_client, stopped_clock: datetime
) -> None:
    record_heartbeat(moment=stopped_clock)
    manager = staff_client(member(Role.MANAGER, location))
    manager.get("/personale/")
    # The worker comes back, but the page goes on reading the kept moment
    # for 15 s (real time): one query per process, not one per page.
    clock.advance(timedelta(minutes=3))
    record_heartbeat(moment=clock.now())
    assert BANNER in manager.get("/personale/").content.decode()
