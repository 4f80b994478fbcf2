"""A NUL character anywhere a citizen or a client can put one is a clear
400, never a 500 (PostgreSQL refuses NUL in text)."""

import pytest
from django.test import Client

from skranke.core.models import Location

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "address",
    ["/api/v1/services?location=%00", "/api/v1/bookings/AB%00CD?token=x", "/tid/AB%00CD/"],
)
def test_a_nul_in_the_address_is_refused(address: str, location: Location) -> None:
    response = Client().get(address)
    assert response.status_code == 400
    if address.startswith("/api/"):
        assert response.json()["error"] == "invalid"


def test_a_nul_in_a_json_body_is_refused(location: Location) -> None:
    response = Client().post(
        "/api/v1/bookings",
        '{"location": "raad\\u0000hus", "service": "pas", "start": "2026-12-08T10:00:00+01:00",'
        ' "name": "A", "phone": "+4520123456"}',
        content_type="application/json",
    )
    assert response.status_code == 400


def test_a_nul_in_a_form_field_is_refused(location: Location) -> None:
    response = Client().post("/personale/log-ind/", {"username": "a\x00b", "password": "x"})
    assert response.status_code == 400


def test_ordinary_requests_pass(location: Location) -> None:
    assert Client().get("/api/v1/services?location=raadhus").status_code == 200
