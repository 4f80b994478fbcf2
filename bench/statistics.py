"""Statistics and the annual report on the demo years, on PostgreSQL
(`make bench`).

S7  the statistics page for a year at one location (computed, and kept
    for a closed year), and the annual report as HTML, XLSX and PDF, over
    the demo history (24,654 visits and 103,972 calls in the report's
    year): the median and the 95th percentile of repeated requests, and
    the ratio to the ceiling, a bare Django view answering JSON, requested
    the same way in the same run.
S8  the same with 20 municipalities' years in the database instead of one
    (19 copies of the demo year under other municipalities): the figures
    of one municipality should cost the same.

Results are printed and written to bench/results/statistics.json.
"""

import json
import os
import statistics
import time
from datetime import date, datetime

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup()

from django.core.cache import cache
from django.db import connection
from django.test import Client

from bench.booking import RESULTS, prepare_database
from skranke.accounts.models import Role, User
from skranke.core import clock
from skranke.core.models import Location, Municipality
from skranke.demo.contact_year import load_contact_history
from skranke.demo.data import TOWN_HALL
from skranke.demo.loading import load_demo_data
from skranke.demo.visit_history import load_visit_history
from skranke.queueing.models import Visit

OTHERS = 19
# The demo is loaded as of New Year 2026: its history is 2024 and 2025.
LOADED_ON = datetime(2026, 1, 2, 8, 0, tzinfo=clock.LOCAL_ZONE)
YEAR = 2025
PAGE = f"/personale/statistik/?periode=year&dato={YEAR}-06-01&sted={{place}}"
PAGES = {
    # Computed: nothing kept (the first request for the year, or the first
    # after its data changed). Kept: the figures of the closed year, kept
    # under their fingerprint (stats/kept_figures.py).
    "statistics_page_computed": (PAGE, 21),
    "statistics_page": (PAGE, 21),
    "report_html": (f"/personale/statistik/aarsrapport/{YEAR}/", 11),
    "report_xlsx": (f"/personale/statistik/aarsrapport/{YEAR}.xlsx", 5),
    "report_pdf": (f"/personale/statistik/aarsrapport/{YEAR}.pdf", 3),
}


def timed(client: Client, url: str, runs: int, *, forget: bool = False) -> list[float]:
    times = []
    for _ in range(runs):
        if forget:
            cache.clear()
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return times


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def load_demo_years() -> Municipality:
    clock.set_now(LOADED_ON)
    municipality = load_demo_data(now=LOADED_ON)
    started = time.perf_counter()
    town_hall = Location.objects.get(slug=TOWN_HALL.slug)
    if load_visit_history(location=town_hall, today=LOADED_ON.date()):
        print(f"visits loaded in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    if load_contact_history(municipality=municipality, today=LOADED_ON.date()):
        print(f"calls loaded in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        # As autovacuum would have done on a running installation: without
        # it, a freshly loaded table is read ~20 % slower (hint bits, no
        # visibility map, no statistics).
        cursor.execute("VACUUM ANALYZE")
    return municipality


def copy_to_other_municipalities(source: Municipality) -> None:
    """19 more municipalities, each with a copy of the demo's report year:
    visits, bookings, calls and contacts (in bulk, by SQL)."""
    town_hall = Location.objects.get(slug=TOWN_HALL.slug)
    for number in range(1, OTHERS + 1):
        municipality, made = Municipality.objects.get_or_create(
            slug=f"bench-kommune-{number}", defaults={"name": f"Bench kommune {number}"}
        )
        if not made:
            continue
        place = Location.objects.create(
            municipality=municipality,
            name=f"Borgerservice {number}",
            slug=f"bench-sted-{number}",
            address="Benchvej 1",
        )
        letter = chr(ord("A") + number)
        with connection.cursor() as cursor:
            cursor.execute(
                """INSERT INTO queueing_visit (location_id, service_id, day, ticket_letter,
                   ticket_number, status, outcome, arrived_at, called_at, started_at, ended_at,
                   desk_id, not_ended_by_staff, times_wrong, expected_wait_minutes)
                   SELECT %s, service_id, day, ticket_letter, ticket_number, status, outcome,
                   arrived_at, called_at, started_at, ended_at, NULL, not_ended_by_staff,
                   times_wrong, expected_wait_minutes FROM queueing_visit
                   WHERE location_id = %s AND day >= %s AND day < %s""",
                [place.pk, town_hall.pk, date(YEAR, 1, 1), date(YEAR + 1, 1, 1)],
            )
            cursor.execute(
                """INSERT INTO booking_booking (code, token, location_id, service_id, desk_id,
                   start, "end", status, name, phone, email, language, channel, sms_consent,
                   survey_consent, note, squeezed_in, created_at, sequence, moves)
                   SELECT 'Q' || %s || substr(code, 3), token, %s, service_id, NULL, start,
                   "end", status, name, phone, email, language, channel, sms_consent,
                   survey_consent, note, squeezed_in, created_at, sequence, moves
                   FROM booking_booking WHERE location_id = %s AND code LIKE 'X25%%'""",
                [letter, place.pk, town_hall.pk],
            )
            cursor.execute(
                """INSERT INTO contact_call (municipality_id, call_id, queue, offered_at,
                   answered_at, ended_at, abandoned, agent, created_at)
                   SELECT %s, call_id, queue, offered_at, answered_at, ended_at, abandoned, agent,
                   created_at FROM contact_call WHERE municipality_id = %s""",
                [municipality.pk, source.pk],
            )
            cursor.execute(
                """INSERT INTO contact_contact (municipality_id, location_id, channel, topic_id,
                   outcome, at, agent_id, booking_id, note, kind)
                   SELECT %s, NULL, channel, topic_id, outcome, at, NULL, NULL, note, kind
                   FROM contact_contact WHERE municipality_id = %s""",
                [municipality.pk, source.pk],
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(
    client: Client,
    place: Location,
    ceiling: float,
    pages: dict[str, tuple[str, int]] = PAGES,
) -> dict[str, object]:
    """Each page's median and p95 over its runs, and the ceiling's ratio."""
    figures: dict[str, object] = {}
    for name, (url, runs) in pages.items():
        times = timed(client, url.format(place=place.pk), runs, forget=name.endswith("_computed"))
        median = statistics.median(times)
        figures[name] = {
            "median_ms": round(median * 1000, 1),
            "p95_ms": round(p95(times) * 1000, 1),
            "ratio": round(ceiling / median, 6),
            "runs": runs,
        }
        print(f"  {name}: median {median * 1000:.0f} ms, p95 {p95(times) * 1000:.0f} ms")
    return figures


def main() -> None:
    prepare_database()
    municipality = load_demo_years()
    place = Location.objects.get(slug=TOWN_HALL.slug)
    manager, _ = User.objects.get_or_create(
        username="bench-statistik",
        defaults={"municipality": municipality, "role": Role.ADMINISTRATOR},
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(manager)
    ceiling = statistics.median(timed(client, "/bench/json", 21))
    visits = Visit.objects.filter(location=place, day__year=YEAR).count()
    print(f"\nS7 statistics (PostgreSQL, {visits} visits in {YEAR}, one municipality)")
    print(f"  ceiling (JSON, no database): {ceiling * 1000:.2f} ms")
    alone = measure(client, place, ceiling)
    copy_to_other_municipalities(municipality)
    municipalities = Municipality.objects.count()
    print(f"\nS8 the same with {municipalities} municipalities' years in the database")
    crowded = measure(client, place, ceiling)
    result = {
        "visits_in_year": visits,
        "ceiling_ms": round(ceiling * 1000, 3),
        "one_municipality": alone,
        "municipalities": municipalities,
        "many_municipalities": crowded,
        "cost_with_many_over_one": {
            name: round(
                crowded[name]["median_ms"] / alone[name]["median_ms"],  # type: ignore[index]
                3,
            )
            for name in PAGES
        },
    }
    print("  with many / alone:", result["cost_with_many_over_one"])
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "statistics.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
