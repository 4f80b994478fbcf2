"""The wallboard: signed in with a wallboard's token it shows its place
now, with counts and no names; the telephones' figures are today's once a
call of today is known, else yesterday's, said to be; other devices and
signed-out browsers get nothing."""

from datetime import timedelta

import pytest
from django.test import Client

from skranke.accounts.models import Device, Role
from skranke.contact_centre.models import Call
from skranke.core import clock
from skranke.core.models import Desk, Location, Service
from skranke.queueing.calling import call_next
from skranke.queueing.checkin import issue_walk_in_ticket
from skranke.queueing.serving import open_desk
from tests.booking.test_staff_booking import member
from tests.centre import at, device_token

pytestmark = pytest.mark.django_db


def wallboard(location: Location) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    client.post("/enhed/", {"token": device_token(location, Device.Kind.WALLBOARD)})
    return client


def call(location: Location, offered: object, *, answered_after: int | None) -> Call:
    return Call.objects.create(
        municipality=location.municipality,
        call_id=f"{offered}",
        offered_at=offered,
        answered_at=None if answered_after is None else offered + timedelta(seconds=answered_after),
        ended_at=offered + timedelta(minutes=3),
        abandoned=answered_after is None,
    )


def test_a_wallboard_shows_its_place_with_counts_and_no_names(
    centre: Location, postal_vote: Service
) -> None:
    staff = member(Role.FRONT_DESK, centre)
    staff.first_name = "Sofie"
    staff.save()
    clock.set_now(at(7, 10, 0))
    for _ in range(3):
        issue_walk_in_ticket(location=centre, service=postal_vote)
    desk = Desk.objects.get(location=centre, name="1")
    open_desk(desk=desk, staff=staff)
    call_next(desk=desk, staff=staff)
    # Yesterday's calls only (Friday's, before the weekend): the night's import.
    call(centre, at(4, 10, 0), answered_after=10)
    call(centre, at(4, 11, 0), answered_after=None)
    clock.set_now(at(7, 10, 6))
    client = wallboard(centre)
    page = client.get("/tavle/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Rådhuset" in text
    assert "Sofie" not in text
    assert "Waiting now" in text
    assert "Figures of Friday 4 December: today's calls come with the night's import." in text
    # As the key figures page counts them: one of two answered, within 20 s.
    assert "<dt>Answered within 20 s</dt><dd>100 %</dd>" in text
    assert "<dt>Abandoned</dt><dd>50 %</dd>" in text

    # A call of today arrives through the calls API: today's figures, on
    # the wallboard's next check (every five seconds, as it asks).
    call(centre, at(7, 10, 5), answered_after=30)
    version = text.split("?version=")[1].split('"')[0]
    assert client.get("/tavle/nu/", {"version": version}).status_code == 204
    clock.advance(timedelta(seconds=5))
    live = client.get("/tavle/nu/", {"version": version})
    assert live.status_code == 200
    assert "the night's import" not in live.content.decode()


def test_others_get_nothing(centre: Location) -> None:
    clock.set_now(at(7, 10, 0))
    assert Client().get("/tavle/").status_code == 302
    assert Client().get("/tavle/nu/").status_code == 401
    display = Client()
    display.post("/enhed/", {"token": device_token(centre, Device.Kind.DISPLAY)})
    assert display.get("/tavle/nu/").status_code == 401
    assert display.get("/tavle/").status_code == 302
