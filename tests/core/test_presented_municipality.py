"""One installation, several municipalities: every page shows the
municipality it is about, in its title and its footer, never simply the
first one there is."""

from collections.abc import Callable

import pytest
from django.test import Client

from skranke.accounts.models import Role, User
from skranke.core.models import Location, Municipality, Service
from tests.booking.test_staff_booking import member
from tests.centre import at
from tests.stats.visits import make_booking

pytestmark = pytest.mark.django_db


@pytest.fixture
def andeby(centre: Location) -> Location:
    """A second municipality, made after the first."""
    town = Municipality.objects.create(name="Andeby Kommune", slug="andeby", phone="99 88 77 66")
    return Location.objects.create(municipality=town, name="Andeby Rådhus", slug="andeby")


def shows(page: str, municipality: Municipality) -> bool:
    title = page.split("<title>")[1].split("</title>")[0]
    return municipality.name in title and municipality.phone in page


def test_staff_see_their_own_municipality(
    centre: Location, andeby: Location, staff_client: Callable[[User], Client]
) -> None:
    page = staff_client(member(Role.MANAGER, andeby)).get("/personale/").content.decode()
    assert shows(page, andeby.municipality)
    assert centre.municipality.name not in page
    page = staff_client(member(Role.MANAGER, centre)).get("/personale/").content.decode()
    assert shows(page, centre.municipality)


def test_a_citizens_booking_page_shows_the_municipality_of_its_location(
    centre: Location, andeby: Location
) -> None:
    errand = Service.objects.create(
        municipality=andeby.municipality, slug="pas", name_da="Pas", duration_minutes=20
    )
    booking = make_booking(location=andeby, service=errand, start=at(9, 10), status="booked")
    page = Client().get(f"/tid/{booking.code}/?token={booking.token}", follow=True)
    assert page.status_code == 200
    assert shows(page.content.decode(), andeby.municipality)
