"""The overview page: who may open it and what each sees, the part that
asks for itself again (nothing while nothing changed, the new figures
after a check-in, worked out once for every screen watching), no
citizen's name, and the system's alerts with where to act."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from skranke.accounts.models import Role, User
from skranke.booking.models import Booking
from skranke.challenge.alerts import note_attack
from skranke.core import clock
from skranke.core.models import Location, Municipality, Service
from skranke.notifications.models import Message
from skranke.queueing.checkin import check_in_booking, issue_walk_in_ticket
from skranke.worker.heartbeat import record_heartbeat
from tests.booking.test_staff_booking import member
from tests.centre import at

pytestmark = pytest.mark.django_db

URL = "/personale/overblik/"
LIVE = "/personale/overblik/nu/"
Book = Callable[..., Booking]


@pytest.fixture
def manager(centre: Location, staff_client: Callable[[User], Client]) -> Callable[[], Client]:
    """The centre's manager signed in now (a staff session ends when left
    idle: sign in at the moment the test looks)."""
    user = member(Role.MANAGER, centre)
    return lambda: staff_client(user)


def test_a_manager_sees_each_place_and_the_system(
    manager: Callable[[], Client], centre: Location, postal_vote: Service
) -> None:
    clock.set_now(at(7, 10, 0))
    issue_walk_in_ticket(location=centre, service=postal_vote)
    clock.set_now(at(7, 10, 9))
    page = manager().get(URL)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Overview of the day" in text
    assert "Rådhuset" in text
    assert "Waiting now" in text
    assert "9 min." in text  # the postal vote's wait so far
    assert "The system" in text
    # The part that updates itself says which version it shows.
    assert 'hx-get="/personale/overblik/nu/?version=' in text


def test_front_desk_staff_see_their_place_but_not_the_system(
    centre: Location, staff_client: Callable[[User], Client]
) -> None:
    page = staff_client(member(Role.FRONT_DESK, centre)).get(URL)
    assert page.status_code == 200
    assert "Waiting now" in page.content.decode()
    assert "The system" not in page.content.decode()


def test_contact_agents_and_strangers_are_kept_out(
    centre: Location, staff_client: Callable[[User], Client]
) -> None:
    agent = staff_client(member(Role.CONTACT_AGENT, centre))
    assert agent.get(URL).status_code == 403
    assert agent.get(LIVE).status_code == 403
    anonymous = Client().get(URL)
    assert anonymous.status_code == 302
    assert "/personale/log-ind/" in anonymous["Location"]


def test_a_manager_sees_only_their_own_places(
    centre: Location, staff_client: Callable[[User], Client]
) -> None:
    other = Municipality.objects.create(name="Nabokommune", slug="nabo", phone="1")
    Location.objects.create(municipality=other, name="Nabohuset", slug="nabo", address="Vej 1")
    elsewhere = Location.objects.create(
        municipality=centre.municipality, name="Biblioteket", slug="bib", address="Vej 2"
    )
    page = staff_client(member(Role.MANAGER, centre)).get(URL)
    text = page.content.decode()
    assert "Rådhuset" in text
    assert "Nabohuset" not in text
    assert elsewhere.name not in text


def test_the_figures_ask_again_and_get_nothing_until_something_changes(
    manager: Callable[[], Client], centre: Location, passport: Service, book: Book
) -> None:
    booking = book(passport, at(7, 10, 20), number=1)
    clock.set_now(at(7, 10, 6))
    manager = manager()
    page = manager.get(URL)
    version = page.content.decode().split("?version=")[1].split('"')[0]
    again = manager.get(LIVE, {"version": version})
    assert again.status_code == 204
    assert again.content == b""

    check_in_booking(location=centre, code=booking.code)
    # Every screen is answered from the figures read at most two seconds
    # ago: at the same instant, still nothing new.
    assert manager.get(LIVE, {"version": version}).status_code == 204
    clock.advance(timedelta(seconds=2))
    changed = manager.get(LIVE, {"version": version})
    assert changed.status_code == 200
    text = changed.content.decode()
    assert "1 citizen with a booking has checked in and waits to be called." in text
    assert f"?version={version}" not in text
    # Counts and staff only: no citizen's name, code or number.
    assert booking.name not in text
    assert booking.code not in text


def test_twenty_screens_share_the_figures_worked_out_once_per_change(
    manager: Callable[[], Client], centre: Location, passport: Service, book: Book
) -> None:
    booking = book(passport, at(7, 10, 20), number=1)
    clock.set_now(at(7, 10, 6))
    screens = [manager() for _ in range(20)]
    page = screens[0].get(URL).content.decode()
    version = page.split("?version=")[1].split('"')[0]
    # A second screen opened takes the figures as kept, as markup.
    assert f'hx-get="{LIVE}?version={version}"' in screens[1].get(URL).content.decode()
    for screen in screens:
        assert screen.get(LIVE, {"version": version}).status_code == 204

    check_in_booking(location=centre, code=booking.code)
    clock.advance(timedelta(seconds=2))
    answers = []
    with CaptureQueriesContext(connection) as queries:
        for screen in screens:
            start = len(queries)
            answer = screen.get(LIVE, {"version": version})
            answers.append((answer.status_code, answer.content, len(queries) - start))
    first_status, first_figures, worked_out = answers[0]
    assert first_status == 200
    assert "1 citizen with a booking has checked in" in first_figures.decode()
    # The others take the same figures from the snapshot: the session, the
    # manager, their places and the snapshot's row, nothing worked out.
    for status, figures, taken in answers[1:]:
        assert (status, figures) == (200, first_figures)
        assert taken < worked_out / 3
    new_version = first_figures.decode().split("?version=")[1].split('"')[0]
    assert screens[1].get(LIVE, {"version": new_version}).status_code == 204


def test_a_failed_message_is_shown_with_where_to_act(
    manager: Callable[[], Client], centre: Location, passport: Service, book: Book
) -> None:
    booking = book(passport, at(7, 11, 0), number=1, sms_consent=True)
    clock.set_now(at(7, 10, 0))
    manager = manager()
    text = manager.get(URL).content.decode()
    assert "The worker has not run" in text
    record_heartbeat(moment=clock.now())
    assert "Nothing needs you" in manager.get(URL).content.decode()
    Message.objects.filter(booking=booking).update(status=Message.Status.DEAD)
    text = manager.get(URL).content.decode()
    assert "message to a citizen failed in the last two days" in text
    assert 'href="/personale/beskeder/"' in text


def test_an_attack_on_the_booking_is_shown_with_when_it_began(
    manager: Callable[[], Client], centre: Location
) -> None:
    clock.set_now(at(7, 10, 0))
    record_heartbeat(moment=clock.now())
    manager = manager()
    assert "under attack" not in manager.get(URL).content.decode()
    clock.set_now(at(7, 10, 2))
    note_attack(attempts=1000)
    text = manager.get(LIVE, {"version": "an older one"}).content.decode()
    assert "The booking is under attack since 10:02" in text
