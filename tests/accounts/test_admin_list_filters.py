"""The admin's list filters name only what the user may see: another
municipality's locations, desks and the municipality itself are not even
offered as a choice."""

from collections.abc import Callable
from datetime import time

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from skranke.accounts.models import Device, Role, User
from skranke.core.models import Desk, DeskShift, Location, Municipality, SpecialDay

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], Client]


@pytest.fixture
def neighbour() -> Location:
    """Another municipality's place, with a desk, a shift, a closed day and
    a kiosk, so that every filter on a location could name it."""
    other = Municipality.objects.create(name="Nabokommune", slug="nabo")
    place = Location.objects.create(
        municipality=other, name="Nabohuset", slug="nabo", address="Nabovej 1"
    )
    desk = Desk.objects.create(location=place, name="Naboskranken")
    DeskShift.objects.create(desk=desk, weekday=0, starts=time(10), ends=time(15))
    SpecialDay.objects.create(location=place, date="2026-12-24", closed=True)
    Device.objects.create(location=place, name="Nabokiosk", kind=Device.Kind.KIOSK)
    return place


def test_no_changelist_offers_another_municipalitys_places(
    centre: Location, neighbour: Location, staff_client: ClientFor
) -> None:
    administrator = User.objects.create_user(
        "anne", municipality=centre.municipality, role=Role.ADMINISTRATOR
    )
    client = staff_client(administrator)
    seen = 0
    for model, model_admin in admin.site._registry.items():
        if not model_admin.list_filter:
            continue
        meta = model._meta
        page = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        if page.status_code != 200:
            continue  # the role may not see this list at all
        seen += 1
        text = page.content.decode()
        for name in ("Nabohuset", "Naboskranken", "Nabokommune"):
            assert name not in text, f"{meta.label} offers {name}"
    assert seen >= 5


def test_the_filter_still_offers_the_users_own_places(
    centre: Location, neighbour: Location, staff_client: ClientFor
) -> None:
    administrator = User.objects.create_user(
        "anne", municipality=centre.municipality, role=Role.ADMINISTRATOR
    )
    Location.objects.create(
        municipality=centre.municipality, name="Filialen", slug="filial", address="F"
    )
    page = staff_client(administrator).get("/admin/core/desk/")
    (location_filter,) = [
        spec for spec in page.context["cl"].filter_specs if spec.field_path == "location"
    ]
    assert sorted(name for _pk, name in location_filter.lookup_choices) == ["Filialen", "Rådhuset"]


def test_a_superuser_is_offered_every_municipalitys_places(
    centre: Location, neighbour: Location, staff_client: ClientFor
) -> None:
    root = User.objects.create_superuser("root", "root@example.org", "x")
    page = staff_client(root).get("/admin/core/desk/")
    assert "Nabohuset" in page.content.decode()
