"""GET /api/v1/statistics/visits: an integration token reads its own
municipality, a manager the places they may see; bad ranges are 422."""

from collections.abc import Callable
from datetime import datetime

import pytest
from django.test import Client

from skranke.accounts.models import Role, User
from skranke.core import clock
from skranke.core.models import Location, Municipality, Service
from tests.booking.test_staff_booking import member
from tests.contact_centre.test_calls_api import make_token
from tests.stats.visits import make_visit

pytestmark = pytest.mark.django_db

URL = "/api/v1/statistics/visits"
MARCH = datetime(2025, 3, 3, 10, 0, tzinfo=clock.LOCAL_ZONE)


@pytest.fixture
def visits(centre: Location, passport: Service, card: Service) -> None:
    make_visit(location=centre, service=passport, arrived=MARCH, served=12)
    make_visit(location=centre, service=passport, arrived=MARCH, served=14)
    make_visit(location=centre, service=card, arrived=MARCH.replace(month=5), served=6)


def test_an_integration_reads_its_municipalitys_visits_by_service(visits: None) -> None:
    token = make_token(Municipality.objects.get())[1]
    answer = Client().get(
        URL,
        {"from": "2025-01-01", "to": "2025-12-31", "group_by": "service"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["totals"]["visits"] == 3
    assert body["totals"]["service_time"]["median_minutes"] == 12.0
    assert [(group["key"], group["visits"]) for group in body["groups"]] == [
        ("pas", 2),
        ("kort", 1),
    ]


def test_months_and_quarters_are_named_as_json_reads_them(
    visits: None, centre: Location, staff_client: Callable[[User], Client]
) -> None:
    manager = staff_client(member(Role.MANAGER, centre))
    by_month = manager.get(URL, {"from": "2025-01-01", "to": "2025-12-31", "group_by": "month"})
    assert [group["key"] for group in by_month.json()["groups"]] == ["2025-03", "2025-05"]
    by_quarter = manager.get(
        URL,
        {"from": "2025-01-01", "to": "2025-12-31", "group_by": "quarter", "location": "raadhus"},
    )
    assert [group["key"] for group in by_quarter.json()["groups"]] == ["2025-Q1", "2025-Q2"]


def test_others_are_refused(
    visits: None, centre: Location, staff_client: Callable[[User], Client]
) -> None:
    query = {"from": "2025-01-01", "to": "2025-12-31"}
    assert Client().get(URL, query).status_code == 401
    assert Client().get(URL, query, headers={"Authorization": "Bearer nope"}).status_code == 401
    front_desk = staff_client(member(Role.FRONT_DESK, centre))
    assert front_desk.get(URL, query).status_code == 401
    other = Municipality.objects.create(name="Anden", slug="anden")
    other_token = make_token(other)[1]
    answer = Client().get(URL, query, headers={"Authorization": f"Bearer {other_token}"})
    assert answer.json()["totals"]["visits"] == 0
    missing = Client().get(
        URL, {**query, "location": "raadhus"}, headers={"Authorization": f"Bearer {other_token}"}
    )
    assert missing.status_code == 404


def test_impossible_ranges_are_422(
    centre: Location, staff_client: Callable[[User], Client]
) -> None:
    manager = staff_client(member(Role.MANAGER, centre))
    for query in (
        {"from": "2025-12-31", "to": "2025-01-01"},
        {"from": "2015-01-01", "to": "2025-01-01"},
        {"from": "not a day", "to": "2025-01-01"},
        {"to": "2025-01-01"},
        {"from": "2025-01-01", "to": "2025-02-01", "group_by": "moon"},
    ):
        answer = manager.get(URL, query)
        assert answer.status_code == 422, query
        assert "detail" in answer.json() or "error" in answer.json()
