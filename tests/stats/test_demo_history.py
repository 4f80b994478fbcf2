"""The demo's two years of visits give back the annual report's numbers,
and the robust figures find the distributions the times were drawn from."""

import io
import subprocess
import tempfile
from datetime import date, datetime
from typing import Any

import numpy as np
import openpyxl
import pytest
from django.test import Client

from skranke.accounts.models import User
from skranke.core import clock
from skranke.core.models import Location, Service
from skranke.demo.loading import load_demo_data
from skranke.demo.visit_history import drawn_mean, drawn_p80, load_visit_history
from skranke.planning.demand import forecast_visits
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
    _the_forecast_is_as_near_as_chance_allows_a_week_ahead(town_hall)
    _the_downloads_agree_with_the_json(like_2019)


def _the_downloads_agree_with_the_json(report: dict[str, Any]) -> None:
    administrator = Client()
    administrator.force_login(User.objects.get(username="admin"))
    workbook = openpyxl.load_workbook(
        io.BytesIO(administrator.get("/personale/statistik/aarsrapport/2025.xlsx").content)
    )
    assert workbook.sheetnames == [
        "Samlede tal",
        "Personlige henvendelser",
        "Booking",
        "Telefon",
        "Digital selvbetjening",
        "Nøgletal og personale",
    ]
    visits = [row[:4] for row in workbook["Personlige henvendelser"].iter_rows(values_only=True)]
    first = visits.index(("Ydelse", "Kortnavn", "2025", "2024")) + 1
    total = next(index for index in range(first, len(visits)) if visits[index][0] == "I alt")
    services = {row[1]: row[2] for row in visits[first:total]}
    assert visits[total][2] == report["visits"]["total"]
    assert {slug: n for slug, n in services.items() if n} == {
        slug: n for slug, n in report["visits"]["by_service"].items() if n
    }
    assert sum(services.values()) == report["visits"]["total"]
    # Under the sheet's title, a blank line, the table's title and its header.
    assert visits[0][0] == "Borgerservicerapport 2025, Demo Kommune: Personlige henvendelser"
    quarters = visits[4:8]
    assert [row[2] for row in quarters] == report["visits"]["by_quarter"]
    telephone = {
        row[0]: row[1] for row in workbook["Telefon"].iter_rows(values_only=True) if row[0]
    }
    assert telephone["Besvaret inden for 10 sek."] == report["phone"]["answered_within_10s"]

    pdf = administrator.get("/personale/statistik/aarsrapport/2025.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf.content)
        file.flush()
        text = subprocess.run(
            ["pdftotext", "-layout", file.name, "-"], capture_output=True, text=True, check=True
        ).stdout
        info = subprocess.run(
            ["pdfinfo", file.name], capture_output=True, text=True, check=True
        ).stdout
    assert "Borgerservicerapport 2025, Demo" in " ".join(text.split())
    for headline in ("24.654 personlige henvendelser", "9.902", "2.348", "5.799", "2.009"):
        assert headline in text, headline
    assert "Tagged:          yes" in info


def _robust_times_find_the_drawn_distributions(town_hall: Location) -> None:
    rows = read_visits(location_ids=[town_hall.pk], first=date(2025, 1, 1), end=date(2026, 1, 1))
    slugs = dict(Service.objects.values_list("pk", "slug"))
    for service_id, figures in measure_visits_by(rows, group_by="service").items():
        slug = slugs[service_id]
        assert figures.service_time.p80 == pytest.approx(drawn_p80(slug), rel=0.05), slug
        minutes = rows.service_minutes[rows.service_id == service_id]
        plain_mean = float(np.nanmean(minutes))  # every time, the forgotten visits too
        if len(minutes) >= 400:
            # 4.5 % of visits were forgotten: a service of a hundred visits
            # has a few, or by chance hardly any whose minutes count, and
            # its plain mean may move by less than 5 %.
            assert plain_mean != pytest.approx(drawn_mean(slug), rel=0.05), slug
        assert figures.service_time.left_out_count > 0


def _the_forecast_is_as_near_as_chance_allows_a_week_ahead(town_hall: Location) -> None:
    demand = forecast_visits(location=town_hall, today=LOADED_ON.date())
    assert demand is not None
    assert demand.history_end == date(2026, 1, 1)  # the last year with visits
    # Each of the history's last 8 weeks forecast from the days before it.
    forecast = demand.forecast
    assert forecast.backtest_days >= 8 * 5
    assert forecast.backtest_error is not None
    assert forecast.noise_floor is not None
    assert forecast.last_week_error is not None
    # The demo's days vary as citizens do: 50–100 a day are off their mean
    # by about a tenth even for a forecast that knows it. This one comes
    # near that (on 46 days chance may put it a little either side), and
    # beats "the same weekday last week", which carries last week's
    # chance along with this week's.
    assert 0.07 <= forecast.noise_floor <= 0.12
    assert forecast.backtest_error <= 1.2 * forecast.noise_floor
    assert forecast.backtest_error < forecast.last_week_error
