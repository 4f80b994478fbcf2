"""Devices in the admin: a manager adds a kiosk for their location, sees its
token once, and the token signs the kiosk in until it is revoked."""

import re

from django.test import Client

from skranke.accounts.devices import hash_token
from skranke.accounts.models import Device, Role
from skranke.core.models import Location, Municipality
from tests.booking.test_staff_booking import member


def test_a_manager_adds_a_kiosk_and_its_token_signs_it_in(centre: Location, staff_client) -> None:
    manager = staff_client(member(Role.MANAGER, centre))
    added = manager.post(
        "/admin/accounts/device/add/",
        {"name": "Indgangen", "kind": "kiosk", "location": centre.pk},
        follow=True,
    )
    page = added.content.decode()
    token = re.search(r"<code>([^<]+)</code>", page)
    assert token is not None
    device = Device.objects.get()
    assert device.token_hash == hash_token(token.group(1))  # only its hash is kept
    kiosk = Client()
    assert kiosk.post("/enhed/", {"token": token.group(1)}).url == "/kiosk/"
    assert kiosk.get("/kiosk/").status_code == 200
    manager.post(
        "/admin/accounts/device/",
        {"action": "revoke", "_selected_action": [device.pk]},
    )
    assert kiosk.get("/kiosk/").status_code == 302


def test_a_manager_cannot_put_a_device_at_another_municipalitys_location(
    centre: Location, staff_client
) -> None:
    other = Location.objects.create(
        municipality=Municipality.objects.create(name="Andeby", slug="andeby"),
        name="Andeby",
        slug="andeby",
    )
    manager = staff_client(member(Role.MANAGER, centre))
    manager.post(
        "/admin/accounts/device/add/", {"name": "X", "kind": "kiosk", "location": other.pk}
    )
    assert not Device.objects.exists()
