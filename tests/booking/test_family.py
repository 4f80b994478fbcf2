"""The family with one mobile number: a parent books the family's
passports with their own number, online in several tabs and at the staff
form; one person still gets one booking per errand, and one number a
bounded number of people. The staff form never refuses: it shows the
number's bookings and lets the staff member go on."""

from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

from skranke.accounts.models import Role
from skranke.booking.availability import Policy
from skranke.booking.booking import book_appointment
from skranke.booking.errors import LimitReached
from skranke.booking.models import Booking
from skranke.core.models import Location, Service
from tests.booking.test_staff_booking import DETAILS, book_url, member
from tests.centre import at, citizen

pytestmark = pytest.mark.django_db

FAMILY = ["Far Jensen", "Mor Jensen", "Søn Jensen", "Datter Jensen"]
TIMES = ["2026-12-08T10:00", "2026-12-08T10:20", "2026-12-08T10:40", "2026-12-08T11:00"]


def test_a_family_of_four_books_four_passports_with_one_number_in_four_tabs(
    centre: Location, passport: Service
) -> None:
    client = Client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    details = {"phone": "20 30 40 60", "email": "", "sms_consent": "on"}
    tabs = [
        client.post(f"/bestil/pas/raadhus/oplysninger/?start={start}", details | {"name": name})[
            "Location"
        ]
        for name, start in zip(FAMILY, TIMES, strict=True)
    ]
    answers = [client.post(tab) for tab in tabs]
    assert [answer.status_code for answer in answers] == [302] * 4
    assert sorted(Booking.objects.values_list("name", flat=True)) == sorted(FAMILY)


def test_one_person_still_gets_one_booking_per_errand(centre: Location, passport: Service) -> None:
    policy = Policy.for_citizens(centre)
    father = citizen(1, name="Far Jensen")
    book_appointment(
        location=centre, service=passport, start=at(8, 10), citizen=father,
        channel=Booking.Channel.WEB, policy=policy,
    )  # fmt: skip
    with pytest.raises(LimitReached, match="already have a booking for this errand"):
        book_appointment(
            location=centre, service=passport, start=at(9, 10), citizen=father,
            channel=Booking.Channel.WEB, policy=policy,
        )  # fmt: skip


def test_one_number_holds_a_bounded_number_of_people(
    centre: Location, passport: Service, settings: Any
) -> None:
    settings.BOOKINGS_PER_SERVICE_PER_PHONE = 3
    policy = Policy.for_citizens(centre)
    for n, hour in enumerate((10, 11, 12)):
        book_appointment(
            location=centre, service=passport, start=at(8, hour),
            citizen=citizen(1, name=f"Barn {n}"), channel=Booking.Channel.WEB, policy=policy,
        )  # fmt: skip
    with pytest.raises(LimitReached, match="already has 3 bookings for this errand"):
        book_appointment(
            location=centre, service=passport, start=at(9, 10),
            citizen=citizen(1, name="Barn 4"), channel=Booking.Channel.WEB, policy=policy,
        )  # fmt: skip


def test_the_staff_form_shows_the_numbers_bookings_and_books_on(
    centre: Location, passport: Service, staff_client: Any
) -> None:
    client = staff_client(member(Role.FRONT_DESK, centre))
    father = DETAILS | {"name": "Far Jensen", "phone": "20 30 40 60"}
    assert client.post(book_url(TIMES[0]), father).status_code == 302
    son = DETAILS | {"name": "Søn Jensen", "phone": "20 30 40 60"}
    shown = client.post(book_url(TIMES[1]), son)
    page = shown.content.decode()
    assert shown.status_code == 200
    assert "This phone number already has a booking for this errand" in page
    assert "Far Jensen" in page
    assert "Book anyway" in page
    assert "You already" not in page  # the staff member is not the citizen
    assert Booking.objects.count() == 1
    booked = client.post(book_url(TIMES[1]), son | {"set_eksisterende": "1"})
    assert booked.status_code == 302
    # Even the same person, if the staff member chooses to: never refused here.
    again = client.post(book_url(TIMES[2]), son | {"set_eksisterende": "1"})
    assert again.status_code == 302
    assert Booking.objects.count() == 3
