"""The demo's two years of visits give back the annual report's numbers,
and the robust figures find the distributions the times were drawn from."""

from datetime import date, datetime

import pytest

from skranke.core import clock
from skranke.core.models import Location, Service
from skranke.demo.loading import load_demo_data
from skranke.demo.visit_history import drawn_mean, drawn_p80, load_visit_history
from skranke.stats.report import build_annual_report
from skranke.stats.visits import measure_visits_by, read_visits

pytestmark = pytest.mark.django_db

LOADED_ON = datetime(2026, 11, 30, 8, 0, tzinfo=clock.LOCAL_ZONE)


def test_the_demo_years_give_back_the_reports_numbers() -> None:
    municipality = load_demo_data(now=LOADED_ON)
    town_hall = Location.objects.get(slug="raadhuset")
    assert load_visit_history(location=town_hall, today=LOADED_ON.date()) == [2024, 2025]
    assert load_visit_history(location=town_hall, today=LOADED_ON.date()) == []  # once

    like_2019 = build_annual_report(municipality=municipality, year=2025).as_json()
    visits = like_2019["visits"]
    assert isinstance(visits, dict)
    assert visits["total"] == 24_654
    assert visits["by_quarter"] == [9_389, 6_284, 4_717, 4_264]
    assert visits["previous_year_by_quarter"] == [8_835, 8_332, 7_003, 5_138]
    assert visits["saturday"] == 2_348
    assert {slug: n for slug, n in visits["by_service"].items() if n} == {
        "pas": 9_902,
        "koerekort": 4_074,
        "brevstemme": 3_743,
        "mitid": 3_043,
        "folkeregister": 1_582,
        "digital-hjaelp": 1_340,
        "sundhedskort": 488,
        "ejendomsskat": 139,
        "opkraevning": 123,
        "andet": 110,
        "vielse": 72,
        "bolig": 38,
    }
    assert like_2019["information_desk"] == 5_799
    assert like_2019["cash_desk"] == 2_009
    assert like_2019["assisted_self_service"] == 1_340
    assert like_2019["phone_meetings"]["booked"] == 1_796  # type: ignore[index]
    assert like_2019["staff_fte"] == 27.54
    series = like_2019["series"]
    assert [year["visits"] for year in series] == [30_276, 27_936, 29_308, 24_654]  # type: ignore[index,union-attr]

    # The June and November surveys: 88 % and 89 % satisfied, 96 % found a
    # time easily (November), 79 % knew booking was required (June).
    survey = like_2019["survey"]
    assert isinstance(survey, dict)
    assert survey["answers"] == 320 + 329
    assert survey["satisfied"]["positive"] == 282 + 293
    assert survey["easy_to_find"]["positive"] == 316
    assert survey["knew_required"]["positive"] == 253
    assert survey["booked_via"]["website"] == 214
    assert [quarter and quarter["answers"] for quarter in survey["by_quarter"]] == [
        None,
        320,
        None,
        329,
    ]

    like_2018 = build_annual_report(municipality=municipality, year=2024).as_json()
    assert like_2018["visits"]["total"] == 29_308  # type: ignore[index]
    assert like_2018["visits"]["saturday"] == 1_796  # type: ignore[index]
    assert like_2018["information_desk"] == 8_457
    assert like_2018["cash_desk"] == 8_117
    assert like_2018["assisted_self_service"] == 2_262

    # Web bookings are about two in three; booking became mandatory in March.
    booking = like_2019["booking"]
    assert 0.62 < booking["by_channel"]["web"] / sum(booking["by_channel"].values()) < 0.72  # type: ignore[index]

    _robust_times_find_the_drawn_distributions(town_hall)


def _robust_times_find_the_drawn_distributions(town_hall: Location) -> None:
    rows = read_visits(location_ids=[town_hall.pk], first=date(2025, 1, 1), end=date(2026, 1, 1))
    slugs = dict(Service.objects.values_list("pk", "slug"))
    for service_id, figures in measure_visits_by(rows, group_by="service").items():
        slug = slugs[service_id]
        assert figures.service_time.p80 == pytest.approx(drawn_p80(slug), rel=0.05), slug
        everything = [
            row.service_minutes
            for row in rows
            if row.service_id == service_id and row.service_minutes is not None
        ]
        plain_mean = sum(everything) / len(everything)
        assert plain_mean != pytest.approx(drawn_mean(slug), rel=0.05), slug
        assert figures.service_time.left_out_count > 0
