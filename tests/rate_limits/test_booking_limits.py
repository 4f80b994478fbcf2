"""Someone hoarding times from one address, or for one mobile number, is
stopped with 429 and told when to come back; a citizen booking once never
notices the limits."""

import json
from typing import Any

import pytest
from django.conf import settings
from django.test import Client, override_settings

from skranke.booking.booking import cancel_appointment
from skranke.booking.models import Booking
from skranke.core.models import Location, Service

pytestmark = pytest.mark.django_db

TIMES = ["2026-12-08T10:00", "2026-12-08T10:20", "2026-12-08T10:40", "2026-12-08T11:00"]


def api_booking(client: Client, start: str, phone: str) -> Any:
    body = {
        "location": "raadhus",
        "service": "pas",
        "start": f"{start}:00+01:00",
        "name": "Ane Hansen",
        "phone": phone,
    }
    return client.post("/api/v1/bookings", json.dumps(body), content_type="application/json")


def web_booking(client: Client, start: str, phone: str) -> Any:
    """The details step, then the review's final POST; that answer."""
    details = {"name": "Ane Hansen", "phone": phone, "email": "", "sms_consent": "on"}
    review = client.post(f"/bestil/pas/raadhus/oplysninger/?start={start}", details)
    assert review.status_code == 302
    return client.post(review["Location"])


def cancel_all() -> None:
    """The booking rules allow one active booking an errand per number;
    the limit here is on attempts, so the earlier ones are cancelled."""
    for booking in Booking.objects.filter(status=Booking.Status.BOOKED):
        cancel_appointment(booking=booking)


def from_address(address: str) -> Client:
    client = Client(REMOTE_ADDR=address)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@override_settings(RATE_LIMIT_BOOKINGS_PER_ADDRESS_PER_HOUR=3)
def test_hoarding_through_the_api_from_one_address_is_refused_with_retry_after(
    centre: Location, passport: Service
) -> None:
    client = from_address("192.0.2.7")
    made = [api_booking(client, start, f"2012340{n}") for n, start in enumerate(TIMES[:3])]
    assert [answer.status_code for answer in made] == [201, 201, 201]
    refused = api_booking(client, TIMES[3], "20123499")
    assert refused.status_code == 429
    assert refused.json()["error"] == "rate_limited"
    assert set(refused.json()) == {"error", "message", "fields"}
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert refused["RateLimit-Limit"] == "3"
    assert refused["RateLimit-Remaining"] == "0"
    assert Booking.objects.count() == 3
    # Another address is not held back by this one.
    assert api_booking(from_address("192.0.2.8"), TIMES[3], "20123499").status_code == 201


@override_settings(RATE_LIMIT_BOOKINGS_PER_ADDRESS_PER_HOUR=2)
def test_hoarding_through_the_web_pages_gets_the_friendly_page(
    centre: Location, passport: Service
) -> None:
    client = from_address("192.0.2.7")
    assert web_booking(client, TIMES[0], "20123401").status_code == 302
    assert web_booking(client, TIMES[1], "20123402").status_code == 302
    refused = web_booking(client, TIMES[2], "20123403")
    assert refused.status_code == 429
    assert "Too many attempts" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    assert Booking.objects.count() == 2


@override_settings(RATE_LIMIT_BOOKINGS_PER_PHONE_PER_DAY=2)
def test_the_limit_per_mobile_number_holds_whatever_the_address_and_spelling(
    centre: Location, passport: Service
) -> None:
    assert api_booking(from_address("192.0.2.1"), TIMES[0], "20 12 34 56").status_code == 201
    cancel_all()
    assert web_booking(from_address("192.0.2.2"), TIMES[1], "+4520123456").status_code == 302
    cancel_all()
    assert api_booking(from_address("192.0.2.3"), TIMES[2], "2012 3456").status_code == 429
    assert web_booking(from_address("192.0.2.4"), TIMES[2], "20123456").status_code == 429
    assert Booking.objects.count() == 2
    # Another number from the same addresses is fine.
    assert api_booking(from_address("192.0.2.3"), TIMES[2], "20 99 99 99").status_code == 201


@override_settings(RATE_LIMIT_BOOKINGS_PER_ADDRESS_PER_HOUR=2)
def test_the_count_is_shared_by_every_client_not_kept_in_one(
    centre: Location, passport: Service
) -> None:
    """Two browsers (two sessions, as two app processes would see them)
    from one address share the count: it is in the database."""
    first, second = from_address("192.0.2.7"), from_address("192.0.2.7")
    assert api_booking(first, TIMES[0], "20123401").status_code == 201
    assert web_booking(second, TIMES[1], "20123402").status_code == 302
    assert api_booking(first, TIMES[2], "20123403").status_code == 429
    assert web_booking(second, TIMES[2], "20123403").status_code == 429


def test_a_citizen_booking_once_is_never_limited(centre: Location, passport: Service) -> None:
    client = from_address("192.0.2.7")
    answer = web_booking(client, TIMES[0], "20 12 34 56")
    assert answer.status_code == 302
    assert "RateLimit-Limit" not in answer
    assert client.get(answer["Location"]).status_code == 200
    assert Booking.objects.count() == 1


@override_settings(RATE_LIMIT_BOOKINGS_PER_ADDRESS_PER_HOUR=1, TRUSTED_PROXY_COUNT=1)
def test_behind_the_proxy_the_address_is_the_one_the_proxy_saw(
    centre: Location, passport: Service
) -> None:
    proxy = from_address("10.0.0.1")

    def via(address: str, start: str, phone: str) -> int:
        body = {"location": "raadhus", "service": "pas", "start": f"{start}:00+01:00"}
        body |= {"name": "Ane Hansen", "phone": phone}
        return proxy.post(
            "/api/v1/bookings",
            json.dumps(body),
            content_type="application/json",
            headers={"X-Forwarded-For": address},
        ).status_code

    assert via("192.0.2.1", TIMES[0], "20123401") == 201
    assert via("192.0.2.2", TIMES[1], "20123402") == 201
    # A made-up entry before the proxy's own does not make a new address.
    assert via("198.51.100.9, 192.0.2.1", TIMES[2], "20123403") == 429


@override_settings(RATE_LIMIT_BOOKINGS_PER_ADDRESS_PER_HOUR=3)
def test_an_ipv6_network_is_one_booker_however_many_addresses_it_rotates(
    centre: Location, passport: Service
) -> None:
    # A home line or a rented server holds a whole /64: 2^64 addresses.
    made = [
        api_booking(from_address(f"2001:db8:7:7:{n:x}::1"), start, f"2012341{n}")
        for n, start in enumerate(TIMES)
    ]
    assert [answer.status_code for answer in made] == [201, 201, 201, 429]
    # The neighbour's /64 is another household.
    assert api_booking(from_address("2001:db8:7:8::1"), TIMES[3], "20123419").status_code == 201


@override_settings(RATE_LIMIT_BOOKINGS_PER_ADDRESS_PER_HOUR=2, CLIENT_NETWORK_IPV6_PREFIX=48)
def test_a_larger_block_may_be_counted_as_one_network(centre: Location, passport: Service) -> None:
    made = [
        api_booking(from_address(f"2001:db8:7:{n:x}::1"), start, f"2012342{n}")
        for n, start in enumerate(TIMES[:3])
    ]
    assert [answer.status_code for answer in made] == [201, 201, 429]
