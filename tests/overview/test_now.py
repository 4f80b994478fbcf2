"""The overview of a morning, driven through the real check-in, call and
finish functions: at each moment its figures are what the kiosk, the
desk and the statistics say at the same instant."""

from collections.abc import Callable
from datetime import timedelta

import pytest

from skranke.accounts.models import Role
from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.models import Desk, Location, Service
from skranke.overview.now import DeskStatus, read_location_now
from skranke.queueing.calling import call_next
from skranke.queueing.checkin import check_in_booking, issue_walk_in_ticket
from skranke.queueing.closing import mark_no_shows
from skranke.queueing.forecast import wait_for_walk_in
from skranke.queueing.models import Visit
from skranke.queueing.serving import finish_visit, open_desk, pause_desk, start_visit
from skranke.stats.bookings import measure_bookings, read_bookings
from tests.booking.test_staff_booking import member
from tests.centre import at

pytestmark = pytest.mark.django_db

Book = Callable[..., Booking]


def test_a_morning_reads_as_the_kiosk_the_desk_and_the_statistics_read_it(
    centre: Location, passport: Service, postal_vote: Service, book: Book
) -> None:
    staff = member(Role.FRONT_DESK, centre)
    desk = Desk.objects.get(location=centre, name="1")
    early = book(passport, at(7, 10, 20), number=1)
    book(passport, at(7, 10, 0), number=2)  # will not come
    book(passport, at(7, 11, 0), number=3)

    # 10:00 and 10:05: two postal votes take tickets; desk 1 opens.
    clock.set_now(at(7, 10, 0))
    issue_walk_in_ticket(location=centre, service=postal_vote)
    open_desk(desk=desk, staff=staff)
    clock.set_now(at(7, 10, 5))
    issue_walk_in_ticket(location=centre, service=postal_vote)
    # 10:06: a citizen booked for 10:20 checks in early.
    clock.set_now(at(7, 10, 6))
    check_in_booking(location=centre, code=early.code)

    clock.set_now(at(7, 10, 12))
    now = read_location_now(location=centre)
    queues = {queue.letter: queue for queue in now.queues}
    assert queues["A"].waiting == 1
    # Booked for 10:20: not waiting yet, though here since 10:06.
    assert queues["A"].longest_wait_minutes == 0
    assert queues["B"].waiting == 2
    assert queues["B"].longest_wait_minutes == 12
    # The kiosk's promise to a postal vote taking a ticket now.
    assert queues["B"].expected_wait_minutes == wait_for_walk_in(
        location=centre, services=[postal_vote]
    )
    assert queues["B"].expected_wait_minutes is not None
    assert now.booked_waiting == 1
    assert now.booked_late == 1  # 10:00, not come
    desks = {row.name: row for row in now.desks}
    assert desks["1"].status == DeskStatus.IDLE
    assert desks["1"].staff == staff.username
    assert desks["2"].status == DeskStatus.CLOSED
    assert (now.day.desks_planned, now.day.desks_staffed) == (2, 1)
    assert now.day.visits == 3
    assert now.day.walk_ins == 2
    # 11:00 is still to come; 10:20 has come early, 10:00 is late.
    assert now.day.bookings_to_come == 1

    # 10:13: desk 1 calls the first postal vote and starts.
    clock.set_now(at(7, 10, 13))
    called = call_next(desk=desk, staff=staff)
    assert called is not None
    start_visit(visit_id=called.pk, desk=desk)
    clock.set_now(at(7, 10, 20))
    now = read_location_now(location=centre)
    serving = {row.name: row for row in now.desks}["1"]
    assert serving.status == DeskStatus.SERVING
    assert serving.service == called.service.name
    assert serving.minutes == 7
    assert not serving.overrun
    assert {queue.letter: queue.waiting for queue in now.queues} == {"A": 1, "B": 1}

    # Left open: at twice its five minutes the desk warns, and so does the overview.
    clock.set_now(at(7, 10, 24))
    assert {row.name: row for row in read_location_now(location=centre).desks}["1"].overrun
    finish_visit(visit_id=called.pk, desk=desk, outcome=Visit.Outcome.SERVED)

    # The booked citizen is called at 10:25 and served; the 10:00 one is
    # marked as not come by the worker's job.
    clock.set_now(at(7, 10, 25))
    booked = call_next(desk=desk, staff=staff)
    assert booked is not None
    assert booked.booking_id == early.pk
    clock.set_now(at(7, 10, 40))
    finish_visit(visit_id=booked.pk, desk=desk, outcome=Visit.Outcome.SERVED)
    mark_no_shows()
    now = read_location_now(location=centre)
    statistics = measure_bookings(
        read_bookings(
            location_ids=[centre.pk], first=clock.today(), end=clock.today() + timedelta(days=1)
        ),
        on_time_minutes=centre.municipality.on_time_minutes,
    )
    assert now.day.ended == 2
    assert now.day.no_shows == 1
    assert now.booked_late == 0
    # Called at 10:25 for 10:20, within the mark: as the statistics say.
    assert now.day.on_time_share == statistics.on_time_share == 1.0
    assert {queue.letter: queue.waiting for queue in now.queues} == {"A": 0, "B": 1}


def test_a_paused_desk_and_one_opened_yesterday(
    centre: Location, passport: Service, book: Book
) -> None:
    staff = member(Role.FRONT_DESK, centre)
    one, two = Desk.objects.filter(location=centre).order_by("name")
    clock.set_now(at(4, 14, 0))  # Friday: desk 2 was opened, never closed
    open_desk(desk=two, staff=staff)
    clock.set_now(at(7, 10, 30))
    open_desk(desk=one, staff=staff)
    pause_desk(desk=one, staff=staff, paused=True)
    desks = {row.name: row.status for row in read_location_now(location=centre).desks}
    assert desks == {"1": DeskStatus.PAUSED, "2": DeskStatus.CLOSED}
