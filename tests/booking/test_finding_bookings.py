"""A citizen who lost the link gets it again by text message; a staff
member finds a caller's bookings by number, name or code; the manage link
opens in the language the citizen booked in."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client

from skranke.accounts.models import Role, User
from skranke.booking.availability import Policy
from skranke.booking.booking import book_appointment, cancel_appointment
from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.models import Location, Service
from skranke.notifications.composing import compose_message
from skranke.notifications.models import Message
from tests.booking.test_staff_booking import member
from tests.centre import at, citizen

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(centre: Location, passport: Service) -> Booking:
    return book_appointment(
        location=centre,
        service=passport,
        start=at(8, 10),
        citizen=citizen(1, name="Ane Marie Hansen", language="en"),  # no text messages
        channel=Booking.Channel.WEB,
        policy=Policy.for_staff(centre),
    )


def links_sent(booking: Booking) -> list[Message]:
    return list(Message.objects.filter(booking=booking, kind=Message.Kind.LINK_AGAIN))


def test_the_start_page_leads_to_moving_or_cancelling(centre: Location) -> None:
    assert 'href="/find-din-tid/"' in Client().get("/").content.decode()


def test_code_and_number_send_the_link_again_by_text_message(booking: Booking) -> None:
    answer = Client().post(
        "/find-din-tid/", {"code": booking.code.lower(), "phone": booking.phone_display}
    )
    assert answer.status_code == 200
    [message] = links_sent(booking)
    assert (message.channel, message.recipient) == ("sms", booking.phone)
    text = compose_message(message=message).body
    assert f"/tid/{booking.code}/?token={booking.token}" in text
    assert "Hansen" not in text


def test_a_wrong_number_gets_the_same_answer_and_no_message(booking: Booking) -> None:
    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    right = english.post("/find-din-tid/", {"code": booking.code, "phone": booking.phone})
    Message.objects.filter(kind=Message.Kind.LINK_AGAIN).delete()
    wrong = english.post("/find-din-tid/", {"code": booking.code, "phone": "20 99 99 99"})
    assert wrong.status_code == right.status_code == 200
    assert "Look at your phone" in wrong.content.decode()
    assert links_sent(booking) == []


def test_asking_again_and_again_sends_at_most_every_ten_minutes(booking: Booking) -> None:
    form = {"code": booking.code, "phone": booking.phone}
    Client().post("/find-din-tid/", form)
    Message.objects.filter(kind=Message.Kind.LINK_AGAIN).update(status="sent")
    Client().post("/find-din-tid/", form)
    assert [m.status for m in links_sent(booking)] == ["sent"]
    clock.advance(timedelta(minutes=11))
    Client().post("/find-din-tid/", form)
    assert [m.status for m in links_sent(booking)] == ["pending"]


def test_a_cancelled_booking_sends_no_link(booking: Booking) -> None:
    cancel_appointment(booking=booking)
    Client().post("/find-din-tid/", {"code": booking.code, "phone": booking.phone})
    assert links_sent(booking) == []


def test_a_manage_link_without_its_token_offers_the_way_to_get_it(booking: Booking) -> None:
    response = Client().get(f"/tid/{booking.code}/")
    page = response.content.decode()
    assert response.status_code == 404
    assert 'action="/find-din-tid/"' in page
    assert f'value="{booking.code}"' in page


def test_the_link_opens_in_the_language_the_citizen_booked_in(booking: Booking) -> None:
    client = Client()
    response = client.get(f"/tid/{booking.code}/?token={booking.token}")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(response["Location"]).content.decode()
    assert '<html lang="en">' in page
    # A citizen who chose Danish here keeps Danish.
    chose = Client()
    chose.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    response = chose.get(f"/tid/{booking.code}/?token={booking.token}")
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_staff_find_a_callers_bookings_by_number_name_or_code_without_them_in_the_address(
    booking: Booking, centre: Location, staff_client: Callable[[User], Client]
) -> None:
    agent = staff_client(member(Role.CONTACT_AGENT, centre))
    for text in ("20 00 00 01", "+4520000001", "marie", booking.code.lower()):
        response = agent.post("/personale/tider/soeg/", {"soeg": text})
        page = response.content.decode()
        assert f'href="/personale/tider/{booking.code}/"' in page, text
        assert "+45 20 00 00 01" in page
    assert (
        "1 booking found"
        in agent.post("/personale/tider/soeg/", {"soeg": "Hansen"}).content.decode()
    )
    assert (
        "0 bookings found"
        in agent.post("/personale/tider/soeg/", {"soeg": "Jensen"}).content.decode()
    )
    assert agent.get("/personale/tider/soeg/?soeg=Hansen").content.decode().count("Ane Marie") == 0


def test_staff_search_only_their_own_places(
    booking: Booking, centre: Location, staff_client: Callable[[User], Client]
) -> None:
    elsewhere = Location.objects.create(
        municipality=centre.municipality, name="Biblioteket", slug="bib", address="Vej 2"
    )
    outsider = staff_client(member(Role.FRONT_DESK, elsewhere))
    page = outsider.post("/personale/tider/soeg/", {"soeg": "Hansen"}).content.decode()
    assert "0 bookings found" in page
