"""A manager pauses a desk from the overview after confirming, and opens
it again: the desk then calls no one and the kiosk's promise counts
without it; whoever works there stays its staff; a desk nobody opened
today cannot be paused from here."""

from collections.abc import Callable

import pytest
from django.test import Client

from skranke.accounts.models import Role, User
from skranke.core import clock
from skranke.core.models import Desk, Location, Service
from skranke.overview.models import ManagerAction
from skranke.overview.now import DeskStatus, read_location_now
from skranke.queueing.calling import call_next
from skranke.queueing.checkin import issue_walk_in_ticket
from skranke.queueing.errors import QueueRefused
from skranke.queueing.forecast import wait_for_walk_in
from skranke.queueing.models import DeskState
from skranke.queueing.serving import open_desk
from tests.booking.test_staff_booking import member
from tests.centre import at

pytestmark = pytest.mark.django_db

URL = "/personale/overblik/skranke/"


def test_a_manager_pauses_a_desk_and_opens_it_again(
    centre: Location, postal_vote: Service, staff_client: Callable[[User], Client]
) -> None:
    clock.set_now(at(7, 10, 0))
    sara = member(Role.FRONT_DESK, centre)
    one, two = Desk.objects.filter(location=centre).order_by("name")
    for desk in (one, two):
        open_desk(desk=desk, staff=sara)
    for _ in range(4):
        issue_walk_in_ticket(location=centre, service=postal_vote)
    with_both = wait_for_walk_in(location=centre, services=[postal_vote])
    manager = staff_client(member(Role.MANAGER, centre))

    asked = manager.get(URL, {"skranke": two.pk})
    assert asked.status_code == 200
    assert "calls no one" in asked.content.decode()
    manager.post(URL, {"skranke": two.pk})
    with pytest.raises(QueueRefused, match="The desk is paused"):
        call_next(desk=two, staff=sara)
    assert DeskState.objects.get(desk=two).staff == sara
    with_one = wait_for_walk_in(location=centre, services=[postal_vote])
    assert with_one is not None
    assert with_both is not None
    assert with_one > with_both
    desks = {row.name: row.status for row in read_location_now(location=centre).desks}
    assert desks["2"] == DeskStatus.PAUSED
    assert "Open desk 2 again" in manager.get("/personale/overblik/").content.decode()

    manager.post(URL, {"skranke": two.pk})
    assert call_next(desk=two, staff=sara) is not None
    assert [action.kind for action in ManagerAction.objects.order_by("at", "pk")] == [
        ManagerAction.Kind.PAUSE_DESK,
        ManagerAction.Kind.OPEN_DESK,
    ]


def test_a_desk_nobody_opened_and_a_stranger_are_refused(
    centre: Location, staff_client: Callable[[User], Client]
) -> None:
    clock.set_now(at(7, 10, 0))
    one = Desk.objects.get(location=centre, name="1")
    manager = staff_client(member(Role.MANAGER, centre))
    for choice in ({"skranke": one.pk}, {"skranke": "x"}, {}):
        refused = manager.post(URL, choice, follow=True)
        assert "nobody has opened it today" in refused.content.decode()
    assert not DeskState.objects.exists()
    assert (
        staff_client(member(Role.FRONT_DESK, centre)).post(URL, {"skranke": one.pk}).status_code
        == 403
    )
