"""Checking in at the kiosk's rules: by code or mobile number, with a clear
answer for every booking that cannot be checked in now and here."""

from collections.abc import Callable
from datetime import timedelta

import pytest

from skranke.accounts.models import Role, User
from skranke.booking.booking import cancel_appointment
from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.models import Desk, Location, Service
from skranke.queueing.calling import call_next
from skranke.queueing.checkin import check_in_booking, issue_walk_in_ticket
from skranke.queueing.errors import CheckInRefused, QueueRefused
from skranke.queueing.forecast import wait_for_visit
from skranke.queueing.models import Visit
from tests.centre import at

Book = Callable[..., Booking]
PHONE = "+4521212121"


def refusal(location: Location, **how: str) -> CheckInRefused:
    with pytest.raises(CheckInRefused) as refused:
        check_in_booking(location=location, **how)
    return refused.value


def test_a_booking_checks_in_with_its_code_and_gets_a_ticket(
    centre: Location, passport: Service, book: Book
) -> None:
    booking = book(passport, at(7, 10, 20))
    clock.set_now(at(7, 10, 10))
    visit = check_in_booking(location=centre, code=booking.code.lower())
    assert visit.ticket == "A001"
    assert visit.booking == booking
    assert visit.arrived_at == at(7, 10, 10)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CHECKED_IN


def test_checking_in_twice_shows_the_same_ticket(
    centre: Location, passport: Service, book: Book
) -> None:
    booking = book(passport, at(7, 10, 20))
    clock.set_now(at(7, 10, 10))
    first = check_in_booking(location=centre, code=booking.code)
    again = check_in_booking(location=centre, code=f" {booking.code[:4]}-{booking.code[4:]} ")
    assert again.pk == first.pk
    assert Visit.objects.count() == 1


def test_a_mobile_number_matching_one_booking_today_checks_it_in(
    centre: Location, passport: Service, card: Service, book: Book
) -> None:
    booking = book(passport, at(7, 10, 20), phone=PHONE)
    book(card, at(8, 10, 20), phone=PHONE)  # tomorrow's does not count
    clock.set_now(at(7, 10, 10))
    visit = check_in_booking(location=centre, phone="21 21 21 21")
    assert visit.booking == booking


def test_a_mobile_number_with_several_bookings_today_asks_for_the_code(
    centre: Location, passport: Service, card: Service, book: Book
) -> None:
    book(passport, at(7, 10, 20), phone=PHONE)
    book(card, at(7, 11, 0), phone=PHONE)
    clock.set_now(at(7, 10, 10))
    assert refusal(centre, phone=PHONE).code == "several_bookings"
    assert not Visit.objects.exists()


def test_unknown_codes_and_numbers_are_told_apart_from_typing_errors(centre: Location) -> None:
    clock.set_now(at(7, 10, 0))
    unknown = refusal(centre, code="ZZZZZZ")
    assert unknown.code == "not_here_today"
    assert unknown.status == 404
    assert refusal(centre, phone="20 99 99 99").code == "not_here_today"
    assert refusal(centre, phone="12").code == "invalid_phone"


def library_of(centre: Location, passport: Service) -> Location:
    library = Location.objects.create(
        municipality=centre.municipality, name="Biblioteket", slug="bibliotek", address="Vej 2"
    )
    passport.locations.add(library)
    return library


def test_a_code_alone_tells_nothing_about_a_booking_not_for_here_and_today(
    centre: Location, passport: Service, book: Book
) -> None:
    """Whoever stands at a kiosk may be trying codes: an unknown code,
    another day's, another place's, a cancelled booking and a telephone
    meeting all get the same answer, with nothing from the booking in it."""
    other_day = book(passport, at(8, 11, 0))
    elsewhere = book(passport, at(7, 10, 20), phone="+4522222222")
    cancelled = book(passport, at(7, 10, 40), phone="+4523232323")
    cancel_appointment(booking=cancelled)
    library = library_of(centre, passport)
    clock.set_now(at(7, 10, 10))
    answers = {
        (refused.code, refused.status, str(refused.message))
        for refused in (
            refusal(library, code="ZZZZZZ"),
            refusal(library, code=other_day.code),
            refusal(library, code=elsewhere.code),
            refusal(library, code=cancelled.code),
            refusal(library, phone=elsewhere.phone),
        )
    }
    assert len(answers) == 1
    ((code, status, message),) = answers
    assert (code, status) == ("not_here_today", 404)
    assert "8 December" not in message
    assert centre.name not in message


def test_the_code_with_its_mobile_number_is_told_the_day_and_place(
    centre: Location, passport: Service, book: Book
) -> None:
    other_day = book(passport, at(8, 11, 0), phone="+4524242424")
    elsewhere = book(passport, at(7, 10, 20), phone="+4522222222")
    cancelled = book(passport, at(7, 10, 40), phone="+4523232323")
    cancel_appointment(booking=cancelled)
    library = library_of(centre, passport)
    clock.set_now(at(7, 10, 10))
    day = refusal(library, code=other_day.code, phone="24 24 24 24")
    assert day.code == "other_day"
    assert "Tuesday 8 December at 11:00" in str(day.message)
    place = refusal(library, code=elsewhere.code, phone="22 22 22 22")
    assert place.code == "other_location"
    assert centre.name in str(place.message)
    assert refusal(library, code=cancelled.code, phone="23232323").code == "cancelled"
    # Another person's number with the code is as good as a wrong code.
    assert refusal(library, code=other_day.code, phone=PHONE).code == "not_here_today"


def test_too_early_is_told_when_to_come_back_unless_a_desk_is_free(
    centre: Location, passport: Service, card: Service, book: Book
) -> None:
    booking = book(passport, at(7, 11, 0))
    # 10:30: both desks are open and idle, so the early citizen is taken.
    card.walk_in_allowed = True
    card.save()
    clock.set_now(at(7, 10, 30))
    # …but not while someone else waits for them.
    issue_walk_in_ticket(location=centre, service=card)
    issue_walk_in_ticket(location=centre, service=card)
    refused = refusal(centre, code=booking.code)
    assert refused.code == "too_early"
    assert refused.come_back_at == at(7, 10, 45)
    assert "10:45" in str(refused.message)
    Visit.objects.all().delete()
    assert check_in_booking(location=centre, code=booking.code).booking == booking


def test_before_the_desks_open_early_means_come_back(
    centre: Location, passport: Service, book: Book
) -> None:
    booking = book(passport, at(7, 10, 40))
    clock.set_now(at(7, 9, 55))
    assert refusal(centre, code=booking.code).code == "too_early"
    clock.set_now(at(7, 10, 25))  # 15 minutes before: welcome
    assert check_in_booking(location=centre, code=booking.code).booking == booking


def test_too_late_is_offered_a_ticket_without_the_booked_time(
    centre: Location, passport: Service, book: Book
) -> None:
    booking = book(passport, at(7, 10, 20))
    clock.set_now(at(7, 10, 31))
    refused = refusal(centre, code=booking.code)
    assert refused.code == "too_late"
    assert refused.booking == booking
    visit = issue_walk_in_ticket(location=centre, service=passport, late_booking=booking)
    # Queued like a walk-in: it does not jump the booked citizens.
    assert visit.ticket == "A001"
    booking.refresh_from_db()
    assert booking.status == Booking.Status.NO_SHOW
    again = issue_walk_in_ticket(location=centre, service=passport, late_booking=booking)
    assert again.pk == visit.pk


def test_within_the_grace_period_is_on_time(
    centre: Location, passport: Service, book: Book
) -> None:
    booking = book(passport, at(7, 10, 20))
    clock.set_now(at(7, 10, 30))
    assert check_in_booking(location=centre, code=booking.code).booking == booking


def test_a_booked_errand_needs_a_booking_unless_late(
    centre: Location, passport: Service, book: Book
) -> None:
    clock.set_now(at(7, 10, 30))
    with pytest.raises(QueueRefused):
        issue_walk_in_ticket(location=centre, service=passport)
    on_time = book(passport, at(7, 10, 40))
    with pytest.raises(QueueRefused):  # not late: no walk-in ticket for it
        issue_walk_in_ticket(location=centre, service=passport, late_booking=on_time)


def test_the_expected_wait_counts_the_queue_ahead(
    centre: Location, card: Service, book: Book
) -> None:
    card.walk_in_allowed = True
    card.save()
    clock.set_now(at(7, 10, 0))
    tickets = [issue_walk_in_ticket(location=centre, service=card) for _ in range(5)]
    # Two desks, ten minutes each: 0, 0, 10, 10, 20.
    assert [wait_for_visit(visit=visit) for visit in tickets] == [0, 0, 10, 10, 20]
    staff = User.objects.create_user("s", municipality=centre.municipality, role=Role.FRONT_DESK)
    for desk in Desk.objects.filter(location=centre):
        call_next(desk=desk, staff=staff)
    clock.advance(timedelta(minutes=3))
    assert wait_for_visit(visit=tickets[4]) == 17


def test_a_booking_later_today_counts_in_a_walk_ins_wait(
    centre: Location, passport: Service, card: Service, book: Book
) -> None:
    card.walk_in_allowed = True
    card.save()
    for number, start in enumerate([at(7, 10, 0), at(7, 10, 0)]):
        book(passport, start, number=number)
    clock.set_now(at(7, 9, 58))
    visit = issue_walk_in_ticket(location=centre, service=card)
    # Both desks serve the 10:00 passports first (20 minutes).
    assert wait_for_visit(visit=visit) == 22


def test_no_ticket_when_no_desk_serves_the_errand_for_the_rest_of_the_day(
    centre: Location, card: Service
) -> None:
    card.walk_in_allowed = True
    card.save()
    clock.set_now(at(7, 15, 0))
    with pytest.raises(QueueRefused, match="rest of today"):
        issue_walk_in_ticket(location=centre, service=card)
    clock.set_now(at(7, 8, 0))  # before opening: the desks come later
    assert issue_walk_in_ticket(location=centre, service=card).ticket == "A001"
