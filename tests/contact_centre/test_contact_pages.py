"""The contact log and the key-figures page as staff use them: logging
takes a topic, an outcome and a channel; bad input is answered on the
page; each role sees only what it may; the CSV export holds the figures."""

import csv
import io
from collections.abc import Callable
from datetime import date, datetime

import pytest
from django.test import Client

from skranke.accounts.models import Role, User
from skranke.booking.availability import Policy
from skranke.booking.booking import book_appointment
from skranke.booking.models import Booking
from skranke.contact_centre.models import Contact, Topic, TopicGroup
from skranke.core import clock
from skranke.core.models import Location, Municipality, Service
from skranke.demo.contact_year import load_contact_history
from tests.booking.test_staff_booking import member
from tests.centre import at, citizen

pytestmark = pytest.mark.django_db

StaffClient = Callable[[User], Client]


@pytest.fixture
def passport_topic(centre: Location) -> Topic:
    group = TopicGroup.objects.create(
        municipality=centre.municipality, name_da="Fase 1", first_contact_target=True
    )
    return Topic.objects.create(
        municipality=centre.municipality, group=group, name_da="Pas", name_en="Passport"
    )


def test_an_agent_logs_a_contact_and_sees_it_counted(
    centre: Location, passport_topic: Topic, staff_client: StaffClient
) -> None:
    clock.set_now(at(7, 10, 0))
    agent = member(Role.CONTACT_AGENT, centre)
    client = staff_client(agent)
    answer = client.post(
        "/personale/kontaktcenter/",
        {"channel": "email", "topic": passport_topic.pk, "outcome": "settled"},
        follow=True,
    )
    page = answer.content.decode()
    assert "Logged: E-mail, Passport, Settled at first contact." in page
    assert "You have logged 1 contact today." in page
    contact = Contact.objects.get()
    assert (contact.agent, contact.channel, contact.outcome) == (agent, "email", "settled")
    assert contact.at == at(7, 10, 0)
    assert contact.kind == ""  # not said: not guessed
    client.post(
        "/personale/kontaktcenter/",
        {
            "channel": "phone",
            "topic": passport_topic.pk,
            "outcome": "settled",
            "kind": "information",
        },
    )
    assert Contact.objects.latest("pk").kind == "information"
    # The channel is kept for the next contact.
    assert 'id="channel-email" name="channel" value="email" checked' in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"topic": ""}, "Choose the topic."),
        ({"topic": "999999"}, "Choose the topic."),
        ({"outcome": "maybe"}, "Choose how the contact ended."),
        ({"channel": "pigeon"}, "Choose the channel."),
        ({"booking": "NOSUCH"}, "There is no booking with this code."),
        ({"note": "x" * 501}, "Use at most 500 characters."),
        ({"kind": "gossip"}, "Choose information or transaction, or neither."),
    ],
)
def test_bad_input_is_answered_on_the_page_and_nothing_is_logged(
    centre: Location,
    passport_topic: Topic,
    staff_client: StaffClient,
    changes: dict[str, str],
    message: str,
) -> None:
    entered = {"channel": "phone", "topic": str(passport_topic.pk), "outcome": "settled"}
    answer = staff_client(member(Role.FRONT_DESK, centre)).post(
        "/personale/kontaktcenter/", entered | changes
    )
    assert answer.status_code == 422
    assert message in answer.content.decode()
    assert not Contact.objects.exists()


def test_a_contact_names_the_booking_made_for_the_citizen(
    centre: Location, passport: Service, passport_topic: Topic, staff_client: StaffClient
) -> None:
    clock.set_now(at(7, 8, 0))
    booking = book_appointment(
        location=centre,
        service=passport,
        start=at(9, 10, 0),
        citizen=citizen(1),
        channel=Booking.Channel.PHONE,
        policy=Policy.for_staff(centre),
    )
    staff_client(member(Role.CONTACT_AGENT, centre)).post(
        "/personale/kontaktcenter/",
        {
            "channel": "phone",
            "topic": passport_topic.pk,
            "outcome": "settled",
            "booking": booking.code.lower(),
        },
    )
    assert Contact.objects.get().booking == booking


def test_the_topics_are_listed_group_by_group(
    centre: Location, passport_topic: Topic, staff_client: StaffClient
) -> None:
    pensions = TopicGroup.objects.create(
        municipality=centre.municipality, name_da="Pension", position=2
    )
    passport_topic.group.position = 1  # type: ignore[union-attr]
    passport_topic.group.save()  # type: ignore[union-attr]
    for position, name in enumerate(["Ældrecheck", "Boligstøtte"]):
        Topic.objects.create(
            municipality=centre.municipality, group=pensions, name_da=name, position=position
        )
    Topic.objects.create(
        municipality=centre.municipality, group=passport_topic.group, name_da="Kørekort", position=5
    )
    page = staff_client(member(Role.CONTACT_AGENT, centre)).get("/personale/kontaktcenter/")
    html = page.content.decode()
    assert html.count("<optgroup") == 2
    assert html.index("Kørekort") < html.index('label="Pension"') < html.index("Ældrecheck")


def test_topics_of_another_municipality_cannot_be_used(
    centre: Location, staff_client: StaffClient
) -> None:
    elsewhere = Municipality.objects.create(name="Andet", slug="andet")
    foreign = Topic.objects.create(municipality=elsewhere, name_da="Pas")
    answer = staff_client(member(Role.CONTACT_AGENT, centre)).post(
        "/personale/kontaktcenter/", {"channel": "phone", "topic": foreign.pk, "outcome": "settled"}
    )
    assert answer.status_code == 422
    assert "Pas" not in answer.content.decode().split("Choose a topic")[1]


def test_key_figures_are_for_the_contact_centre_and_managers_not_the_front_desk(
    centre: Location, staff_client: StaffClient
) -> None:
    assert Client().get("/personale/kontaktcenter/noegletal/").status_code == 302
    agent = staff_client(member(Role.CONTACT_AGENT, centre))
    assert agent.get("/personale/kontaktcenter/").status_code == 200
    assert agent.get("/personale/kontaktcenter/noegletal/").status_code == 200
    front_desk = staff_client(member(Role.FRONT_DESK, centre))
    assert front_desk.get("/personale/kontaktcenter/noegletal/").status_code == 403
    manager = staff_client(member(Role.MANAGER, centre))
    assert manager.get("/personale/kontaktcenter/noegletal/").status_code == 200


def test_the_key_figures_give_back_the_generated_year(
    centre: Location, staff_client: StaffClient
) -> None:
    """The demo year, at a twentieth of its size, read back by the page:
    the shares the source documents report."""
    load_contact_history(municipality=centre.municipality, today=date(2026, 1, 1), scale=0.05)
    manager = staff_client(member(Role.MANAGER, centre))
    year = manager.get("/personale/kontaktcenter/noegletal/?periode=year&dato=2025-06-01")
    calls = year.context["kpis"].calls
    assert calls.offered == pytest.approx(103_972 * 0.05, abs=2)
    assert calls.answered_share == pytest.approx(89.7, abs=0.2)
    assert calls.within_share(10) == pytest.approx(24.7, abs=0.3)
    assert 100 - calls.within_share(60) == pytest.approx(17.8, abs=0.3)  # after 60 s
    assert calls.abandoned_after_share == pytest.approx(3.8, abs=0.3)
    assert "Answered within 20 s" in year.content.decode()
    phase_1, phase_2 = TopicGroup.objects.filter(municipality=centre.municipality)
    reported = {phase_1: [36.3, 40.0, 36.2, 36.9], phase_2: [6.3, 5.0, 6.4, 4.9]}
    for group, shares in reported.items():
        for quarter, share in enumerate(shares):
            page = manager.get(
                "/personale/kontaktcenter/noegletal/"
                f"?periode=quarter&dato=2025-{quarter * 3 + 1:02d}-01&gruppe={group.pk}"
            )
            fcr = page.context["kpis"].contacts.first_contact_resolution
            assert fcr == pytest.approx(share, abs=0.6), (group, quarter)
    failed = [3_215, 2_642, 2_799, 2_982]
    first = manager.get("/personale/kontaktcenter/noegletal/?periode=quarter&dato=2025-01-01")
    assert first.context["kpis"].contacts.failed_transfers == pytest.approx(failed[0] * 0.05, abs=2)


def test_the_csv_export_has_a_row_per_step_and_a_total(
    centre: Location, passport_topic: Topic, staff_client: StaffClient
) -> None:
    for hour in (9, 9, 11):
        Contact.objects.create(
            municipality=centre.municipality,
            channel="phone",
            topic=passport_topic,
            outcome="settled",
            at=datetime(2026, 12, 7, hour, 30, tzinfo=clock.LOCAL_ZONE),
        )
    manager = staff_client(member(Role.MANAGER, centre))
    answer = manager.get(
        "/personale/kontaktcenter/noegletal/?periode=day&dato=2026-12-07&format=csv"
    )
    assert answer["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1 + 24 + 1
    contacts = rows[0].index("Contacts")
    assert rows[10][0] == "2026-12-07 09:00"
    assert rows[10][contacts] == "2"
    assert rows[-1][0] == "Total"
    assert rows[-1][contacts] == "3"
    assert rows[-1][-1] == "100,0"
