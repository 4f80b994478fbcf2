"""The kiosk pages: only a signed-in kiosk device, a ticket on the screen,
and a clear answer (never an error page) for every booking it cannot check in."""

import re
from datetime import datetime

import pytest
from django.test import Client

from skranke.accounts.devices import revoke_device
from skranke.accounts.models import Device
from skranke.booking.availability import Policy
from skranke.booking.booking import book_appointment, cancel_appointment
from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.models import Location, Service
from skranke.queueing.models import Visit
from tests.centre import at, citizen, device_token


def booking_at(
    centre: Location, service: Service, start: datetime, number: int = 1, **changes: object
) -> Booking:
    return book_appointment(
        location=centre,
        service=service,
        start=start,
        citizen=citizen(number, **changes),
        channel=Booking.Channel.WEB,
        policy=Policy.for_staff(centre),
    )


def test_the_kiosk_needs_a_device_token(centre: Location) -> None:
    assert Client().get("/kiosk/").url.startswith("/enhed/")
    answer = Client().post("/enhed/", {"token": "guess"})
    assert answer.status_code == 400
    # A display token does not open the kiosk.
    display = Client()
    display.post("/enhed/", {"token": device_token(centre, Device.Kind.DISPLAY)})
    assert display.get("/kiosk/").status_code == 302


def test_a_revoked_kiosk_is_signed_out_at_its_next_request(kiosk: Client) -> None:
    assert kiosk.get("/kiosk/").status_code == 200
    revoke_device(device=Device.objects.get(kind=Device.Kind.KIOSK))
    assert kiosk.get("/kiosk/").status_code == 302


def test_checking_in_with_the_code_shows_the_ticket_and_the_wait(
    kiosk: Client, centre: Location, passport: Service
) -> None:
    booking = booking_at(centre, passport, at(7, 10, 20))
    passport.waiting_area_en = "Area P, first floor"
    passport.save()
    clock.set_now(at(7, 10, 10))
    answer = kiosk.post("/kiosk/", {"how": "code", "code": booking.code}, follow=True)
    page = answer.content.decode()
    assert "A001" in page
    text = " ".join(page.split())
    assert "Please wait in: Area P, first floor. Your number will be shown" in text
    assert "Expected wait: you are called in a moment." in page
    # Shown again, the same ticket; the address never names the visit.
    again = kiosk.post("/kiosk/", {"how": "code", "code": booking.code}, follow=True)
    assert "A001" in again.content.decode()
    assert answer.redirect_chain == [("/kiosk/billet/", 302)]
    assert Visit.objects.count() == 1


@pytest.mark.parametrize(
    ("entered", "expected"),
    [
        ({"how": "code", "code": "NOSUCH"}, "We cannot check you in here today."),
        ({"how": "phone", "phone": "not a number"}, "Write a valid mobile number"),
        ({"how": "code", "code": ""}, "Type your booking code or your mobile number."),
        ({"how": "phone", "phone": "x" * 500}, "Write a valid mobile number"),
        ({"how": "other", "code": "NOSUCH"}, "We cannot check you in here today."),
    ],
)
def test_bad_input_is_answered_on_the_page(
    kiosk: Client, centre: Location, entered: dict[str, str], expected: str
) -> None:
    clock.set_now(at(7, 10, 10))
    answer = kiosk.post("/kiosk/", entered)
    assert answer.status_code == 200
    assert expected in answer.content.decode()
    assert not Visit.objects.exists()


def test_a_late_citizen_is_offered_a_ticket_and_gets_one(
    kiosk: Client, centre: Location, passport: Service
) -> None:
    booking = booking_at(centre, passport, at(7, 10, 20))
    clock.set_now(at(7, 10, 45))
    answer = kiosk.post("/kiosk/", {"how": "code", "code": booking.code})
    page = answer.content.decode()
    assert "Your booked time has passed" in page
    assert booking.code not in page  # the offer names no code
    ticket = kiosk.post("/kiosk/uden-tid/", {"late": "1"}, follow=True)
    assert "A001" in ticket.content.decode()
    assert Visit.objects.get().booking == booking


def test_the_walk_in_page_tells_nothing_about_a_typed_code_and_queues_no_booking(
    kiosk: Client, centre: Location, passport: Service
) -> None:
    """Whatever code is posted to the walk-in page, the answer is the same,
    and no booking becomes a no-show: only the citizen whose late code the
    start page has just taken is offered a ticket for their errand."""
    late = booking_at(centre, passport, at(7, 10, 20))
    coming = booking_at(centre, passport, at(7, 14, 0), number=2)
    clock.set_now(at(7, 10, 45))
    answers = {
        code: without_csrf(kiosk.post("/kiosk/uden-tid/", {"booking": code, "late": "1"}).content)
        for code in (late.code, coming.code, "ZZZZZZ")
    }
    assert len(set(answers.values())) == 1
    late.refresh_from_db()
    assert late.status == Booking.Status.BOOKED
    assert not Visit.objects.exists()
    # The offer is for the citizen in front of the kiosk now.
    kiosk.post("/kiosk/", {"how": "code", "code": late.code})
    clock.set_now(at(7, 10, 48))
    kiosk.post("/kiosk/uden-tid/", {"late": "1"})
    assert not Visit.objects.exists()


def test_a_walk_in_chooses_among_errands_allowed_without_a_booking(
    kiosk: Client, centre: Location, passport: Service, card: Service, postal_vote: Service
) -> None:
    clock.set_now(at(7, 10, 0))
    choices = kiosk.get("/kiosk/uden-tid/").content.decode()
    assert "Postal vote" in choices
    assert "Pas" not in choices
    ticket = kiosk.post("/kiosk/uden-tid/", {"service": "brevstemme"}, follow=True)
    assert "B001" in ticket.content.decode()
    refused = kiosk.post("/kiosk/uden-tid/", {"service": "pas"})
    assert refused.status_code == 422
    assert Visit.objects.count() == 1


def without_csrf(page: bytes) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page.decode())


def test_the_kiosk_answers_every_wrong_code_with_the_same_page(
    kiosk: Client, centre: Location, passport: Service
) -> None:
    """A kiosk tried code after code must learn nothing: an unknown code,
    another day's booking and a cancelled one give the same page, which
    then asks for the mobile number as well."""
    other_day = booking_at(centre, passport, at(8, 11, 0))
    cancelled = booking_at(centre, passport, at(7, 11, 0), number=2)
    cancel_appointment(booking=cancelled)
    clock.set_now(at(7, 10, 10))
    pages = {
        code: kiosk.post("/kiosk/", {"how": "code", "code": code})
        for code in ("NOSUCH", other_day.code, cancelled.code)
    }
    assert {answer.status_code for answer in pages.values()} == {200}
    # The page repeats what was typed (to try with the number); apart from
    # that, the pages are the same, byte for byte.
    shown = {without_csrf(answer.content).replace(code, "CODE") for code, answer in pages.items()}
    assert len(shown) == 1
    page = shown.pop()
    assert "We cannot check you in here today." in page
    assert "8 December" not in page
    assert "11:00" not in page
    assert "Type your mobile number as well" in page


def test_the_code_with_the_mobile_number_tells_the_citizen_their_day(
    kiosk: Client, centre: Location, passport: Service
) -> None:
    other_day = booking_at(centre, passport, at(8, 11, 0), phone="+4524242424")
    clock.set_now(at(7, 10, 10))
    answer = kiosk.post("/kiosk/", {"how": "both", "code": other_day.code, "phone": "24242424"})
    assert "Your booking is on Tuesday 8 December at 11:00." in answer.content.decode()
    wrong = kiosk.post("/kiosk/", {"how": "both", "code": other_day.code, "phone": "29 99 99 99"})
    assert "We cannot check you in here today." in wrong.content.decode()
    assert not Visit.objects.exists()


def test_a_closed_kiosk_says_so_and_when_it_opens_on_its_first_screen(
    kiosk: Client, centre: Location, postal_vote: Service
) -> None:
    """Saturday: closed all day. No ticket is offered, and the first screen
    says when it opens; a citizen who goes to the tickets anyway is sent
    back to it."""
    clock.set_now(at(12, 11, 0))
    page = kiosk.get("/kiosk/").content.decode()
    text = " ".join(page.split())
    assert "Closed. We open Monday 14 December at 10:00." in text
    assert "We are closed" in text
    assert "/kiosk/uden-tid/" not in page  # no "Take a ticket"
    assert 'name="code"' not in page  # no booking to check in today
    assert kiosk.get("/kiosk/uden-tid/")["Location"] == "/kiosk/"
    assert not Visit.objects.exists()


def test_before_opening_a_booked_citizen_may_check_in_but_no_ticket_is_offered(
    kiosk: Client, centre: Location, postal_vote: Service
) -> None:
    clock.set_now(at(7, 9, 50))  # opens at 10:00
    page = " ".join(kiosk.get("/kiosk/").content.decode().split())
    assert "Closed. We open Monday 7 December at 10:00." in page
    assert "If you have a booking today, you can check in." in page
    assert 'name="code"' in page
    assert "/kiosk/uden-tid/" not in page
    clock.set_now(at(7, 10, 0))
    opened = kiosk.get("/kiosk/").content.decode()
    assert "/kiosk/uden-tid/" in opened
    assert "Closed." not in opened
