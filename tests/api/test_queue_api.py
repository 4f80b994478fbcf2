"""The queue over the API: kiosks and displays with their device token,
desk actions by signed-in staff with the CSRF token."""

import pytest
from django.test import Client

from skranke.accounts.models import Device, Role
from skranke.booking.availability import Policy
from skranke.booking.booking import book_appointment
from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.models import Desk, Location, Service
from skranke.queueing.models import Visit
from tests.booking.test_staff_booking import member
from tests.centre import at, citizen, device_token


@pytest.fixture
def kiosk_token(centre: Location) -> str:
    return device_token(centre, Device.Kind.KIOSK)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_kiosk_checks_in_a_booking_by_code(
    centre: Location, passport: Service, kiosk_token: str
) -> None:
    booking = book_appointment(
        location=centre,
        service=passport,
        start=at(7, 10, 20),
        citizen=citizen(1),
        channel=Booking.Channel.WEB,
        policy=Policy.for_staff(centre),
    )
    clock.set_now(at(7, 10, 5))
    answer = Client().post(
        "/api/v1/checkins",
        {"location": centre.slug, "code": booking.code},
        content_type="application/json",
        headers=bearer(kiosk_token),
    )
    assert answer.status_code == 201
    body = answer.json()
    assert body["ticket"] == "A001"
    assert body["expected_wait_minutes"] == 0
    assert "A001" in body["message"]


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({"location": "raadhus", "code": "NOSUCH"}, 404, "not_here_today"),
        ({"location": "raadhus"}, 422, "invalid"),
        ({"location": "raadhus", "phone": "123"}, 409, "invalid_phone"),
        ({"location": "elsewhere", "code": "NOSUCH"}, 403, "forbidden"),
        ({"code": "NOSUCH"}, 422, "invalid"),
    ],
)
def test_check_in_errors_have_one_shape(
    centre: Location, kiosk_token: str, payload: dict[str, str], status: int, code: str
) -> None:
    answer = Client().post(
        "/api/v1/checkins", payload, content_type="application/json", headers=bearer(kiosk_token)
    )
    assert (answer.status_code, answer.json()["error"]) == (status, code)


def test_only_a_kiosk_token_checks_in_or_takes_tickets(centre: Location, card: Service) -> None:
    display_token = device_token(centre, Device.Kind.DISPLAY)
    for headers in ({}, bearer("guess"), bearer(display_token)):
        answer = Client().post(
            "/api/v1/tickets",
            {"location": centre.slug, "service": "kort"},
            content_type="application/json",
            headers=headers,
        )
        assert answer.status_code == 401
    assert not Visit.objects.exists()


def test_a_walk_in_ticket_and_the_display(
    centre: Location, card: Service, kiosk_token: str
) -> None:
    card.walk_in_allowed = True
    card.save()
    clock.set_now(at(7, 10, 0))
    ticket = Client().post(
        "/api/v1/tickets",
        {"location": centre.slug, "service": "kort"},
        content_type="application/json",
        headers=bearer(kiosk_token),
    )
    assert ticket.status_code == 201
    assert ticket.json() == {"ticket": "A001", "expected_wait_minutes": 0}
    refused = Client().post(
        "/api/v1/tickets",
        {"location": centre.slug, "service": "pas"},
        content_type="application/json",
        headers=bearer(kiosk_token),
    )
    assert (refused.status_code, refused.json()["error"]) == (422, "refused")
    display_token = device_token(centre, Device.Kind.DISPLAY)
    board = Client().get(f"/api/v1/locations/{centre.slug}/display", headers=bearer(display_token))
    assert board.json() == {
        "called": [],
        "waiting": 1,
        "expected_wait_minutes": 0,
        "short_wait": True,
        "open_now": True,
        "opens_at": None,
        "closed_text": None,
    }
    unchanged = Client().get(
        f"/api/v1/locations/{centre.slug}/display",
        headers=bearer(display_token) | {"If-None-Match": board["ETag"]},
    )
    assert unchanged.status_code == 304


def test_desk_actions_for_signed_in_staff_with_csrf(
    centre: Location, card: Service, passport: Service
) -> None:
    card.walk_in_allowed = True
    card.save()
    clock.set_now(at(7, 10, 0))
    kiosk = device_token(centre, Device.Kind.KIOSK)
    for _ in range(2):
        Client().post(
            "/api/v1/tickets",
            {"location": centre.slug, "service": "kort"},
            content_type="application/json",
            headers=bearer(kiosk),
        )
    desk = Desk.objects.get(location=centre, name="1")
    staff = Client(enforce_csrf_checks=True)
    staff.force_login(member(Role.FRONT_DESK, centre))
    assert staff.post(f"/api/v1/desks/{desk.pk}/call-next").status_code == 403  # no CSRF
    staff.get("/personale/skranke/")
    csrf = {"X-CSRFToken": staff.cookies["csrftoken"].value}

    def post(path: str, body: dict[str, str] | None = None) -> dict[str, object]:
        answer = staff.post(
            f"/api/v1/{path}", body or {}, content_type="application/json", headers=csrf
        )
        assert answer.status_code == 200, answer.content
        return answer.json()

    called = post(f"desks/{desk.pk}/call-next")["visit"]
    assert called["ticket"] == "A001"
    assert called["desk"] == "1"
    assert post(f"visits/{called['id']}/start")["status"] == "in_service"
    moved = post(f"visits/{called['id']}/transfer", {"service": "pas"})
    assert (moved["ticket"], moved["service"], moved["status"]) == ("A001", "pas", "waiting")
    again = post(f"desks/{desk.pk}/call-next")["visit"]
    assert again["id"] == moved["id"]  # the transferred citizen first
    assert post(f"visits/{again['id']}/no-show")["outcome"] == "no_show"
    nxt = post(f"desks/{desk.pk}/call-next")["visit"]
    assert post(f"visits/{nxt['id']}/finish", {"outcome": "served"})["outcome"] == "served"
    twice = staff.post(
        f"/api/v1/visits/{nxt['id']}/finish",
        {"outcome": "served"},
        content_type="application/json",
        headers=csrf,
    )
    assert (twice.status_code, twice.json()["error"]) == (409, "already_done")
    assert post(f"desks/{desk.pk}/call-next") == {"visit": None}
