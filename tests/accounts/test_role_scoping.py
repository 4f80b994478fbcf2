"""Each role sees and changes only its own municipality and locations."""

from collections.abc import Callable
from datetime import time

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client

from skranke.accounts.models import Role, User
from skranke.accounts.scoping import visible_locations
from skranke.core.models import Desk, DeskShift, Location, Municipality, OpeningHours, Service

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], Client]


@pytest.fixture
def two_locations(municipality: Municipality) -> tuple[Location, Location]:
    a = Location.objects.create(municipality=municipality, name="A-huset", slug="a", address="A")
    b = Location.objects.create(municipality=municipality, name="B-huset", slug="b", address="B")
    for location in (a, b):
        OpeningHours.objects.create(location=location, weekday=0, opens=time(10), closes=time(17))
    return a, b


@pytest.fixture
def other_municipality() -> Location:
    other = Municipality.objects.create(name="Nabokommune", slug="nabo")
    return Location.objects.create(municipality=other, name="Nabohuset", slug="nabo", address="N")


def staff(username: str, role: str, municipality: Municipality, *locations: Location) -> User:
    user = User.objects.create_user(username, password="pw", municipality=municipality, role=role)
    user.locations.set(locations)
    return user


def test_a_manager_sees_only_their_own_locations(two_locations: tuple[Location, Location]) -> None:
    a, _ = two_locations
    manager = staff("lars", Role.MANAGER, a.municipality, a)
    assert list(visible_locations(user=manager)) == [a]


def test_an_administrator_sees_every_location_of_their_municipality_only(
    two_locations: tuple[Location, Location], other_municipality: Location
) -> None:
    a, b = two_locations
    administrator = staff("anne", Role.ADMINISTRATOR, a.municipality)
    assert set(visible_locations(user=administrator)) == {a, b}


def test_a_manager_of_a_cannot_read_location_b_in_the_admin(
    two_locations: tuple[Location, Location], staff_client: ClientFor
) -> None:
    a, b = two_locations
    client = staff_client(staff("lars", Role.MANAGER, a.municipality, a))
    listing = client.get("/admin/core/location/")
    assert listing.status_code == 200
    assert "A-huset" in listing.content.decode()
    assert "B-huset" not in listing.content.decode()
    detail = client.get(f"/admin/core/location/{b.pk}/change/")
    assert detail.status_code == 302  # "does not exist", back to the admin index
    assert "B-huset" not in client.get(detail["Location"]).content.decode()


def test_a_manager_of_a_cannot_change_location_b(
    two_locations: tuple[Location, Location], staff_client: ClientFor
) -> None:
    a, b = two_locations
    client = staff_client(staff("lars", Role.MANAGER, a.municipality, a))
    form = {
        "name": "Overtaget",
        "slug": "b",
        "address": "B",
        "municipality": b.municipality_id,
        "opening_hours-TOTAL_FORMS": "0",
        "opening_hours-INITIAL_FORMS": "0",
    }
    client.post(f"/admin/core/location/{b.pk}/change/", form)
    b.refresh_from_db()
    assert b.name == "B-huset"
    # The same form is accepted for the manager's own location.
    response = client.post(f"/admin/core/location/{a.pk}/change/", form | {"slug": "a"})
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.name == "Overtaget"


def test_a_manager_cannot_put_a_desk_in_another_location(
    two_locations: tuple[Location, Location], staff_client: ClientFor
) -> None:
    a, b = two_locations
    client = staff_client(staff("lars", Role.MANAGER, a.municipality, a))
    response = client.post(
        "/admin/core/desk/add/", {"location": b.pk, "name": "9", "kind": "counter", "active": "on"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Desk.objects.exists()


def test_a_manager_cannot_change_shifts_of_another_location(
    two_locations: tuple[Location, Location], staff_client: ClientFor
) -> None:
    a, b = two_locations
    desk_b = Desk.objects.create(location=b, name="1")
    shift_b = DeskShift.objects.create(desk=desk_b, weekday=0, starts=time(10), ends=time(12))
    client = staff_client(staff("lars", Role.MANAGER, a.municipality, a))
    assert client.get(f"/admin/core/deskshift/{shift_b.pk}/change/").status_code == 302
    client.post(f"/admin/core/deskshift/{shift_b.pk}/delete/", {"post": "yes"})
    assert DeskShift.objects.filter(pk=shift_b.pk).exists()


def test_a_manager_may_change_a_services_minutes_but_not_what_it_is(
    two_locations: tuple[Location, Location], staff_client: ClientFor
) -> None:
    a, _ = two_locations
    service = Service.objects.create(
        municipality=a.municipality, slug="pas", name_da="Pas", duration_minutes=20
    )
    client = staff_client(staff("lars", Role.MANAGER, a.municipality, a))
    page = client.get(f"/admin/core/service/{service.pk}/change/").content.decode()
    assert 'name="duration_minutes"' in page
    assert 'name="name_da"' not in page
    response = client.post(
        f"/admin/core/service/{service.pk}/change/",
        {
            "duration_minutes": 25,
            "slot_step_minutes": "",
            "held_back_percent": 0,
            "release_days_before": 1,
            "reminder_hours_before": 24,
            "code_confirmation": "always",
            "name_da": "Noget andet",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    service.refresh_from_db()
    assert (service.duration_minutes, service.name_da) == (25, "Pas")
    assert service.code_confirmation == Service.CodeConfirmation.ALWAYS
    # Who changed it, and when, is kept.
    entry = LogEntry.objects.get(object_id=str(service.pk))
    assert entry.user.username == "lars"


def test_an_administrator_cannot_see_another_municipality(
    two_locations: tuple[Location, Location], other_municipality: Location, staff_client: ClientFor
) -> None:
    a, _ = two_locations
    client = staff_client(staff("anne", Role.ADMINISTRATOR, a.municipality))
    listing = client.get("/admin/core/location/").content.decode()
    assert "Nabohuset" not in listing
    assert client.get(f"/admin/core/location/{other_municipality.pk}/change/").status_code == 302


def test_an_administrator_creates_staff_only_in_their_own_municipality(
    two_locations: tuple[Location, Location], other_municipality: Location, staff_client: ClientFor
) -> None:
    a, _ = two_locations
    client = staff_client(staff("anne", Role.ADMINISTRATOR, a.municipality))
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "username": "ny",
            "usable_password": "true",
            "password1": "en-lang-adgangskode-42",
            "password2": "en-lang-adgangskode-42",
            "municipality": other_municipality.municipality_id,
            "role": Role.FRONT_DESK,
            "locations": [a.pk],
        },
    )
    # The other municipality is not a valid choice.
    assert response.status_code == 200
    assert not User.objects.filter(username="ny").exists()


def test_an_administrator_cannot_see_or_make_superusers(
    two_locations: tuple[Location, Location], staff_client: ClientFor
) -> None:
    a, _ = two_locations
    root = User.objects.create_superuser("root", password="pw")
    administrator = staff("anne", Role.ADMINISTRATOR, a.municipality)
    client = staff_client(administrator)
    assert client.get(f"/admin/accounts/user/{root.pk}/change/").status_code == 302
    page = client.get(f"/admin/accounts/user/{administrator.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in page


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.CONTACT_AGENT])
def test_desk_staff_and_agents_have_no_admin(
    role: str, two_locations: tuple[Location, Location], staff_client: ClientFor
) -> None:
    a, _ = two_locations
    client = staff_client(staff("sara", role, a.municipality, a))
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/core/location/").status_code == 302
    assert client.get("/personale/").status_code == 200


def test_staff_without_a_role_see_nothing(two_locations: tuple[Location, Location]) -> None:
    a, _ = two_locations
    nobody = User.objects.create_user("x", password="pw", municipality=a.municipality)
    nobody.locations.set([a])
    assert not visible_locations(user=nobody).exists()


def test_a_manager_logs_in_to_the_admin_with_a_password(
    two_locations: tuple[Location, Location],
) -> None:
    a, _ = two_locations
    staff("lars", Role.MANAGER, a.municipality, a)
    staff("sara", Role.FRONT_DESK, a.municipality, a)
    client = Client()
    response = client.post("/admin/login/", {"username": "lars", "password": "pw"})
    assert response.status_code == 302
    refused = Client().post("/admin/login/", {"username": "sara", "password": "pw"})
    assert refused.status_code == 200  # the form again, with an error


def test_an_administrator_sets_reminders_and_walk_ins_per_service(
    two_locations: tuple[Location, Location], staff_client: ClientFor
) -> None:
    a, _ = two_locations
    service = Service.objects.create(
        municipality=a.municipality, slug="pas", name_da="Pas", duration_minutes=20
    )
    client = staff_client(staff("anne", Role.ADMINISTRATOR, a.municipality, a))
    page = client.get(f"/admin/core/service/{service.pk}/change/").content.decode()
    for field in ("reminder_hours_before", "walk_in_allowed", "ticket_letter"):
        assert f'name="{field}"' in page
