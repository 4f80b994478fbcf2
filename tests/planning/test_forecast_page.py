"""The planning page's forecast: citizens at a counter and calls to the
telephones on the demo's history, the events a manager enters and deletes,
what is refused, and what nobody else may see."""

import itertools
from collections.abc import Callable
from datetime import date, datetime

import pytest
from django.test import Client

from skranke.accounts.models import Role, User
from skranke.core import clock
from skranke.core.models import Location, Municipality
from skranke.demo.contact_year import load_contact_history
from skranke.demo.loading import load_demo_data
from skranke.demo.visit_history import load_visit_history
from skranke.planning.models import ForecastEvent
from skranke.web.chart import draw_chart
from tests.booking.test_staff_booking import member

pytestmark = pytest.mark.django_db

URL = "/personale/planlaegning/prognose/"
ADD = f"{URL}haendelser/"
MONDAY = datetime(2026, 12, 7, 9, 0, tzinfo=clock.LOCAL_ZONE)


@pytest.fixture
def demo(db: None) -> Municipality:
    """The demo as on a Monday morning in December, with this year's calls."""
    clock.set_now(MONDAY)
    municipality = load_demo_data(now=clock.now())
    load_contact_history(municipality=municipality, today=clock.today(), scale=0.05)
    return municipality


@pytest.fixture
def manager(demo: Municipality, staff_client: Callable[[User], Client]) -> Client:
    return staff_client(User.objects.get(username="leder"))


@pytest.fixture
def centre_manager(centre: Location, staff_client: Callable[[User], Client]) -> Client:
    """A manager of a small centre with no history: quicker to set up where
    the forecast itself does not matter."""
    return staff_client(member(Role.MANAGER, centre))


def event_data(**changes: str) -> dict[str, str]:
    data = {
        "name": "Folketingsvalg",
        "first_day": "2026-12-08",
        "last_day": "2026-12-10",
        "lift_percent": "40",
        "applies_to": "both",
        "sted": "telefoner",
    }
    return data | changes


def test_the_telephones_forecast_shows_days_backtest_and_queues(manager: Client) -> None:
    page = manager.get(URL, {"sted": "telefoner"})
    assert page.status_code == 200
    rows = page.context["rows"]
    assert rows[0].day == date(2026, 11, 30)  # a week back
    assert rows[-1].day == date(2026, 12, 21)  # two weeks ahead
    assert {row.day.weekday() for row in rows} <= {0, 1, 2, 3, 4}
    gone = [row for row in rows if row.day < date(2026, 12, 7)]
    assert gone
    assert all(row.actual is not None and row.deviation for row in gone)
    assert all(row.actual is None for row in rows if row.day >= date(2026, 12, 7))
    text = page.content.decode()
    assert "Forecast one week ahead over the last 8 weeks of the history" in text
    error = page.context["error_percent"]
    assert error is not None
    assert 0 <= error < 30
    assert f"{error:.1f} %" in text
    # The chosen day is today, split over the phone system's queues.
    assert page.context["day"].day == date(2026, 12, 7)
    split = page.context["split"]
    assert {item.name for item in split} == {"Borgerservice", "Pension og pladsanvisning"}
    assert sum(item.expected for item in split) == pytest.approx(page.context["day"].expected)
    assert page.context["intervals"]
    assert "Calls per day: expected and actual" in text
    assert 'role="img"' in text
    # Beside the error, the least any forecast could be off by, and what
    # "the same weekday last week" would have been off by.
    floor = page.context["noise_floor_percent"]
    assert 0 < floor <= error
    assert f"would still have been off by about {floor:.1f} %" in text
    assert page.context["last_week_percent"] > 0
    # Each day has the range 8 of 10 days fall in.
    assert all(row.low <= row.expected <= row.high for row in rows)
    assert all(row.low < row.high for row in rows)
    assert f'<td class="align-text-right">{rows[0].low}–{rows[0].high}</td>' in text
    assert "Range (8 of 10 days)" in text
    # Whether the year's seasons were read from the history is said.
    seasons = page.context["demand"].forecast.seasons
    assert ("The year's seasons are read from the history" in text) is seasons
    assert ("The forecast follows the last half year" in text) is not seasons
    # This year's calls run up to today: the history is not old.
    assert not page.context["history_is_old"]
    assert "The history is old" not in text


def test_another_day_is_shown_per_half_hour(manager: Client) -> None:
    page = manager.get(URL, {"sted": "telefoner", "dag": "2026-12-02"})
    day = page.context["day"]
    assert day.day == date(2026, 12, 2)
    intervals = page.context["intervals"]
    assert sum(row.expected for row in intervals) == pytest.approx(day.expected)
    assert all(a.ends == b.starts for a, b in itertools.pairwise(intervals))


def test_a_day_not_shown_falls_back_to_today(manager: Client) -> None:
    # A Sunday, a word, the end of the calendar, nothing.
    for day in ["2026-12-06", "i går", "9999-12-31", ""]:
        page = manager.get(URL, {"sted": "telefoner", "dag": day})
        assert page.status_code == 200
        assert page.context["day"].day == date(2026, 12, 7)


def test_the_counter_forecast_splits_the_day_over_the_services(
    demo: Municipality, manager: Client
) -> None:
    town_hall = Location.objects.get(slug="raadhuset")
    load_visit_history(location=town_hall, today=clock.today())
    page = manager.get(URL, {"sted": town_hall.pk})
    assert page.status_code == 200
    assert not page.context["phones"]
    assert page.context["demand"].history_end == date(2026, 1, 1)
    # The visits are last year's: the page says how old they are.
    assert page.context["history_days_old"] == 341
    text = page.content.decode()
    assert "The history is old" in text
    assert "The history ends on 31 December 2025, 341 days (48 weeks) before today." in text
    error = page.context["error_percent"]
    assert error is not None
    assert 0 <= error < 30
    names = [item.name for item in page.context["split"]]
    assert "Passport" in names or "Pas" in names
    day = page.context["day"]
    assert sum(item.expected for item in page.context["split"]) == pytest.approx(day.expected)
    assert "citizens expected" in page.content.decode()


def test_a_place_without_history_says_so(manager: Client) -> None:
    library = Location.objects.get(slug="biblioteket")
    text = manager.get(URL, {"sted": library.pk}).content.decode()
    assert "Too little history to forecast: at least 10 days with visits are needed." in text


def test_a_municipality_without_calls_says_so(centre_manager: Client) -> None:
    text = centre_manager.get(URL, {"sted": "telefoner"}).content.decode()
    assert "Too little history to forecast: at least 10 days with calls are needed." in text


def test_an_event_lifts_the_forecast_on_its_days(demo: Municipality, manager: Client) -> None:
    before = {
        row.day: row.expected for row in manager.get(URL, {"sted": "telefoner"}).context["rows"]
    }
    answer = manager.post(ADD, event_data())
    assert answer.status_code == 302
    assert answer["Location"] == f"{URL}?sted=telefoner"
    event = ForecastEvent.objects.get()
    assert (event.name, event.first_day, event.last_day, event.lift_percent) == (
        "Folketingsvalg",
        date(2026, 12, 8),
        date(2026, 12, 10),
        40,
    )
    assert event.municipality == demo
    assert event.created_by is not None
    assert event.created_by.username == "leder"
    page = manager.get(URL, {"sted": "telefoner"})
    rows = {row.day: row for row in page.context["rows"]}
    assert rows[date(2026, 12, 9)].expected == pytest.approx(before[date(2026, 12, 9)] * 1.4)
    assert rows[date(2026, 12, 9)].events == ["Folketingsvalg"]
    assert rows[date(2026, 12, 14)].events == []
    assert "The event “Folketingsvalg” was added." in [
        str(message) for message in page.context["messages"]
    ]


def test_a_typographic_minus_is_a_minus(centre_manager: Client) -> None:
    centre_manager.post(ADD, event_data(lift_percent="\N{MINUS SIGN}20"))
    assert ForecastEvent.objects.get().lift_percent == -20


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"last_day": "2026-12-07"}, "last_day", "The last day cannot be before the first day."),
        ({"lift_percent": "501"}, "lift_percent", "Give a change from −100 to 500 per cent"),
        ({"lift_percent": "-101"}, "lift_percent", "Give a change from −100 to 500 per cent"),
        ({"lift_percent": "mange"}, "lift_percent", "Give the change as a whole number"),
        ({"lift_percent": ""}, "lift_percent", "Give the expected change in per cent."),
        ({"first_day": "31-02-2026"}, "first_day", "Give the first day as a date"),
        ({"name": ""}, "name", "Give the event a name"),
        ({"applies_to": "radio"}, "applies_to", "Select a valid choice."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(
    centre_manager: Client, changes: dict[str, str], field: str, message: str
) -> None:
    page = centre_manager.post(ADD, event_data(**changes))
    assert page.status_code == 200
    assert not ForecastEvent.objects.exists()
    errors = page.context["form"].errors
    assert list(errors) == [field]
    assert errors[field][0].startswith(message)
    text = page.content.decode()
    assert "The event was not added." in text
    assert 'aria-invalid="true"' in text
    # The page around the form is the one the manager came from, and its
    # choices lead back to it, not to the address the form was posted to.
    assert page.context["phones"]
    assert f'<form method="get" action="{URL}"' in text


def test_a_manager_deletes_an_event_of_their_municipality(
    centre: Location, centre_manager: Client
) -> None:
    event = ForecastEvent.objects.create(
        municipality=centre.municipality,
        name="Paskampagne",
        first_day=date(2026, 12, 8),
        last_day=date(2026, 12, 8),
        lift_percent=20,
    )
    answer = centre_manager.post(f"{ADD}{event.pk}/slet/", {"sted": "telefoner"})
    assert answer.status_code == 302
    assert answer["Location"] == f"{URL}?sted=telefoner"
    assert not ForecastEvent.objects.exists()


def test_another_municipalitys_event_is_neither_shown_nor_deleted(
    demo: Municipality, manager: Client
) -> None:
    other = Municipality.objects.create(name="Anden", slug="anden")
    theirs = ForecastEvent.objects.create(
        municipality=other,
        name="Deres valg",
        first_day=date(2026, 12, 8),
        last_day=date(2026, 12, 9),
        lift_percent=50,
    )
    assert manager.post(f"{ADD}{theirs.pk}/slet/").status_code == 404
    assert ForecastEvent.objects.filter(pk=theirs.pk).exists()
    page = manager.get(URL, {"sted": "telefoner"})
    assert "Deres valg" not in page.content.decode()
    assert all(row.events == [] for row in page.context["rows"])


def test_an_event_is_added_to_the_managers_own_municipality_only(
    centre: Location, centre_manager: Client
) -> None:
    other = Municipality.objects.create(name="Anden", slug="anden")
    centre_manager.post(ADD, event_data(municipality=str(other.pk)))
    assert ForecastEvent.objects.get().municipality == centre.municipality


def test_the_forms_only_take_posts(centre_manager: Client) -> None:
    assert centre_manager.get(ADD).status_code == 405
    assert centre_manager.post(URL).status_code == 405


def test_front_desk_staff_may_not_see_or_change_the_forecast(
    centre: Location, staff_client: Callable[[User], Client]
) -> None:
    event = ForecastEvent.objects.create(
        municipality=centre.municipality,
        name="Valg",
        first_day=date(2026, 12, 8),
        last_day=date(2026, 12, 8),
        lift_percent=20,
    )
    client = staff_client(member(Role.FRONT_DESK, centre))
    assert client.get(URL).status_code == 403
    assert client.post(ADD, event_data()).status_code == 403
    assert client.post(f"{ADD}{event.pk}/slet/").status_code == 403
    assert list(ForecastEvent.objects.values_list("name", flat=True)) == ["Valg"]


def test_the_chart_marks_what_came_on_the_same_scale_as_the_bars() -> None:
    chart = draw_chart(
        labels=["1/12", "2/12", "3/12"],
        values=[40, 50, 45],
        target=None,
        counts=True,
        marks=[80, None, 30],
    )
    # 80 came where 40 were expected: the scale reaches it.
    assert chart.y_ticks[-1].label == "80"
    assert [mark.label for mark in chart.marks] == ["1/12", "3/12"]
    assert chart.marks[0].x == pytest.approx(chart.bars[0].x + chart.bars[0].width / 2, abs=1)
    assert chart.marks[0].y < chart.bars[0].y  # higher up
    assert draw_chart(labels=["a"], values=[40], target=None, counts=True).marks == []
