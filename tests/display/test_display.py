"""The waiting-room display: ticket numbers and desks, never names; an
unchanged board costs a 304 and no reading of the queue."""

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from skranke.accounts.devices import revoke_device
from skranke.accounts.models import Device, Role, User
from skranke.core import clock
from skranke.core.models import Desk, Location, Service
from skranke.queueing import waiting_room
from skranke.queueing.calling import call_next
from skranke.queueing.checkin import issue_walk_in_ticket
from tests.centre import at


def test_the_display_shows_calls_by_ticket_and_desk_only(
    display: Client, centre: Location, card: Service
) -> None:
    card.walk_in_allowed = True
    card.save()
    clock.set_now(at(7, 10, 0))
    for _ in range(3):
        issue_walk_in_ticket(location=centre, service=card)
    staff = User.objects.create_user(
        "s", first_name="Karin", municipality=centre.municipality, role=Role.FRONT_DESK
    )
    call_next(desk=Desk.objects.get(location=centre, name="2"), staff=staff)
    state = display.get("/skaerm/status/").json()
    assert state["called"] == [
        {"ticket": "A001", "desk": "2", "called_at": "2026-12-07T10:00:00+01:00"}
    ]
    assert state["waiting"] == 2
    assert state["expected_wait_minutes"] == 10  # desk 1 free now; one ahead
    page = display.get("/skaerm/").content.decode()
    assert "A001" in page
    assert "Karin" not in page


def test_an_unchanged_board_answers_304_without_reading_the_queue(
    display: Client, centre: Location, card: Service
) -> None:
    card.walk_in_allowed = True
    card.save()
    clock.set_now(at(7, 10, 0))
    first = display.get("/skaerm/status/")
    etag = first["ETag"]
    with CaptureQueriesContext(connection) as queries:
        unchanged = display.get("/skaerm/status/", headers={"If-None-Match": etag})
    assert unchanged.status_code == 304
    assert len(queries) == 3  # session, device, version
    issue_walk_in_ticket(location=centre, service=card)
    changed = display.get("/skaerm/status/", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.json()["waiting"] == 1
    # A minute later the expected wait may have moved: a new version.
    clock.set_now(at(7, 10, 1))
    later = display.get("/skaerm/status/", headers={"If-None-Match": changed["ETag"]})
    assert later.status_code == 200


def test_many_screens_share_one_working_out_of_each_board(
    display: Client, centre: Location, card: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    card.walk_in_allowed = True
    card.save()
    clock.set_now(at(7, 10, 0))
    worked_out = []
    monkeypatch.setattr(waiting_room, "read_board", counting(waiting_room.read_board, worked_out))
    boards = [display.get("/skaerm/status/").json() for _ in range(20)]
    assert len(worked_out) == 1
    assert all(board == boards[0] for board in boards)
    issue_walk_in_ticket(location=centre, service=card)
    assert display.get("/skaerm/status/").json()["waiting"] == 1  # a new board at once
    assert len(worked_out) == 2


def counting(function: Callable[..., object], calls: list[None]) -> Callable[..., object]:
    def counted(*args: object, **kwargs: object) -> object:
        calls.append(None)
        return function(*args, **kwargs)

    return counted


def test_a_signed_out_display_is_told_so(display: Client) -> None:
    revoke_device(device=Device.objects.get(kind=Device.Kind.DISPLAY))
    assert display.get("/skaerm/status/").status_code == 401
    assert display.get("/skaerm/").status_code == 302


def test_a_closed_place_says_when_it_opens_not_a_wait(
    display: Client, centre: Location, card: Service
) -> None:
    card.walk_in_allowed = True
    card.save()
    clock.set_now(at(7, 14, 50))
    issue_walk_in_ticket(location=centre, service=card)
    clock.set_now(at(11, 16, 0))  # Friday after closing; the weekend is closed
    state = display.get("/skaerm/status/").json()
    assert state["open_now"] is False
    assert state["opens_at"] == "2026-12-14T10:00+01:00"
    assert state["closed_text"] == {
        "da": "Lukket. Vi åbner mandag 14. december kl. 10:00.",
        "en": "Closed. We open Monday 14 December at 10:00.",
    }
    assert state["expected_wait_minutes"] is None
    page = display.get("/skaerm/").content.decode()
    assert "Lukket. Vi åbner mandag 14. december kl. 10:00." in page
    assert '<div class="display-facts" id="facts-open" hidden>' in page


def test_a_short_wait_is_said_as_such_not_as_zero_minutes(
    display: Client, centre: Location, card: Service
) -> None:
    card.walk_in_allowed = True
    card.save()
    clock.set_now(at(7, 10, 0))
    issue_walk_in_ticket(location=centre, service=card)
    state = display.get("/skaerm/status/").json()
    assert (state["expected_wait_minutes"], state["short_wait"]) == (0, True)
    page = display.get("/skaerm/").content.decode()
    assert "under 5 min." in page  # Danish on the display, the same words
    assert ">0 min.<" not in page
