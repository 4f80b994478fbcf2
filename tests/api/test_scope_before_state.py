"""A visit at another municipality's (or another location's) centre is
404 to a staff member, whatever its state: the 409 that tells a visit's
state is answered only for visits the caller may see."""

from datetime import time

import pytest
from django.test import Client

from skranke.accounts.models import Role, User
from skranke.core.models import Desk, DeskShift, Location, Municipality, OpeningHours, Service
from skranke.queueing.calling import call_next
from skranke.queueing.checkin import issue_walk_in_ticket
from skranke.queueing.models import Visit
from skranke.queueing.serving import finish_visit
from tests.booking.test_staff_booking import member

pytestmark = pytest.mark.django_db

ACTIONS = [
    ("start", {}),
    ("finish", {"outcome": "served"}),
    ("no-show", {}),
    ("transfer", {"service": "kort"}),
]


def walk_in_centre(municipality: Municipality, slug: str) -> Location:
    """A centre with a walk-in errand and a desk serving it all day."""
    place = Location.objects.create(
        municipality=municipality, name=f"Huset {slug}", slug=slug, address="N"
    )
    errand, _new = Service.objects.get_or_create(
        municipality=municipality,
        slug="brevstemme",
        defaults={"name_da": "Brevstemme", "booking_required": False, "duration_minutes": 5},
    )
    errand.locations.add(place)
    OpeningHours.objects.create(location=place, weekday=0, opens=time(8), closes=time(17))
    desk = Desk.objects.create(location=place, name="1")
    shift = DeskShift.objects.create(desk=desk, weekday=0, starts=time(8), ends=time(17))
    shift.services.set([errand])
    return place


@pytest.fixture
def elsewhere() -> Location:
    """Another municipality's centre."""
    other = Municipality.objects.create(name="Nabokommune", slug="nabo")
    return walk_in_centre(other, "nabo")


def visits_in_every_state(place: Location) -> dict[str, Visit]:
    """A visit waiting (never called), one called and one ended."""
    errand = Service.objects.get(municipality=place.municipality, slug="brevstemme")
    desk = Desk.objects.get(location=place)
    colleague = User.objects.create_user(
        f"kollega-{place.slug}", municipality=place.municipality, role=Role.FRONT_DESK
    )
    ended = issue_walk_in_ticket(location=place, service=errand)
    call_next(desk=desk, staff=colleague)
    finish_visit(visit_id=ended.pk, desk=desk, outcome=Visit.Outcome.SERVED)
    called = issue_walk_in_ticket(location=place, service=errand)
    call_next(desk=desk, staff=colleague)
    waiting = issue_walk_in_ticket(location=place, service=errand)
    return {"waiting": waiting, "called": called, "ended": ended}


def front_desk_client(centre: Location) -> Client:
    client = Client()
    client.force_login(member(Role.FRONT_DESK, centre))
    return client


def test_another_municipalitys_visit_is_404_in_every_state(
    centre: Location, elsewhere: Location, stopped_clock: object
) -> None:
    client = front_desk_client(centre)
    visits = visits_in_every_state(elsewhere)
    before = {visit.pk: (visit.status, visit.outcome) for visit in Visit.objects.all()}
    for state, visit in visits.items():
        for action, body in ACTIONS:
            answer = client.post(
                f"/api/v1/visits/{visit.pk}/{action}", body, content_type="application/json"
            )
            assert answer.status_code == 404, (state, action, answer.content)
            assert answer.json()["error"] == "not_found"
    # Nothing was changed by the attempts.
    assert {visit.pk: (visit.status, visit.outcome) for visit in Visit.objects.all()} == before


def test_a_visit_at_a_location_the_staff_member_does_not_work_at_is_404(
    centre: Location, stopped_clock: object
) -> None:
    """Same municipality, another location: also out of scope for a
    front-desk member who does not work there."""
    neighbour = walk_in_centre(centre.municipality, "filial")
    errand = Service.objects.get(municipality=centre.municipality, slug="brevstemme")
    waiting = issue_walk_in_ticket(location=neighbour, service=errand)
    answer = front_desk_client(centre).post(
        f"/api/v1/visits/{waiting.pk}/start", {}, content_type="application/json"
    )
    assert answer.status_code == 404


def test_a_visit_in_scope_still_tells_its_state(
    centre: Location, postal_vote: Service, stopped_clock: object
) -> None:
    waiting = issue_walk_in_ticket(location=centre, service=postal_vote)
    answer = front_desk_client(centre).post(
        f"/api/v1/visits/{waiting.pk}/start", {}, content_type="application/json"
    )
    assert answer.status_code == 409
    assert answer.json()["error"] == "not_called"
