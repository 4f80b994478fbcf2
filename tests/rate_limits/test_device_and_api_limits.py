"""Kiosks check in at most so many a minute, device sign-in is not a place
to guess tokens, and anonymous callers of the API share a per-address
limit that staff and devices do not meet."""

from datetime import timedelta

import pytest
from django.test import Client, override_settings

from skranke.accounts.models import Device, Role
from skranke.core import clock
from skranke.core.models import Location, Service
from tests.booking.test_staff_booking import member
from tests.centre import device_token

pytestmark = pytest.mark.django_db


@override_settings(RATE_LIMIT_CHECK_INS_PER_DEVICE_PER_MINUTE=3)
def test_a_kiosk_checks_in_at_most_the_limit_a_minute(kiosk: Client) -> None:
    answers = [kiosk.post("/kiosk/", {"how": "code", "code": "NOSUCH"}) for _ in range(4)]
    assert all(answer.status_code != 429 for answer in answers[:3])
    assert answers[3].status_code == 429
    assert int(answers[3]["Retry-After"]) <= 60
    assert kiosk.get("/kiosk/").status_code == 200  # the page itself still shows
    clock.advance(timedelta(minutes=1))
    assert kiosk.post("/kiosk/", {"how": "code", "code": "NOSUCH"}).status_code != 429


@override_settings(RATE_LIMIT_CHECK_INS_PER_DEVICE_PER_MINUTE=2)
def test_check_ins_through_the_api_are_limited_per_device(centre: Location) -> None:
    first = {"Authorization": f"Bearer {device_token(centre, Device.Kind.KIOSK)}"}
    second = {"Authorization": f"Bearer {device_token(centre, Device.Kind.KIOSK)}"}

    def check_in(headers: dict[str, str]) -> int:
        return (
            Client()
            .post(
                "/api/v1/checkins",
                {"location": centre.slug, "code": "NOSUCH"},
                content_type="application/json",
                headers=headers,
            )
            .status_code
        )

    assert [check_in(first) for _ in range(3)] == [404, 404, 429]
    assert check_in(second) == 404


@override_settings(RATE_LIMIT_DEVICE_SIGN_INS_PER_ADDRESS_PER_15_MINUTES=3)
def test_device_sign_in_is_limited_per_address(centre: Location) -> None:
    guesser = Client(REMOTE_ADDR="192.0.2.66")
    assert [guesser.post("/enhed/", {"token": "guess"}).status_code for _ in range(3)] == [400] * 3
    refused = guesser.post("/enhed/", {"token": device_token(centre, Device.Kind.KIOSK)})
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 900
    # The right token from the centre's own address still signs in.
    own = Client(REMOTE_ADDR="192.0.2.10")
    token = device_token(centre, Device.Kind.KIOSK)
    assert own.post("/enhed/", {"token": token}).status_code == 302


@override_settings(RATE_LIMIT_ANONYMOUS_API_PER_ADDRESS_PER_MINUTE=3)
def test_anonymous_api_callers_are_limited_per_address(centre: Location, passport: Service) -> None:
    caller = Client(REMOTE_ADDR="192.0.2.5")
    answers = [caller.get("/api/v1/locations") for _ in range(4)]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert answers[0]["RateLimit-Remaining"] == "2"
    assert answers[3].json()["error"] == "rate_limited"
    assert 0 < int(answers[3]["Retry-After"]) <= 60
    assert Client(REMOTE_ADDR="192.0.2.6").get("/api/v1/locations").status_code == 200
    # A made-up token is no way around it.
    fake = caller.get("/api/v1/locations", headers={"Authorization": "Bearer made-up"})
    assert fake.status_code == 429
    clock.advance(timedelta(minutes=1))
    assert caller.get("/api/v1/locations").status_code == 200


@override_settings(RATE_LIMIT_ANONYMOUS_API_PER_ADDRESS_PER_MINUTE=1)
def test_staff_and_devices_are_not_held_to_the_anonymous_limit(
    centre: Location, staff_client
) -> None:
    token = {"Authorization": f"Bearer {device_token(centre, Device.Kind.DISPLAY)}"}
    device = Client(REMOTE_ADDR="192.0.2.5")
    board = f"/api/v1/locations/{centre.slug}/display"
    assert [device.get(board, headers=token).status_code for _ in range(3)] == [200] * 3
    staff = staff_client(member(Role.FRONT_DESK, centre))
    assert [staff.get("/api/v1/locations").status_code for _ in range(3)] == [200] * 3
