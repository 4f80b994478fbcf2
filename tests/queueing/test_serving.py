"""At the desk: start, finish with an outcome, transfer with the same
ticket, did-not-come, pause; a second click changes nothing. And the
worker's end of the day: no-shows after the grace period, visits left
open closed and flagged."""

from collections.abc import Callable
from datetime import timedelta

import pytest

from skranke.accounts.models import Role, User
from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.models import Desk, Location, Service
from skranke.queueing.calling import call_next
from skranke.queueing.checkin import check_in_booking, issue_walk_in_ticket
from skranke.queueing.closing import close_past_visits, mark_no_shows
from skranke.queueing.errors import NotChanged, QueueRefused
from skranke.queueing.models import Visit
from skranke.queueing.serving import (
    finish_visit,
    is_overrun,
    pause_desk,
    recall_visit,
    start_visit,
)
from tests.centre import at

Book = Callable[..., Booking]


@pytest.fixture
def staff(centre: Location) -> User:
    return User.objects.create_user("s", municipality=centre.municipality, role=Role.FRONT_DESK)


@pytest.fixture
def desk(centre: Location) -> Desk:
    return Desk.objects.get(location=centre, name="1")


@pytest.fixture
def walk_ins(card: Service, passport: Service) -> Service:
    card.walk_in_allowed = True
    card.save()
    return card


def test_a_visit_runs_from_call_to_served_with_every_moment_kept(
    centre: Location, desk: Desk, staff: User, passport: Service, book: Book
) -> None:
    booking = book(passport, at(7, 10, 20))
    clock.set_now(at(7, 10, 10))
    check_in_booking(location=centre, code=booking.code)
    clock.set_now(at(7, 10, 20))
    called = call_next(desk=desk, staff=staff)
    assert called is not None
    clock.set_now(at(7, 10, 21))
    start_visit(visit_id=called.pk, desk=desk)
    clock.set_now(at(7, 10, 39))
    ended = finish_visit(visit_id=called.pk, desk=desk, outcome=Visit.Outcome.SERVED)
    assert (ended.arrived_at, ended.called_at, ended.started_at, ended.ended_at) == (
        at(7, 10, 10),
        at(7, 10, 20),
        at(7, 10, 21),
        at(7, 10, 39),
    )
    assert (ended.desk, ended.staff, ended.outcome) == (desk, staff, "served")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.SERVED


def test_second_clicks_change_nothing_and_say_so(
    centre: Location, desk: Desk, staff: User, walk_ins: Service
) -> None:
    clock.set_now(at(7, 10, 0))
    issue_walk_in_ticket(location=centre, service=walk_ins)
    issue_walk_in_ticket(location=centre, service=walk_ins)
    called = call_next(desk=desk, staff=staff)
    assert called is not None
    assert call_next(desk=desk, staff=staff) == called  # the same citizen, nobody new
    start_visit(visit_id=called.pk, desk=desk)
    with pytest.raises(NotChanged):
        start_visit(visit_id=called.pk, desk=desk)
    finish_visit(visit_id=called.pk, desk=desk, outcome=Visit.Outcome.SERVED)
    with pytest.raises(NotChanged):
        finish_visit(visit_id=called.pk, desk=desk, outcome=Visit.Outcome.SERVED)
    assert Visit.objects.filter(status=Visit.Status.ENDED).count() == 1
    assert Visit.objects.filter(status=Visit.Status.WAITING).count() == 1


def test_another_desk_cannot_act_on_a_visit_it_did_not_call(
    centre: Location, desk: Desk, staff: User, walk_ins: Service
) -> None:
    clock.set_now(at(7, 10, 0))
    issue_walk_in_ticket(location=centre, service=walk_ins)
    called = call_next(desk=desk, staff=staff)
    assert called is not None
    other = Desk.objects.get(location=centre, name="2")
    with pytest.raises(QueueRefused):
        finish_visit(visit_id=called.pk, desk=other, outcome=Visit.Outcome.SERVED)
    with pytest.raises(QueueRefused):
        finish_visit(visit_id=called.pk, desk=desk, outcome="eaten")


def test_a_transfer_keeps_the_ticket_and_goes_first_in_the_new_queue(
    centre: Location, desk: Desk, staff: User, walk_ins: Service, passport: Service
) -> None:
    passport.walk_in_allowed = True
    passport.save()
    clock.set_now(at(7, 10, 0))
    first = issue_walk_in_ticket(location=centre, service=walk_ins)
    issue_walk_in_ticket(location=centre, service=passport)
    called = call_next(desk=desk, staff=staff)
    assert called == first
    clock.set_now(at(7, 10, 5))
    moved = finish_visit(
        visit_id=first.pk, desk=desk, outcome=Visit.Outcome.TRANSFERRED, transfer_to=passport
    )
    assert (moved.ticket, moved.service, moved.transferred_from) == (first.ticket, passport, first)
    assert call_next(desk=desk, staff=staff) == moved
    with pytest.raises(QueueRefused):  # not to the errand it already is
        finish_visit(
            visit_id=moved.pk, desk=desk, outcome=Visit.Outcome.TRANSFERRED, transfer_to=passport
        )


@pytest.mark.parametrize(
    ("last_outcome", "booking_status"),
    [
        (Visit.Outcome.NO_SHOW, Booking.Status.NO_SHOW),
        (Visit.Outcome.SERVED, Booking.Status.SERVED),
        (Visit.Outcome.ASSISTED_SELF_SERVICE, Booking.Status.SERVED),
    ],
)
def test_a_transferred_bookings_status_follows_its_last_visit(
    centre: Location,
    desk: Desk,
    staff: User,
    passport: Service,
    card: Service,
    book: Book,
    last_outcome: str,
    booking_status: str,
) -> None:
    booking = book(passport, at(7, 10, 20))
    clock.set_now(at(7, 10, 15))
    check_in_booking(location=centre, code=booking.code)
    clock.set_now(at(7, 10, 20))
    called = call_next(desk=desk, staff=staff)
    assert called is not None
    moved = finish_visit(
        visit_id=called.pk, desk=desk, outcome=Visit.Outcome.TRANSFERRED, transfer_to=card
    )
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CHECKED_IN  # still in the building
    assert call_next(desk=desk, staff=staff) == moved
    if last_outcome != Visit.Outcome.NO_SHOW:
        start_visit(visit_id=moved.pk, desk=desk)
    finish_visit(visit_id=moved.pk, desk=desk, outcome=last_outcome)
    booking.refresh_from_db()
    assert booking.status == booking_status


def test_did_not_come_only_before_the_start(
    centre: Location, desk: Desk, staff: User, passport: Service, book: Book
) -> None:
    booking = book(passport, at(7, 10, 20))
    clock.set_now(at(7, 10, 15))
    check_in_booking(location=centre, code=booking.code)
    clock.set_now(at(7, 10, 20))
    called = call_next(desk=desk, staff=staff)
    assert called is not None
    recalled = recall_visit(visit_id=called.pk, desk=desk)
    assert recalled.called_at == at(7, 10, 20)
    finish_visit(visit_id=called.pk, desk=desk, outcome=Visit.Outcome.NO_SHOW)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.NO_SHOW


def test_a_paused_desk_calls_no_one(
    centre: Location, desk: Desk, staff: User, walk_ins: Service
) -> None:
    clock.set_now(at(7, 10, 0))
    issue_walk_in_ticket(location=centre, service=walk_ins)
    pause_desk(desk=desk, staff=staff, paused=True)
    with pytest.raises(QueueRefused):
        call_next(desk=desk, staff=staff)
    pause_desk(desk=desk, staff=staff, paused=False)
    assert call_next(desk=desk, staff=staff) is not None


def test_a_visit_running_twice_its_time_is_flagged(
    centre: Location, desk: Desk, staff: User, walk_ins: Service
) -> None:
    clock.set_now(at(7, 10, 0))
    issue_walk_in_ticket(location=centre, service=walk_ins)
    called = call_next(desk=desk, staff=staff)
    assert called is not None
    visit = start_visit(visit_id=called.pk, desk=desk)
    assert not is_overrun(visit=visit, now=at(7, 10, 19))
    assert is_overrun(visit=visit, now=at(7, 10, 20))


def test_booked_citizens_not_come_by_the_grace_period_are_no_shows(
    centre: Location, passport: Service, book: Book
) -> None:
    late = book(passport, at(7, 10, 0))
    later = book(passport, at(7, 10, 20), number=1)
    clock.set_now(at(7, 10, 10))
    assert mark_no_shows() == 0
    clock.set_now(at(7, 10, 10) + timedelta(seconds=1))
    assert mark_no_shows() == 1
    late.refresh_from_db()
    later.refresh_from_db()
    assert (late.status, later.status) == (Booking.Status.NO_SHOW, Booking.Status.BOOKED)


def test_visits_left_open_are_closed_the_next_day_and_flagged(
    centre: Location, desk: Desk, staff: User, walk_ins: Service
) -> None:
    clock.set_now(at(7, 14, 50))
    waiting = issue_walk_in_ticket(location=centre, service=walk_ins)
    at_desk = issue_walk_in_ticket(location=centre, service=walk_ins)
    done = issue_walk_in_ticket(location=centre, service=walk_ins)
    for visit in (done, at_desk):
        Visit.objects.filter(pk=visit.pk).update(
            status=Visit.Status.IN_SERVICE, desk=desk, called_at=clock.now()
        )
    finish_visit(visit_id=done.pk, desk=desk, outcome=Visit.Outcome.SERVED)
    assert close_past_visits() == 0  # still the same day
    clock.set_now(at(8, 0, 5))
    assert close_past_visits() == 2
    flagged = set(Visit.objects.filter(not_ended_by_staff=True).values_list("pk", flat=True))
    assert flagged == {waiting.pk, at_desk.pk}
    assert not Visit.objects.exclude(status=Visit.Status.ENDED).exists()


def test_a_booking_whose_visit_was_left_open_at_the_desk_counts_as_served(
    centre: Location, desk: Desk, staff: User, passport: Service, book: Book
) -> None:
    served = book(passport, at(7, 10, 0))
    never_called = book(passport, at(7, 10, 0), number=1)
    clock.set_now(at(7, 9, 55))
    for booking in (served, never_called):
        check_in_booking(location=centre, code=booking.code)
    clock.set_now(at(7, 10, 0))
    called = call_next(desk=desk, staff=staff)
    assert called is not None
    assert called.booking_id == served.pk
    clock.set_now(at(8, 0, 5))
    assert close_past_visits() == 2
    served.refresh_from_db()
    never_called.refresh_from_db()
    assert served.status == Booking.Status.SERVED
    assert never_called.status == Booking.Status.CHECKED_IN  # neither served nor a no-show
