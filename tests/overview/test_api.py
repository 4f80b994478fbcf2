"""GET /api/v1/overview: an integration token reads its municipality's
places, a manager the places they may see; the figures are the overview
page's, without staff names; others are refused."""

from collections.abc import Callable

import pytest
from django.test import Client

from skranke.accounts.models import Role, User
from skranke.core import clock
from skranke.core.models import Desk, Location, Municipality, Service
from skranke.overview.now import read_location_now
from skranke.queueing.calling import call_next
from skranke.queueing.checkin import issue_walk_in_ticket
from skranke.queueing.serving import open_desk
from tests.booking.test_staff_booking import member
from tests.centre import at
from tests.contact_centre.test_calls_api import make_token

pytestmark = pytest.mark.django_db

URL = "/api/v1/overview"


def test_an_integration_reads_each_place_now_as_the_overview_does(
    centre: Location, postal_vote: Service
) -> None:
    staff = member(Role.FRONT_DESK, centre)
    staff.first_name = "Sofie"
    staff.save()
    desk = Desk.objects.get(location=centre, name="1")
    clock.set_now(at(7, 10, 0))
    for _ in range(3):
        issue_walk_in_ticket(location=centre, service=postal_vote)
    open_desk(desk=desk, staff=staff)
    clock.set_now(at(7, 10, 4))
    call_next(desk=desk, staff=staff)
    clock.set_now(at(7, 10, 9))
    token = make_token(Municipality.objects.get())[1]
    answer = Client().get(URL, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200
    (place,) = answer.json()["places"]
    now = read_location_now(location=centre)
    assert place["location"] == "raadhus"
    assert place["waiting"] == now.waiting == 2
    queue = {row["letter"]: row for row in place["queues"]}["B"]
    assert queue["waiting"] == 2
    assert queue["longest_wait_minutes"] == 9
    desks = {row["name"]: row for row in place["desks"]}
    assert desks["1"] == {"name": "1", "status": "serving", "minutes": 5, "overrun": False}
    assert desks["2"]["status"] == "closed"
    assert place["day"]["visits"] == 3
    assert "Sofie" not in answer.content.decode()


def test_a_manager_reads_one_place_and_others_are_refused(
    centre: Location, staff_client: Callable[[User], Client]
) -> None:
    manager = staff_client(member(Role.MANAGER, centre))
    assert [
        place["location"] for place in manager.get(URL, {"location": "raadhus"}).json()["places"]
    ] == ["raadhus"]
    assert manager.get(URL, {"location": "elsewhere"}).status_code == 404
    assert staff_client(member(Role.FRONT_DESK, centre)).get(URL).status_code == 401
    assert Client().get(URL).status_code == 401
    assert Client().get(URL, headers={"Authorization": "Bearer wrong"}).status_code == 401


def test_the_schema_documents_it() -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/overview" in schema["paths"]
