"""How long a sign-in lasts: staff are signed out after half an hour
without use and at the end of a working day however busy; a kiosk's
session is renewed while it is used and ends after 30 days in a drawer."""

from collections.abc import Callable
from datetime import datetime, timedelta

from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from skranke.accounts.models import Device, Role, User
from skranke.core import clock
from skranke.core.models import Location
from tests.booking.test_staff_booking import member
from tests.centre import at, device_token

StaffClient = Callable[[User], Client]
START = "/personale/"


def signed_in(client: Client) -> bool:
    return client.get(START).status_code == 200


def test_staff_are_signed_out_after_half_an_hour_without_use(
    centre: Location, staff_client: StaffClient
) -> None:
    clock.set_now(at(7, 9, 0))
    desk = staff_client(member(Role.FRONT_DESK, centre))
    assert signed_in(desk)
    clock.set_now(at(7, 9, 29))
    assert signed_in(desk)
    clock.set_now(at(7, 10, 0))  # 31 minutes after the last request
    answer = desk.get(START, follow=True)
    assert answer.redirect_chain[-1][0].startswith("/personale/log-ind/")
    assert "You were signed out after 30 minutes without activity." in answer.content.decode()
    clock.set_now(at(7, 10, 1))
    assert not signed_in(desk)


def test_staff_who_keep_working_stay_signed_in_until_the_day_is_over(
    centre: Location, staff_client: StaffClient
) -> None:
    started = at(7, 8, 0)
    clock.set_now(started)
    desk = staff_client(member(Role.FRONT_DESK, centre))
    for quarter in range(1, 40):  # every 15 minutes until 17:45
        clock.set_now(started + timedelta(minutes=15 * quarter))
        assert signed_in(desk), clock.now()
    clock.set_now(started + timedelta(hours=10, minutes=1))
    answer = desk.get(START, follow=True)
    assert "You were signed out at the end of the working day." in answer.content.decode()


POLL = {"X-Skranke-Poll": "1"}


def test_a_page_left_open_that_polls_does_not_keep_the_session_in_use(
    centre: Location, staff_client: StaffClient
) -> None:
    # The overview asks for its figures every two seconds, the telephone
    # meetings' list every fifteen: a screen left open at an empty desk
    # must still sign out after half an hour without a person's request.
    clock.set_now(at(7, 9, 0))
    manager = staff_client(member(Role.MANAGER, centre))
    assert signed_in(manager)
    for minute in range(1, 31):
        clock.set_now(at(7, 9, minute))
        for path in ("/personale/overblik/nu/", "/personale/telefonmoeder/liste/"):
            answer = manager.get(path, headers=POLL)
            assert answer.status_code in (200, 204), (path, answer.status_code)
            assert "HX-Refresh" not in answer.headers
    clock.set_now(at(7, 9, 31))
    # The next poll finds the session over, and has the page reload itself
    # (to the sign-in page, saying why) instead of swapping a sign-in form
    # into the figures.
    ended = manager.get("/personale/overblik/nu/", headers=POLL)
    assert ended.status_code == 204
    assert ended.headers["HX-Refresh"] == "true"
    reloaded = manager.get("/personale/overblik/", follow=True)
    assert reloaded.redirect_chain[-1][0].startswith("/personale/log-ind/")
    assert "You were signed out after 30 minutes without activity." in reloaded.content.decode()


def test_a_person_using_the_page_keeps_it_in_use_while_it_polls(
    centre: Location, staff_client: StaffClient
) -> None:
    clock.set_now(at(7, 9, 0))
    manager = staff_client(member(Role.MANAGER, centre))
    assert signed_in(manager)
    clock.set_now(at(7, 9, 20))
    assert manager.get("/personale/overblik/").status_code == 200  # a person
    clock.set_now(at(7, 9, 45))
    assert manager.get("/personale/overblik/nu/", headers=POLL).status_code == 200


def test_the_idle_limit_is_a_setting(
    centre: Location, staff_client: StaffClient, settings: object
) -> None:
    settings.STAFF_IDLE_MINUTES = 5  # type: ignore[attr-defined]
    clock.set_now(at(7, 9, 0))
    desk = staff_client(member(Role.FRONT_DESK, centre))
    assert signed_in(desk)
    clock.set_now(at(7, 9, 6))
    assert not signed_in(desk)


def kiosk_session(client: Client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def real_now() -> datetime:
    # Django expires sessions by the real time, not the project's clock.
    return timezone.now()  # noqa: TID251


def test_a_kiosk_in_use_renews_its_session_once_a_day(centre: Location) -> None:
    clock.set_now(at(7, 9, 0))
    token = device_token(centre, Device.Kind.KIOSK)
    kiosk = Client()
    kiosk.post("/enhed/", {"token": token})
    first = kiosk_session(kiosk).expire_date
    assert first - real_now() < timedelta(days=30, minutes=1)
    assert first - real_now() > timedelta(days=29, hours=23)
    # The same day: no write, the expiry stays.
    assert kiosk.get("/kiosk/").status_code == 200
    assert kiosk_session(kiosk).expire_date == first
    # Two days later (the session's expiry, as if two real days had gone,
    # two days nearer): the next page moves the expiry on.
    session = kiosk.session
    session.set_expiry(int(timedelta(days=28).total_seconds()))
    session.save()
    clock.set_now(at(9, 9, 0))
    assert kiosk.get("/kiosk/").status_code == 200
    assert kiosk_session(kiosk).expire_date > real_now() + timedelta(days=29, hours=23)


def test_a_kiosk_unused_for_30_days_must_sign_in_again(centre: Location) -> None:
    token = device_token(centre, Device.Kind.KIOSK)
    kiosk = Client()
    kiosk.post("/enhed/", {"token": token})
    Session.objects.filter(session_key=kiosk.session.session_key).update(
        expire_date=real_now() - timedelta(seconds=1)
    )
    answer = kiosk.get("/kiosk/")
    assert answer.status_code == 302
    assert answer.url.startswith("/enhed/")
