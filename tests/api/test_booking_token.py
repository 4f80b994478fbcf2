"""The booking's secret token travels in a header, not in the address: the
query form still works for now and says it is deprecated, and the link to
the calendar file carries a key that reads that file and nothing else."""

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from icalendar import Calendar

from skranke.booking.models import Booking
from skranke.core.models import Location, Service

pytestmark = pytest.mark.django_db


def book(client: Client, phone: str = "20 12 34 56") -> dict[str, Any]:
    created = client.post(
        "/api/v1/bookings",
        json.dumps(
            {
                "location": "raadhus",
                "service": "pas",
                "start": "2026-12-08T10:00:00+01:00",
                "name": "Ane Hansen",
                "phone": phone,
            }
        ),
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    return dict(created.json())


def test_a_booking_is_seen_moved_and_cancelled_with_the_token_in_a_header(
    centre: Location, passport: Service
) -> None:
    client = Client()
    booking = book(client)
    code, token = booking["code"], booking["token"]
    with_token = {"X-Booking-Token": token}

    seen = client.get(f"/api/v1/bookings/{code}", headers=with_token)
    assert seen.status_code == 200
    assert seen.json()["status"] == "booked"
    assert "Deprecation" not in seen.headers

    moved = client.post(
        f"/api/v1/bookings/{code}/reschedule",
        json.dumps({"start": "2026-12-08T11:00:00+01:00"}),
        content_type="application/json",
        headers=with_token,
    )
    assert moved.status_code == 200
    assert moved.json()["start"] == "2026-12-08T11:00:00+01:00"

    assert client.delete(f"/api/v1/bookings/{code}", headers=with_token).status_code == 204
    assert Booking.objects.get(code=code).status == Booking.Status.CANCELLED


def test_without_the_token_or_with_a_wrong_one_the_booking_is_not_found(
    centre: Location, passport: Service
) -> None:
    client = Client()
    code = book(client)["code"]
    assert client.get(f"/api/v1/bookings/{code}").status_code == 404
    assert (
        client.get(f"/api/v1/bookings/{code}", headers={"X-Booking-Token": "wrong"}).status_code
        == 404
    )
    assert (
        client.delete(f"/api/v1/bookings/{code}", headers={"X-Booking-Token": "wrong"}).status_code
        == 404
    )
    assert Booking.objects.get(code=code).status == Booking.Status.BOOKED


def test_the_token_in_the_query_string_still_works_and_says_it_is_deprecated(
    centre: Location, passport: Service
) -> None:
    client = Client()
    booking = book(client)
    code, token = booking["code"], booking["token"]
    old_style = client.get(f"/api/v1/bookings/{code}?token={token}")
    assert old_style.status_code == 200
    assert old_style.headers["Deprecation"] == "@1796083200"  # 1 December 2026
    assert old_style.headers["Sunset"] == "Tue, 01 Jun 2027 00:00:00 GMT"
    cancelled = client.delete(f"/api/v1/bookings/{code}?token={token}")
    assert cancelled.status_code == 204
    assert cancelled.headers["Deprecation"] == "@1796083200"


def test_the_calendar_link_carries_a_key_and_not_the_token(
    centre: Location, passport: Service
) -> None:
    client = Client()
    booking = book(client)
    token = booking["token"]
    link = urlsplit(booking["ics_url"])
    assert token not in booking["ics_url"]
    assert set(parse_qs(link.query)) == {"key"}

    ics = client.get(f"{link.path}?{link.query}")
    assert ics.status_code == 200
    assert ics["Content-Type"].startswith("text/calendar")
    # The file read with the key links to the booking's page without the
    # token: the key lets one see the time, not change or cancel it.
    assert token not in ics.content.decode()
    event = Calendar.from_ical(ics.content).events[0]
    assert f"/tid/{booking['code']}/" in str(event["DESCRIPTION"])


def test_the_calendar_key_opens_nothing_but_the_calendar_file(
    centre: Location, passport: Service
) -> None:
    client = Client()
    booking = book(client)
    code = booking["code"]
    key = parse_qs(urlsplit(booking["ics_url"]).query)["key"][0]
    assert client.get(f"/api/v1/bookings/{code}", headers={"X-Booking-Token": key}).status_code == (
        404
    )
    assert client.get(f"/api/v1/bookings/{code}?token={key}").status_code == 404
    assert client.delete(f"/api/v1/bookings/{code}?token={key}").status_code == 404
    assert client.get(f"/tid/{code}/?token={key}").status_code == 404
    # Nor another booking's file.
    other = book(client, phone="20 65 43 21")
    assert client.get(f"/api/v1/bookings/{other['code']}/calendar.ics?key={key}").status_code == (
        404
    )
    assert client.get(f"/api/v1/bookings/{code}/calendar.ics?key=wrong").status_code == 404


def test_an_old_calendar_link_with_the_token_still_works_for_now(
    centre: Location, passport: Service
) -> None:
    client = Client()
    booking = book(client)
    old_link = f"/api/v1/bookings/{booking['code']}/calendar.ics?token={booking['token']}"
    ics = client.get(old_link)
    assert ics.status_code == 200
    assert ics.headers["Deprecation"] == "@1796083200"
    by_header = client.get(
        f"/api/v1/bookings/{booking['code']}/calendar.ics",
        headers={"X-Booking-Token": booking["token"]},
    )
    assert by_header.status_code == 200
    assert "Deprecation" not in by_header.headers


def test_the_schema_names_the_header_and_marks_the_query_token_deprecated() -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/bookings/{code}"]["get"]
    parameters = {(p["in"], p["name"]): p for p in operation["parameters"]}
    assert ("header", "X-Booking-Token") in parameters
    assert parameters[("query", "token")].get("deprecated") is True
