"""A manager stops tickets without a booking for a queue for the rest of
the day, from the overview, after confirming: the kiosk then refuses them
with a clear word, booked citizens are still checked in, late ones may
still queue, and who did it and when is kept. Started again the same way."""

from collections.abc import Callable

import pytest
from django.db import DatabaseError
from django.test import Client

from skranke.accounts.models import Role, User
from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.models import Location, Service
from skranke.overview.actions import stop_queue_walk_ins
from skranke.overview.models import ManagerAction
from skranke.overview.now import read_location_now
from skranke.queueing.checkin import check_in_booking, issue_walk_in_ticket
from skranke.queueing.errors import QueueRefused
from skranke.queueing.waiting_room import read_board
from skranke.queueing.walk_in_stops import stop_walk_ins
from tests.booking.test_staff_booking import member
from tests.centre import at

pytestmark = pytest.mark.django_db

URL = "/personale/overblik/uden-tid/"
Book = Callable[..., Booking]


def test_a_manager_stops_and_starts_a_queue_after_confirming(
    centre: Location, postal_vote: Service, staff_client: Callable[[User], Client]
) -> None:
    clock.set_now(at(7, 13, 0))
    manager_user = member(Role.MANAGER, centre)
    manager_user.first_name = "Lars"
    manager_user.save()
    manager = staff_client(manager_user)
    issue_walk_in_ticket(location=centre, service=postal_vote)

    overview = manager.get("/personale/overblik/").content.decode()
    assert "Stop tickets for B for today" in overview
    asked = manager.get(URL, {"sted": centre.pk, "koe": "B"})
    assert asked.status_code == 200
    assert "gives no ticket without a booking for queue B (Postal vote)" in asked.content.decode()
    assert "The 1 already waiting are still served." in asked.content.decode()
    # Asking changes nothing.
    issue_walk_in_ticket(location=centre, service=postal_vote)

    done = manager.post(URL, {"sted": centre.pk, "koe": "B"}, follow=True)
    assert "No more tickets without a booking for B (Postal vote) today." in done.content.decode()
    with pytest.raises(QueueRefused, match="No more tickets without a booking"):
        issue_walk_in_ticket(location=centre, service=postal_vote)
    (queue,) = [queue for queue in read_location_now(location=centre).queues if queue.letter == "B"]
    assert queue.walk_ins_stopped_at == at(7, 13, 0)
    assert queue.expected_wait_minutes is None
    assert queue.waiting == 2
    text = manager.get("/personale/overblik/").content.decode()
    assert "Stopped at 13:00 for today" in text
    assert "Stopped tickets without a booking, B (Postal vote)" in text
    assert "(Lars" in text

    clock.set_now(at(7, 13, 20))
    manager.post(URL, {"sted": centre.pk, "koe": "B"})
    issue_walk_in_ticket(location=centre, service=postal_vote)
    assert [action.kind for action in ManagerAction.objects.order_by("at")] == [
        ManagerAction.Kind.STOP_WALK_INS,
        ManagerAction.Kind.RESUME_WALK_INS,
    ]


def test_booked_citizens_are_checked_in_and_late_ones_still_queue(
    centre: Location, passport: Service, book: Book
) -> None:
    passport.walk_in_allowed = True
    passport.save()
    on_time = book(passport, at(7, 13, 0), number=1)
    late = book(passport, at(7, 10, 0), number=2)
    manager = member(Role.MANAGER, centre)
    clock.set_now(at(7, 12, 50))
    stop_walk_ins(location=centre, letter="A", staff=manager)
    with pytest.raises(QueueRefused):
        issue_walk_in_ticket(location=centre, service=passport)
    assert check_in_booking(location=centre, code=on_time.code).booking_id == on_time.pk
    assert issue_walk_in_ticket(
        location=centre, service=passport, late_booking=late
    ).booking_id == (late.pk)


def test_only_managers_act_and_only_on_their_queues(
    centre: Location,
    postal_vote: Service,
    passport: Service,
    staff_client: Callable[[User], Client],
) -> None:
    clock.set_now(at(7, 13, 0))
    front_desk = staff_client(member(Role.FRONT_DESK, centre))
    assert front_desk.post(URL, {"sted": centre.pk, "koe": "B"}).status_code == 403
    assert "Stop tickets for" not in front_desk.get("/personale/overblik/").content.decode()
    manager = staff_client(member(Role.MANAGER, centre))
    # A queue with only booked errands, an unknown one, another place.
    for choice in ({"sted": centre.pk, "koe": "A"}, {"sted": centre.pk, "koe": "Z"}, {"sted": 999}):
        refused = manager.post(URL, choice, follow=True)
        assert "That queue is not one you can stop tickets for." in refused.content.decode()
    assert not ManagerAction.objects.exists()


def test_the_kiosk_no_longer_lists_a_stopped_errand_and_the_waiting_room_promises_no_wait_for_it(
    centre: Location, postal_vote: Service, kiosk: Client
) -> None:
    clock.set_now(at(7, 13, 0))
    assert read_board(location=centre).expected_wait_minutes is not None
    assert "Take a ticket" in kiosk.get("/kiosk/").content.decode()
    listed = kiosk.get("/kiosk/uden-tid/").content.decode()
    assert f'value="{postal_vote.slug}"' in listed

    stop_walk_ins(location=centre, letter="B", staff=member(Role.MANAGER, centre))

    # The only walk-in errand here is stopped: no ticket button, no list,
    # and the reason rather than "every errand needs a booking".
    assert "Take a ticket" not in kiosk.get("/kiosk/").content.decode()
    listed = kiosk.get("/kiosk/uden-tid/").content.decode()
    assert f'value="{postal_vote.slug}"' not in listed
    assert "No more tickets without a booking are given today." in listed
    assert "needs a booked time" not in listed
    # A citizen who chose from the list shown before the stop is told why.
    chosen = kiosk.post("/kiosk/uden-tid/", {"service": postal_vote.slug})
    assert chosen.status_code == 422
    assert "No more tickets without a booking are given for this errand today" in (
        chosen.content.decode()
    )
    assert read_board(location=centre).expected_wait_minutes is None


def test_a_stop_and_its_record_are_kept_together_or_not_at_all(
    centre: Location,
    postal_vote: Service,
    staff_client: Callable[[User], Client],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock.set_now(at(7, 13, 0))
    manager = staff_client(member(Role.MANAGER, centre))

    def refuse(**fields: object) -> None:
        raise DatabaseError("the record could not be written")

    monkeypatch.setattr(ManagerAction.objects, "create", refuse)
    with pytest.raises(DatabaseError):
        manager.post(URL, {"sted": centre.pk, "koe": "B"})
    # Without its record, the stop is undone: tickets are still given.
    assert issue_walk_in_ticket(location=centre, service=postal_vote).ticket.startswith("B")
    monkeypatch.undo()
    # A second stop of a stopped queue (another manager, another tab):
    # one stop, one record.
    manager.post(URL, {"sted": centre.pk, "koe": "B"})
    stop_queue_walk_ins(
        location=centre,
        letter="B",
        services="Postal vote",
        staff=member(Role.ADMINISTRATOR, centre),
    )
    assert ManagerAction.objects.count() == 1
