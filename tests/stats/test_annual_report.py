"""The annual report as a publication, on a small centre whose figures
are known: the charts Hvidovre's report has (the quarters beside the year
before, each service over the years, the channels over four years, how
soon calls were answered, the key figures against their targets), room
for the manager's words in each chapter, chapters that follow one another
in the PDF, small shares that say "< 1 %", and a workbook a manager can
read without guessing what a column is."""

import io
import subprocess
import tempfile
from datetime import date, datetime, timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.conf import settings
from django.test import Client

from skranke.accounts.models import Role
from skranke.booking.models import Booking
from skranke.contact_centre.kpis import compute_kpis, targets_of
from skranke.contact_centre.models import Call, Contact, Topic, TopicGroup
from skranke.core import clock
from skranke.core.models import Location, Service
from skranke.core.periods import period_containing
from skranke.stats.models import ChapterText, YearFigures
from tests.booking.test_staff_booking import member
from tests.stats.visits import make_booking, make_visit

pytestmark = pytest.mark.django_db

YEAR = 2025
REPORT = f"/personale/statistik/aarsrapport/{YEAR}"


@pytest.fixture
def year_of_figures(centre: Location, passport: Service, card: Service) -> Location:
    """2025: 60 passport visits a quarter and one health card (1 in 241,
    0.4 %); 2024: 30 passports in the first quarter; 2022 entered by hand.
    100 calls answered after 5, 30 or 90 seconds (25/57/18, Hvidovre's
    bands of 2019), and 4 of 10 contacts settled at once."""
    for quarter in range(4):
        first = datetime(YEAR, 3 * quarter + 1, 6, 10, 0, tzinfo=clock.LOCAL_ZONE)
        for number in range(60):
            make_visit(location=centre, service=passport, arrived=first + timedelta(days=number))
    make_visit(
        location=centre,
        service=card,
        arrived=datetime(YEAR, 5, 5, 11, 0, tzinfo=clock.LOCAL_ZONE),
    )
    for number in range(30):
        make_visit(
            location=centre,
            service=passport,
            arrived=datetime(YEAR - 1, 1, 6, 10, 0, tzinfo=clock.LOCAL_ZONE)
            + timedelta(days=number),
        )
    YearFigures.objects.create(municipality=centre.municipality, year=YEAR - 3, visits=500)
    YearFigures.objects.create(
        municipality=centre.municipality, year=YEAR, staff_fte=Decimal("27.54")
    )
    offered = datetime(YEAR, 3, 3, 9, 0, tzinfo=clock.LOCAL_ZONE)
    Call.objects.bulk_create(
        Call(
            municipality=centre.municipality,
            call_id=f"c{number}",
            queue="Borgerservice",
            offered_at=offered + timedelta(minutes=number),
            answered_at=offered + timedelta(minutes=number, seconds=seconds),
            ended_at=offered + timedelta(minutes=number + 5),
        )
        for number, seconds in enumerate([5] * 25 + [30] * 57 + [90] * 18)
    )
    group = TopicGroup.objects.create(
        municipality=centre.municipality, name_da="Borgerservice", first_contact_target=True
    )
    topic = Topic.objects.create(municipality=centre.municipality, group=group, name_da="Pas")
    for number in range(10):
        Contact.objects.create(
            municipality=centre.municipality,
            channel=Contact.Channel.PHONE,
            topic=topic,
            outcome=Contact.Outcome.SETTLED if number < 4 else Contact.Outcome.TRANSFERRED,
            at=offered,
        )
    return centre


@pytest.fixture
def manager(year_of_figures: Location) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(member(Role.MANAGER, year_of_figures))
    return client


def test_the_quarters_are_drawn_beside_the_year_before(manager: Client) -> None:
    page = manager.get(f"{REPORT}/")
    chart = page.context["charts"].quarters
    assert [entry.name for entry in chart.legend] == ["2024", "2025"]
    assert [bar.value for bar in chart.bars] == [30, 60, 0, 61, 0, 60, 0, 60]  # a card in Q2
    last_year, this_year = chart.bars[0], chart.bars[1]
    assert last_year.fill != this_year.fill
    assert last_year.x + last_year.width <= this_year.x  # side by side
    assert this_year.height == pytest.approx(2 * last_year.height, abs=0.2)
    assert "visits in 2024 and in 2025, side by side" in page.content.decode()


def test_each_service_is_drawn_over_the_years_skranke_counted(manager: Client) -> None:
    page = manager.get(f"{REPORT}/")
    chart = page.context["charts"].services
    assert chart.horizontal  # the services' names in full, on the left
    assert [tick.label for tick in chart.y_ticks] == ["Pas", "Sundhedskort"]
    assert [entry.name for entry in chart.legend] == ["2024", "2025"]
    assert [(bar.label, bar.value) for bar in chart.bars] == [
        ("Pas, 2024", 30),
        ("Pas, 2025", 240),
        ("Sundhedskort, 2024", 0),
        ("Sundhedskort, 2025", 1),
    ]
    # The years typed in by hand have no services: they are not drawn.
    channels = page.context["charts"].channels
    assert [tick.label for tick in channels.x_labels] == ["2022 *", "2023", "2024", "2025"]
    assert [entry.name for entry in channels.legend] == [
        "Personal visits",
        "Information desk",
        "Cash desk",
    ]
    assert [bar.value for bar in channels.bars[::3]] == [500, None, 30, 241]


def test_the_calls_are_banded_as_the_centres_report_bands_them(manager: Client) -> None:
    page = manager.get(f"{REPORT}/")
    bands = page.context["charts"].answer_bands
    assert [tick.label for tick in bands.y_ticks] == [
        "Answered within 10 s",
        "Answered after 10–60 s",
        "Answered after more than 60 s",
    ]
    assert [bar.text for bar in bands.bars] == ["25 %", "57 %", "18 %"]
    assert [(name, calls) for name, calls, _percent in page.context["answer_bands"]] == [
        ("Answered within 10 s", 25),
        ("Answered after 10–60 s", 57),
        ("Answered after more than 60 s", 18),
    ]


def test_the_key_figures_stand_against_their_targets(
    manager: Client, year_of_figures: Location
) -> None:
    report = manager.get(f"{REPORT}.json").json()
    expected = targets_of(
        compute_kpis(
            municipality=year_of_figures.municipality,
            period=period_containing(kind="year", day=date(YEAR, 1, 1)),
        )
    )
    assert [
        (figure["name"], figure["percent"], figure["target_percent"], figure["met"])
        for figure in report["key_figures"]
    ] == [
        (
            target.name,
            None if target.value is None else round(target.value, 1),
            target.target,
            target.met,
        )
        for target in expected
    ]
    figures = {figure["name"]: figure for figure in report["key_figures"]}
    assert figures["Answered within 20 s"]["percent"] == 25.0  # of 80: not met
    assert figures["Answered within 20 s"]["met"] is False
    assert figures["First-contact resolution"]["percent"] == 40.0  # of 40: met
    assert figures["First-contact resolution"]["met"] is True

    page = manager.get(f"{REPORT}/")
    chart = page.context["charts"].key_figures
    marks = {segment.label: segment.x1 for segment in chart.targets}
    service_level = chart.bars[0]
    # The target's mark stands at 80 on the scale, past the bar's 25.
    assert marks["Answered within 20 s: 80 %"] == pytest.approx(
        service_level.x + service_level.width * 80 / 25, abs=0.5
    )
    html = page.content.decode()
    assert "at least 80 %" in html
    assert "at most 8 %" in html
    assert "at least 40 %" in html


def test_a_share_under_half_a_percent_says_less_than_one_percent(manager: Client) -> None:
    page = manager.get(f"{REPORT}/")
    rows = {row.name: row for row in page.context["service_rows"]}
    assert rows["Sundhedskort"].by_year == [0, 1]
    html = page.content.decode()
    card_row = html[html.index('<th scope="row">Sundhedskort</th>') :].split("</tr>")[0]
    assert "&lt; 1 %" in card_row
    assert "0 %" not in card_row


def test_each_chapter_has_room_for_the_managers_words_shown_as_written(
    manager: Client, year_of_figures: Location
) -> None:
    text = ChapterText.objects.create(
        municipality=year_of_figures.municipality,
        year=YEAR,
        chapter="telephone",
        text_en="Calls rose <b>sharply</b>.\nWe hired two agents.",
    )
    html = manager.get(f"{REPORT}/").content.decode()
    assert "<p>Calls rose &lt;b&gt;sharply&lt;/b&gt;.<br>We hired two agents.</p>" in html
    assert "<b>sharply</b>" not in html
    assert f'href="/admin/stats/chaptertext/{text.pk}/change/"' in html
    assert "Change the text of “Telephone”" in html
    municipality = year_of_figures.municipality.pk
    assert (
        f'href="/admin/stats/chaptertext/add/?municipality={municipality}'
        f'&amp;year={YEAR}&amp;chapter=visits"' in html
    )
    assert html.count("Write a text for “") == 5  # every chapter but the one written

    # The PDF has the words and none of the links.
    text_of_pdf = _pdf_text(manager.get(f"{REPORT}.pdf").content)
    assert "Calls rose <b>sharply</b>." in text_of_pdf
    assert "Write a text for" not in text_of_pdf


def test_only_a_role_that_may_write_the_report_writes_its_words(
    year_of_figures: Location,
) -> None:
    front_desk = Client()
    front_desk.force_login(member(Role.FRONT_DESK, year_of_figures))
    answer = front_desk.post(
        "/admin/stats/chaptertext/add/",
        {
            "municipality": year_of_figures.municipality.pk,
            "year": YEAR,
            "chapter": "visits",
            "text_da": "Skrevet af den forkerte",
        },
    )
    assert answer.status_code in (302, 403)
    assert not ChapterText.objects.exists()


def test_the_pdf_runs_its_chapters_on_without_pages_that_hold_a_line(manager: Client) -> None:
    pdf = manager.get(f"{REPORT}.pdf").content
    pages = _pdf_text(pdf).split("\f")
    pages = [page for page in pages if page.strip()]
    # A page per chapter made seven pages, three of them holding one line.
    assert len(pages) <= 4
    lines = [len([line for line in page.splitlines() if line.strip()]) for page in pages]
    assert min(lines[:-1]) >= 20, lines
    text = " ".join(_pdf_text(pdf).split())
    for heading in (
        "Contacts by channel over four years",
        "Visits per quarter, against the year before",
        "Key figures against their targets",
        "How soon the calls were answered",
    ):
        assert heading in text, heading


def test_the_workbook_reads_without_guessing(year_of_figures: Location) -> None:
    danish = Client()
    danish.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    danish.force_login(member(Role.MANAGER, year_of_figures))
    make_booking(
        location=year_of_figures,
        service=Service.objects.get(slug="pas"),
        start=datetime(YEAR, 6, 2, 10, 0, tzinfo=clock.LOCAL_ZONE),
        channel=Booking.Channel.PHONE,
    )
    workbook = openpyxl.load_workbook(io.BytesIO(danish.get(f"{REPORT}.xlsx").content))
    for sheet in workbook:
        assert sheet["A1"].value == f"Borgerservicerapport {YEAR}, Testkommune: {sheet.title}"
        assert sheet.freeze_panes is not None, sheet.title
    headers = [
        cell.value
        for sheet in workbook
        for row in sheet.iter_rows()
        for cell in row
        if cell.font.bold and isinstance(cell.value, str)
    ]
    assert not [header for header in headers if header.startswith(":")]
    assert "Median, minutter" in headers
    assert "80 %-fraktil, minutter" in headers
    booking = {row[0]: row[1] for row in workbook["Booking"].iter_rows(values_only=True)}
    assert booking["Bestilt via: Telefon"] == 1
    assert "phone" not in booking
    staff = next(
        row[1]
        for row in workbook["Nøgletal og personale"].iter_rows()
        if row[0].value == "Personale pr. 1. januar (årsværk)"
    )
    assert staff.value == 27.54
    assert staff.number_format == "0.00"  # not 27.5


def _pdf_text(pdf: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        return subprocess.run(
            ["pdftotext", "-layout", file.name, "-"], capture_output=True, text=True, check=True
        ).stdout


def test_the_report_gives_booked_waits_apart_from_the_rest(
    manager: Client, year_of_figures: Location
) -> None:
    # Booked for 10:00, came 20 minutes early, called at 10:02: two
    # minutes for the centre, not 22. The fixture's walk-ins waited 5.
    ten = datetime(YEAR, 9, 1, 10, 0, tzinfo=clock.LOCAL_ZONE)
    passport = Service.objects.get(slug="pas")
    booking = make_booking(location=year_of_figures, service=passport, start=ten)
    make_visit(
        location=year_of_figures,
        service=passport,
        arrived=ten - timedelta(minutes=20),
        waited=22,
        booking=booking,
    )
    visits = manager.get(f"{REPORT}.json").json()["visits"]
    assert visits["wait_booked"]["median_minutes"] == 2.0
    assert visits["wait_unbooked"]["median_minutes"] == 5.0
    assert visits["wait_booked"]["count"] == 1
    page = manager.get(f"{REPORT}/").content.decode()
    assert "Wait, booked (from the booked time if they came early)" in page
    assert "Wait, without a booking" in page
