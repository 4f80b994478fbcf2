"""Staff booking on a citizen's behalf, within their own locations."""

from collections.abc import Callable

import pytest
from django.test import Client

from skranke.accounts.models import Role, User
from skranke.booking.models import Booking
from skranke.core.models import Location, Service
from tests.centre import at

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], Client]


def member(role: str, location: Location) -> User:
    user = User.objects.create_user(
        f"{role}-{location.slug}", password="pw", municipality=location.municipality, role=role
    )
    user.locations.set([location])
    return user


def book_url(start: str = "2026-12-08T10:00", **extra: str) -> str:
    query = "&".join(f"{key}={value}" for key, value in extra.items())
    return f"/personale/tider/ny/?sted=raadhus&ydelse=pas&start={start}&{query}"


DETAILS = {"channel": "phone", "name": "Ane Hansen", "phone": "20123456", "sms_consent": "on"}


def test_an_agent_finds_times_and_books_by_phone(
    centre: Location, passport: Service, staff_client: ClientFor
) -> None:
    agent = member(Role.CONTACT_AGENT, centre)
    client = staff_client(agent)
    page = client.get("/personale/tider/?ydelse=pas&dag=2026-12-08").content.decode()
    assert "10:00" in page
    form = client.get(book_url()).content.decode()
    # The form is about the citizen, not in their voice.
    assert "The citizen&#x27;s mobile number" in form
    assert "send me" not in form
    response = client.post(book_url(), DETAILS)
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert (booking.channel, booking.booked_by, booking.start) == ("phone", agent, at(8, 10))
    detail = client.get(response["Location"]).content.decode()
    assert booking.code in detail


def test_staff_may_book_at_short_notice(
    centre: Location, passport: Service, staff_client: ClientFor
) -> None:
    client = staff_client(member(Role.FRONT_DESK, centre))
    response = client.post(book_url("2026-12-07T10:00"), DETAILS | {"channel": "counter"})
    assert response.status_code == 302
    assert Booking.objects.get().channel == "counter"


def test_a_manager_squeezes_in_and_it_is_recorded(
    centre: Location, passport: Service, staff_client: ClientFor
) -> None:
    client = staff_client(member(Role.MANAGER, centre))
    for phone in ("20123450", "20123451"):
        client.post(book_url(), DETAILS | {"phone": phone})
    page = client.get("/personale/tider/?ydelse=pas&dag=2026-12-08").content.decode()
    assert "klem=1" in page
    response = client.post(book_url(klem="1"), DETAILS | {"phone": "20123452"})
    assert response.status_code == 302
    squeezed = Booking.objects.get(phone="+4520123452")
    assert squeezed.squeezed_in
    assert squeezed.desk is None


def test_front_desk_may_not_squeeze_in(
    centre: Location, passport: Service, staff_client: ClientFor
) -> None:
    client = staff_client(member(Role.FRONT_DESK, centre))
    assert client.post(book_url(klem="1"), DETAILS).status_code == 403
    assert not Booking.objects.exists()


def test_staff_cannot_see_or_book_at_another_location(
    centre: Location, passport: Service, staff_client: ClientFor
) -> None:
    other = Location.objects.create(
        municipality=centre.municipality, name="Andet", slug="andet", address="B"
    )
    outsider = staff_client(member(Role.FRONT_DESK, other))
    assert outsider.post(book_url(), DETAILS).status_code == 404
    insider = staff_client(member(Role.FRONT_DESK, centre))
    insider.post(book_url(), DETAILS)
    code = Booking.objects.get().code
    assert outsider.get(f"/personale/tider/{code}/").status_code == 404
    assert outsider.post(f"/personale/tider/{code}/aflys/").status_code == 404
    assert Booking.objects.get().status == "booked"


def test_staff_move_and_cancel_a_booking(
    centre: Location, passport: Service, staff_client: ClientFor
) -> None:
    client = staff_client(member(Role.CONTACT_AGENT, centre))
    client.post(book_url(), DETAILS)
    code = Booking.objects.get().code
    client.post(f"/personale/tider/{code}/", {"start": "2026-12-08T11:00"})
    assert Booking.objects.get().start == at(8, 11)
    client.post(f"/personale/tider/{code}/aflys/")
    assert Booking.objects.get().status == "cancelled"


def test_citizens_and_anonymous_visitors_have_no_staff_booking(
    centre: Location, passport: Service
) -> None:
    assert Client().get("/personale/tider/").status_code == 302  # to the login


def test_days_at_the_ends_of_the_calendar_fall_back_to_today(
    centre: Location, passport: Service, staff_client: ClientFor
) -> None:
    client = staff_client(member(Role.FRONT_DESK, centre))
    assert client.get("/personale/tider/?ydelse=pas&dag=9999-12-31").status_code == 200
    assert client.get("/personale/tider/dag/?dag=0001-01-01").status_code == 200
