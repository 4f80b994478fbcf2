"""API v1 as an integration would use it."""

import json
from typing import Any

import pytest
from django.test import Client
from icalendar import Calendar

from skranke.api.availability import AvailabilityOut
from skranke.booking.models import Booking
from skranke.core.models import Location, Service
from tests.centre import at

pytestmark = pytest.mark.django_db


def post(client: Client, path: str, body: dict[str, Any], **headers: str) -> Any:
    return client.post(path, json.dumps(body), content_type="application/json", headers=headers)


def booking_body(**changes: Any) -> dict[str, Any]:
    return {
        "location": "raadhus",
        "service": "pas",
        "start": "2026-12-08T10:00:00+01:00",
        "name": "Ane Hansen",
        "phone": "20 12 34 56",
    } | changes


def test_locations_and_services_in_the_asked_language(centre: Location, passport: Service) -> None:
    passport.name_en = "Passport"
    passport.save()
    client = Client()
    assert client.get("/api/v1/locations").json() == [
        {"slug": "raadhus", "name": "Rådhuset", "address": "Torvet 1"}
    ]
    danish = client.get("/api/v1/services?location=raadhus").json()
    english = client.get(
        "/api/v1/services?location=raadhus", headers={"Accept-Language": "en-GB,en;q=0.8"}
    ).json()
    assert [s["name"] for s in danish] == ["Pas", "Sundhedskort"]
    assert english[0] == {
        "slug": "pas",
        "name": "Passport",
        "duration_minutes": 20,
        "kind": "in_person",
        "booking_required": True,
    }


def test_availability_lists_times_with_their_offset(centre: Location, passport: Service) -> None:
    response = Client().get(
        "/api/v1/availability?location=raadhus&service=pas&from=2026-12-08&to=2026-12-08"
    )
    assert response.status_code == 200
    slots = response.json()["slots"]
    assert slots[0] == {"start": "2026-12-08T10:00:00+01:00", "end": "2026-12-08T10:20:00+01:00"}
    assert len(slots) == 15
    # Written without the response schema, but what the OpenAPI document says.
    assert AvailabilityOut.model_validate(response.json()).slots[0].start == at(8, 10)


def test_availability_refuses_more_than_62_days(centre: Location, passport: Service) -> None:
    response = Client().get(
        "/api/v1/availability?location=raadhus&service=pas&from=2026-12-08&to=2027-02-08"
    )
    assert response.status_code == 400
    assert response.json()["error"] == "range_too_long"


@pytest.mark.parametrize(
    "query",
    [
        "location=nowhere&service=pas&from=2026-12-08&to=2026-12-09",
        "location=raadhus&service=nothing&from=2026-12-08&to=2026-12-09",
    ],
)
def test_unknown_places_and_services_are_404(centre: Location, query: str) -> None:
    assert Client().get(f"/api/v1/availability?{query}").status_code == 404


def test_a_service_not_offered_at_the_place_is_404(centre: Location, passport: Service) -> None:
    passport.locations.clear()
    response = post(Client(), "/api/v1/bookings", booking_body())
    assert response.status_code == 404
    assert not Booking.objects.exists()


def test_a_malformed_date_is_422_with_the_field(centre: Location) -> None:
    response = Client().get("/api/v1/availability?location=raadhus&service=pas&from=soon&to=x")
    assert response.status_code == 422
    assert "from" in response.json()["fields"]


def test_book_see_reschedule_and_cancel(centre: Location, passport: Service) -> None:
    client = Client()
    created = post(client, "/api/v1/bookings", booking_body())
    assert created.status_code == 201, created.content
    booking = created.json()
    assert booking["start"] == "2026-12-08T10:00:00+01:00"
    assert booking["location"] == "raadhus"
    assert booking["manage_url"].startswith("http://testserver/tid/")
    code, token = booking["code"], booking["token"]
    assert client.get(f"/api/v1/bookings/{code}?token={token}").json()["status"] == "booked"

    moved = post(
        client,
        f"/api/v1/bookings/{code}/reschedule?token={token}",
        {"start": "2026-12-08T11:00:00+01:00"},
    )
    assert moved.status_code == 200
    assert moved.json()["start"] == "2026-12-08T11:00:00+01:00"

    ics = client.get(f"/api/v1/bookings/{code}/calendar.ics?token={token}")
    assert ics["Content-Type"].startswith("text/calendar")
    event = Calendar.from_ical(ics.content).events[0]
    assert event.start == at(8, 11)
    assert event.sequence == 1

    assert client.delete(f"/api/v1/bookings/{code}?token={token}").status_code == 204
    assert Booking.objects.get(code=code).status == "cancelled"
    cancelled = Calendar.from_ical(
        client.get(f"/api/v1/bookings/{code}/calendar.ics?token={token}").content
    )
    assert cancelled["METHOD"] == "CANCEL"
    assert cancelled.events[0]["STATUS"] == "CANCELLED"


def test_a_taken_time_is_409_slot_taken(centre: Location, passport: Service) -> None:
    client = Client()
    for number in range(2):
        assert (
            post(client, "/api/v1/bookings", booking_body(phone=f"2012345{number}")).status_code
            == 201
        )
    response = post(client, "/api/v1/bookings", booking_body(phone="20123459"))
    assert response.status_code == 409
    assert response.json()["error"] == "slot_taken"


def test_a_second_booking_for_the_same_errand_is_409_limit_reached(
    centre: Location, passport: Service
) -> None:
    client = Client()
    post(client, "/api/v1/bookings", booking_body())
    response = post(client, "/api/v1/bookings", booking_body(start="2026-12-09T10:00:00+01:00"))
    assert response.status_code == 409
    assert response.json()["error"] == "limit_reached"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"phone": "123"}, "phone"),
        ({"name": "x" * 101}, "name"),
        ({"start": "tomorrow"}, "start"),
        ({"start": "2026-12-08T10:05:00+01:00"}, "start"),
        ({"start": "2026-12-12T10:00:00+01:00"}, "start"),  # a closed Saturday
        ({"start": "2026-12-01T10:00:00+01:00"}, "start"),  # the past
        ({"email": "not-an-email"}, "email"),
        ({"note": "x" * 501}, "note"),
    ],
)
def test_invalid_bookings_are_422_naming_the_field(
    centre: Location, passport: Service, changes: dict[str, str], field: str
) -> None:
    response = post(Client(), "/api/v1/bookings", booking_body(**changes))
    assert response.status_code == 422, response.content
    assert field in response.json()["fields"]
    assert not Booking.objects.exists()


def test_a_service_that_needs_no_booking_is_refused(centre: Location, passport: Service) -> None:
    passport.booking_required = False
    passport.save()
    response = post(Client(), "/api/v1/bookings", booking_body())
    assert response.status_code == 422
    assert "behøver ikke bestille tid" in response.json()["message"]  # Danish by default


def test_an_idempotent_replay_returns_the_same_booking(centre: Location, passport: Service) -> None:
    client = Client()
    first = post(client, "/api/v1/bookings", booking_body(), **{"Idempotency-Key": "abc-1"})
    replay = post(client, "/api/v1/bookings", booking_body(), **{"Idempotency-Key": "abc-1"})
    assert first.status_code == replay.status_code == 201
    assert first.json() == replay.json()
    assert Booking.objects.count() == 1
    other = post(
        client, "/api/v1/bookings", booking_body(name="Bo"), **{"Idempotency-Key": "abc-1"}
    )
    assert other.status_code == 422
    assert other.json()["error"] == "idempotency_key_reused"


def test_a_wrong_token_and_an_unknown_code_are_both_404(
    centre: Location, passport: Service
) -> None:
    client = Client()
    code = post(client, "/api/v1/bookings", booking_body()).json()["code"]
    assert client.get(f"/api/v1/bookings/{code}?token=wrong").status_code == 404
    assert client.get("/api/v1/bookings/NOPE42?token=wrong").status_code == 404
    assert client.delete(f"/api/v1/bookings/{code}?token=wrong").status_code == 404
    assert Booking.objects.get(code=code).status == "booked"


def test_the_openapi_schema_is_served(centre: Location) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/bookings" in schema["paths"]


def test_a_token_with_any_characters_is_just_wrong(centre: Location, passport: Service) -> None:
    code = post(Client(), "/api/v1/bookings", booking_body()).json()["code"]
    assert Client().get(f"/api/v1/bookings/{code}?token=%C3%A9").status_code == 404


@pytest.mark.parametrize("start", ["9999-12-31T23:00:00-05:00", "0001-01-01T00:00:00+05:00"])
def test_times_at_the_ends_of_the_calendar_are_422(
    centre: Location, passport: Service, start: str
) -> None:
    response = post(Client(), "/api/v1/bookings", booking_body(start=start))
    assert response.status_code == 422
