"""The contact centre's worklist of written inquiries: the open ones,
longest waiting first, due by the municipality's target in opening days;
taking one, letting it go, settling and forwarding it, each logged in the
contact log as the key figures count contacts; who may see which; and
every citizen's inquiry seen is in the access log."""

from collections.abc import Callable
from datetime import datetime

import pytest
from django.test import Client

from skranke.access_log.models import AccessRecord
from skranke.accounts.models import Role, User
from skranke.contact_centre.models import Contact, KpiTargets, Topic
from skranke.core import clock
from skranke.core.models import Location, SpecialDay
from skranke.inquiries.errors import InquiryClosed, InquiryTaken
from skranke.inquiries.handling import claim_inquiry, forward_inquiry, settle_inquiry
from skranke.inquiries.models import Inquiry, InquiryMessage
from skranke.inquiries.response_target import answer_due_by
from skranke.inquiries.worklist import read_inquiry_worklist
from tests.booking.test_staff_booking import member
from tests.centre import at

pytestmark = pytest.mark.django_db

URL = "/personale/henvendelser/"


def inquiry(
    centre: Location, received_at: datetime, *, subject: str = "Pas", text: str = "Hej"
) -> Inquiry:
    made = Inquiry.objects.create(
        municipality=centre.municipality,
        channel=Inquiry.Channel.EMAIL,
        location=centre,
        sender="jens@example.dk",
        sender_name="Jens Hansen",
        subject=subject,
        received_at=received_at,
        last_received_at=received_at,
    )
    InquiryMessage.objects.create(
        inquiry=made, direction=InquiryMessage.Direction.IN, at=received_at, text=text
    )
    return made


@pytest.fixture
def agent(centre: Location) -> User:
    return member(Role.CONTACT_AGENT, centre)


@pytest.fixture
def topic(centre: Location) -> Topic:
    return Topic.objects.create(municipality=centre.municipality, name_da="Pas", name_en="Passport")


def test_due_within_two_opening_days_after_the_day_it_came(centre: Location) -> None:
    # The centre is open Monday to Friday 10-15 (tests/centre.py). A mail on
    # Thursday 10 December is due at Monday's closing; one on Friday at
    # Tuesday's.
    assert answer_due_by(received_at=at(10, 9, 0), location=centre, days=2) == at(14, 15, 0)
    assert answer_due_by(received_at=at(11, 20, 0), location=centre, days=2) == at(15, 15, 0)
    # A day the centre is closed does not count.
    SpecialDay.objects.create(location=centre, date=at(14, 0).date(), closed=True)
    assert answer_due_by(received_at=at(10, 9, 0), location=centre, days=2) == at(15, 15, 0)
    # Without a place: Monday to Friday, not Christmas Eve or Christmas:
    # from Wednesday 23 December, Monday 28 and Tuesday 29.
    assert answer_due_by(received_at=at(23, 12, 0), location=None, days=2).date() == (
        at(29, 0).date()
    )


def test_the_longest_waiting_first_and_overdue_flagged(centre: Location, agent: User) -> None:
    older = inquiry(centre, at(2, 11, 0), subject="Mit CPR-nummer er 010190-1234")
    newer = inquiry(centre, at(7, 9, 0))
    Inquiry.objects.create(
        municipality=centre.municipality,
        channel=Inquiry.Channel.EMAIL,
        sender="x@example.dk",
        status=Inquiry.Status.ANSWERED,
    )
    items = read_inquiry_worklist(staff=agent, now=at(7, 10, 0))
    assert [item.inquiry for item in items] == [older, newer]
    # Wednesday's mail was due Friday at closing; Monday's is due Wednesday.
    assert items[0].overdue
    assert items[0].due_by == at(4, 15, 0)
    assert not items[1].overdue
    assert items[0].subject_shown == "Mit CPR-nummer er 010190-xxxx"
    # The municipality's own target: three opening days.
    KpiTargets.objects.create(municipality=centre.municipality, inquiry_answer_days=3)
    assert read_inquiry_worklist(staff=agent, now=at(7, 10, 0))[1].due_by == at(10, 15, 0)


def test_an_agent_takes_settles_and_the_contact_log_counts_it(
    centre: Location, agent: User, topic: Topic, staff_client: Callable[[User], Client]
) -> None:
    clock.set_now(at(7, 10, 0))
    asked = inquiry(centre, at(7, 9, 0), text="Hvornår har I åbent?")
    client = staff_client(agent)
    page = client.get(URL)
    assert page.status_code == 200
    assert "Jens Hansen" in page.content.decode()
    shown = client.get(f"{URL}{asked.pk}/").content.decode()
    assert "Hvornår har I åbent?" in shown
    assert AccessRecord.objects.filter(
        user=agent, action=AccessRecord.Action.VIEWED_INQUIRY, inquiry=asked
    ).exists()

    answer = client.post(f"{URL}{asked.pk}/handling/", {"action": "claim"})
    assert answer.status_code == 302
    asked.refresh_from_db()
    assert asked.claimed_by == agent

    # A colleague cannot take or close it while it is the agent's.
    colleague = member(Role.MANAGER, centre)
    with pytest.raises(InquiryTaken):
        claim_inquiry(staff=colleague, inquiry_id=asked.pk)
    with pytest.raises(InquiryTaken):
        settle_inquiry(staff=colleague, inquiry_id=asked.pk, topic_id=topic.pk)

    clock.set_now(at(7, 10, 5))
    done = client.post(
        f"{URL}{asked.pk}/handling/", {"action": "settle", "topic": topic.pk, "kind": "information"}
    )
    assert done.status_code == 302
    asked.refresh_from_db()
    assert (asked.status, asked.closed_at) == (Inquiry.Status.SETTLED, at(7, 10, 5))
    contact = Contact.objects.get()
    assert (contact.channel, contact.topic, contact.outcome, contact.agent, contact.location) == (
        Contact.Channel.EMAIL,
        topic,
        Contact.Outcome.SETTLED,
        agent,
        centre,
    )
    assert asked.contact == contact
    # Closed once: a second click changes nothing, and says so.
    with pytest.raises(InquiryClosed):
        settle_inquiry(staff=agent, inquiry_id=asked.pk, topic_id=topic.pk)
    assert Contact.objects.count() == 1
    assert client.get(URL).content.decode().count("Jens Hansen") == 0


def test_a_forward_that_came_back_counts_as_for_calls(
    centre: Location, agent: User, topic: Topic
) -> None:
    clock.set_now(at(7, 10, 0))
    asked = inquiry(centre, at(7, 9, 0))
    forward_inquiry(
        staff=agent, inquiry_id=asked.pk, topic_id=topic.pk, outcome=Contact.Outcome.BOUNCED
    )
    asked.refresh_from_db()
    assert asked.status == Inquiry.Status.FORWARDED
    assert Contact.objects.get().outcome == Contact.Outcome.BOUNCED


def test_closing_without_a_topic_changes_nothing(
    centre: Location, agent: User, staff_client: Callable[[User], Client]
) -> None:
    clock.set_now(at(7, 10, 0))
    asked = inquiry(centre, at(7, 9, 0))
    client = staff_client(agent)
    answer = client.post(f"{URL}{asked.pk}/handling/", {"action": "settle"}, follow=True)
    assert "Choose the topic." in answer.content.decode()
    asked.refresh_from_db()
    assert asked.status == Inquiry.Status.OPEN
    assert not Contact.objects.exists()


def test_who_may_see_which(
    centre: Location, location: Location, staff_client: Callable[[User], Client]
) -> None:
    clock.set_now(at(7, 10, 0))
    library = Location.objects.create(
        municipality=location.municipality, slug="bibliotek", name="Biblioteket"
    )
    at_library = inquiry(library, at(7, 9, 0), subject="Bibliotekets")
    front_desk = member(Role.FRONT_DESK, centre)
    assert staff_client(front_desk).get(URL).status_code == 403
    # An agent of the town hall sees neither the library's inquiry nor its page.
    agent = member(Role.CONTACT_AGENT, centre)
    client = staff_client(agent)
    assert "Bibliotekets" not in client.get(URL).content.decode()
    assert client.get(f"{URL}{at_library.pk}/").status_code == 404
    assert Client().get(URL).status_code == 302
    assert (
        client.post(f"{URL}{at_library.pk}/handling/", {"action": "claim"}, follow=True)
        .content.decode()
        .count("There is no such inquiry")
        == 1
    )
    at_library.refresh_from_db()
    assert at_library.claimed_by is None
