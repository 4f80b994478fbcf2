"""The worklist page: who may see it and act on it, what it shows, and how
refusals and second clicks are answered."""

from collections.abc import Callable

import pytest
from django.test import Client

from skranke.accounts.models import Role, User
from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.models import Location
from skranke.notifications.models import Message
from skranke.phone_meetings.meeting_calls import claim_meeting
from skranke.phone_meetings.models import MeetingCall
from skranke.phone_meetings.worklist import read_worklist, worklist_version
from tests.centre import at
from tests.phone_meetings.conftest import BookMeeting, staff_member

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], Client]
PAGE = "/personale/telefonmoeder/"
ACTION = "/personale/telefonmoeder/handling/"


def act(client: Client, booking: Booking, action: str, **extra: object) -> str:
    """Press a button; the page it leads back to."""
    response = client.post(ACTION, {"booking": booking.pk, "action": action, **extra}, follow=True)
    assert response.redirect_chain == [(PAGE, 302)]
    return response.content.decode()


def test_staff_without_the_phone_skill_are_refused(
    book_meeting: BookMeeting, centre: Location, staff_client: ClientFor
) -> None:
    booking = book_meeting(10)
    client = staff_client(staff_member("bo", centre, phone_skill=False))
    assert client.get(PAGE).status_code == 403
    assert client.get(PAGE + "liste/").status_code == 403
    assert client.post(ACTION, {"booking": booking.pk, "action": "claim"}).status_code == 403
    assert not MeetingCall.objects.exists()
    assert "/personale/telefonmoeder/" not in client.get("/personale/").content.decode()


def test_a_manager_watches_the_list_without_taking_calls(
    book_meeting: BookMeeting, centre: Location, staff_client: ClientFor
) -> None:
    booking = book_meeting(10)
    client = staff_client(staff_member("lars", centre, role=Role.MANAGER, phone_skill=False))
    assert PAGE in client.get("/personale/").content.decode()
    page = client.get(PAGE).content.decode()
    assert "Telephone meeting: Civil registry" in page
    assert "Take the call" not in page
    assert client.post(ACTION, {"booking": booking.pk, "action": "claim"}).status_code == 403


def test_the_page_lists_the_meetings_with_a_phone_link_and_flags_the_near_ones(
    book_meeting: BookMeeting, caller: User, staff_client: ClientFor
) -> None:
    book_meeting(10, note="Flytning til udlandet")
    book_meeting(11)
    clock.set_now(at(7, 9, 52))
    client = staff_client(caller)
    assert PAGE in client.get("/personale/").content.decode()
    page = client.get(PAGE).content.decode()
    assert '<a href="tel:+4520000100">+45 20 00 01 00</a>' in page
    assert "Flytning til udlandet" in page
    assert '<td class="meeting-name">Borger 100</td>' in page  # whom to ask for
    assert page.count('class="meeting-due"') == 1
    assert "Due soon: nobody has taken it" in page
    assert page.index("10:00") < page.index("11:00")
    assert page.count("Take the call") == 2


def test_taking_starting_and_finishing_a_call_by_the_buttons(
    book_meeting: BookMeeting, caller: User, staff_client: ClientFor
) -> None:
    booking = book_meeting(10)
    client = staff_client(caller)
    page = act(client, booking, "claim")
    assert "You have taken the call at 10:00." in page
    assert "Taken by you" in page
    assert "Give back" in page
    page = act(client, booking, "start")
    assert "In call: you" in page
    page = act(client, booking, "reached")
    assert "Done: reached" in page
    booking.refresh_from_db()
    assert booking.status == Booking.Status.SERVED
    # A second click is told that nothing changed.
    page = act(client, booking, "reached")
    assert "This telephone meeting is already done." in page
    assert 'role="status"' in page


def test_a_call_taken_by_a_colleague_is_refused_with_an_alert(
    book_meeting: BookMeeting, caller: User, colleague: User, staff_client: ClientFor
) -> None:
    booking = book_meeting(10)
    claim_meeting(booking=booking, staff=colleague)
    page = act(staff_client(caller), booking, "claim")
    assert '<div class="alert alert-error" role="alert">' in page
    assert "Another colleague has taken this call." in page
    assert "Taken by Karim" in page
    assert MeetingCall.objects.get(booking=booking).claimed_by == colleague


def test_no_answer_twice_shows_the_second_attempt_and_then_that_the_sms_went(
    book_meeting: BookMeeting, caller: User, staff_client: ClientFor
) -> None:
    booking = book_meeting(10)
    clock.set_now(at(7, 10, 1))
    client = staff_client(caller)
    act(client, booking, "claim")
    page = act(client, booking, "no_answer", attempt=1)
    assert "No answer. The second attempt is due at 10:16." in page
    assert "Second attempt at 10:16" in page
    # The same click again, from the page of the first attempt.
    act(client, booking, "claim")
    page = act(client, booking, "no_answer", attempt=1)
    assert "already noted" in page
    # Not before the second attempt is due.
    page = act(client, booking, "no_answer", attempt=2)
    assert "No answer can be noted from 10:16" in page
    assert not Message.objects.filter(kind=Message.Kind.TRIED_TO_CALL).exists()
    clock.set_now(at(7, 10, 16))
    page = act(client, booking, "no_answer", attempt=2)
    assert "No answer again: the telephone meeting is over." in page
    assert "No answer, SMS sent" in page


def test_another_locations_meeting_cannot_be_acted_on(
    book_meeting: BookMeeting, centre: Location, staff_client: ClientFor
) -> None:
    booking = book_meeting(10)
    elsewhere = Location.objects.create(
        municipality=centre.municipality, name="Biblioteket", slug="bib", address="Torvet 2"
    )
    client = staff_client(staff_member("bo", elsewhere))
    assert "Civil registry" not in client.get(PAGE).content.decode()
    response = client.post(ACTION, {"booking": booking.pk, "action": "claim"})
    assert response.status_code == 404
    assert not MeetingCall.objects.exists()


def test_the_list_is_left_alone_while_nothing_changed(
    book_meeting: BookMeeting, caller: User, staff_client: ClientFor
) -> None:
    booking = book_meeting(10)
    client = staff_client(caller)
    version = worklist_version(read_worklist(staff=caller))
    assert f"?version={version}" in client.get(PAGE).content.decode()
    assert client.get(PAGE + "liste/", {"version": version}).status_code == 204
    claim_meeting(booking=booking, staff=caller)
    changed = client.get(PAGE + "liste/", {"version": version})
    assert changed.status_code == 200
    assert "Taken by you" in changed.content.decode()


def test_the_actions_are_posts_only(caller: User, staff_client: ClientFor) -> None:
    assert staff_client(caller).get(ACTION).status_code == 405
