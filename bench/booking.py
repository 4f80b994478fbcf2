"""Booking benchmarks, on PostgreSQL (`make bench`).

S1  availability for 30 days at 0 %, 50 % and 95 % booked: p50, p95 and
    the number of SQL queries, which must not grow with the bookings.
S2  contention: 64 clients book one time with 10 free desks, five rounds:
    exactly 10 succeed every round.
S3  booking throughput over HTTP (gunicorn, 2 workers, a half-booked
    centre) as a ratio to the ceiling: a bare Django view doing one INSERT,
    measured in the same run.

A location with 10 desks, open Monday-Friday 8-17 and Saturday 10-13, and
a 60-day horizon. Absolute times on a shared 2-core machine are noise;
compare the ratios. Results are printed and written to bench/results/.
"""

import json
import os
import random
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup()

import psycopg
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.server import gunicorn
from skranke.booking.availability import Policy, find_slots
from skranke.booking.booking import book_appointment
from skranke.booking.details import CitizenDetails
from skranke.booking.errors import SlotTaken
from skranke.booking.models import Booking, BookingRequest
from skranke.core import clock
from skranke.core.models import (
    Desk,
    DeskShift,
    Location,
    Municipality,
    OpeningHours,
    Service,
)
from skranke.queueing.models import Visit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DESKS = 10
WEEK = {weekday: (clock_time(8), clock_time(17)) for weekday in range(5)} | {
    5: (clock_time(10), clock_time(13))
}
S1_RUNS = 30
S2_CLIENTS = 64
S2_ROUNDS = 5
S3_CLIENTS = 8
S3_REQUESTS = 600
S3_ROUNDS = 4


def prepare_database() -> None:
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        sys.exit("The benchmarks run on PostgreSQL: set DATABASE_URL=postgres://…")
    admin = psycopg.connect(
        host=database["HOST"],
        port=database["PORT"] or 5432,
        user=database["USER"],
        password=database["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database["NAME"]])
    if exists.fetchone() is None:
        admin.execute(f'CREATE DATABASE "{database["NAME"]}"')
    admin.close()
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_ceiling"
            " (id bigserial PRIMARY KEY, made_at timestamptz)"
        )


def build_centre() -> tuple[Location, Service]:
    # The display benchmark's visits first: they keep their location.
    Visit.objects.filter(location__slug="bench").delete()
    Booking.objects.filter(location__slug="bench").delete()
    BookingRequest.objects.filter(booking__location__slug="bench").delete()
    Location.objects.filter(slug="bench").delete()
    Service.objects.filter(municipality__slug="bench").delete()
    municipality, _ = Municipality.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
    location = Location.objects.create(
        municipality=municipality, name="Bench", slug="bench", address="Benchvej 1"
    )
    services = [
        Service.objects.create(
            municipality=municipality,
            slug=f"s{minutes}",
            name_da=f"S{minutes}",
            duration_minutes=minutes,
        )
        for minutes in (10, 20, 30)
    ]
    for service in services:
        service.locations.add(location)
    for weekday, (opens, closes) in WEEK.items():
        OpeningHours.objects.create(location=location, weekday=weekday, opens=opens, closes=closes)
    for number in range(DESKS):
        desk = Desk.objects.create(location=location, name=str(number + 1))
        for weekday, (opens, closes) in WEEK.items():
            shift = DeskShift.objects.create(desk=desk, weekday=weekday, starts=opens, ends=closes)
            shift.services.set(services)
    return Location.objects.select_related("municipality").get(pk=location.pk), services[1]


def fill(location: Location, service: Service, share: float) -> int:
    """Book `share` of every desk's time for the next 60 days, in
    20-minute bookings laid back to back (written directly: this is set-up)."""
    Booking.objects.filter(location=location).delete()
    if share == 0:
        return 0
    rng = random.Random(42)
    rows = []
    today = clock.today()
    desks = list(location.desks.order_by("pk"))
    for offset in range(61):
        day = today + timedelta(days=offset)
        if day.weekday() not in WEEK:
            continue
        opens, closes = WEEK[day.weekday()]
        for desk in desks:
            start = datetime.combine(day, opens, tzinfo=clock.LOCAL_ZONE)
            end_of_day = datetime.combine(day, closes, tzinfo=clock.LOCAL_ZONE)
            while start + timedelta(minutes=20) <= end_of_day:
                if rng.random() < share:
                    rows.append(
                        Booking(
                            code=f"B{len(rows):07d}",
                            token="bench",
                            location=location,
                            service=service,
                            desk=desk,
                            start=start,
                            end=start + timedelta(minutes=20),
                            name="Bench",
                            phone=f"+4530{len(rows):06d}",
                            language="da",
                            channel="web",
                        )
                    )
                start += timedelta(minutes=20)
    Booking.objects.bulk_create(rows, batch_size=2000)
    analyze()
    return len(rows)


def analyze() -> None:
    """Fresh planner statistics after a bulk change, as autovacuum would
    give a real installation shortly after."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE booking_booking")


def s1_availability(location: Location, service: Service) -> list[dict[str, object]]:
    results = []
    for share in (0.0, 0.5, 0.95):
        booked = fill(location, service, share)
        durations = []
        queries = 0
        for run in range(S1_RUNS + 3):
            fresh = Location.objects.select_related("municipality").get(pk=location.pk)
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                find_slots(
                    location=fresh,
                    service=service,
                    first_day=clock.today(),
                    last_day=clock.today() + timedelta(days=29),
                    policy=Policy.for_citizens(fresh),
                )
            if run >= 3:  # warm-up runs are not counted
                durations.append((time.perf_counter() - started) * 1000)
                queries = len(captured)
        durations.sort()
        results.append(
            {
                "booked_share": share,
                "bookings": booked,
                "p50_ms": round(statistics.median(durations), 1),
                "p95_ms": round(durations[int(len(durations) * 0.95) - 1], 1),
                "queries": queries,
            }
        )
    return results


def s2_contention(location: Location, service: Service) -> list[dict[str, int]]:
    fill(location, service, 0.0)
    rounds = []
    day = clock.today() + timedelta(days=3)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    policy = Policy.for_citizens(location)
    for number in range(S2_ROUNDS):
        start = datetime.combine(day, clock_time(9), tzinfo=clock.LOCAL_ZONE) + timedelta(
            minutes=20 * number
        )
        barrier = threading.Barrier(S2_CLIENTS)

        def attempt(
            client: int,
            start: datetime = start,
            barrier: threading.Barrier = barrier,
            number: int = number,
        ) -> str:
            connection.ensure_connection()
            barrier.wait()
            try:
                book_appointment(
                    location=location,
                    service=service,
                    start=start,
                    citizen=CitizenDetails(name="Bench", phone=f"+4540{number:02d}{client:04d}"),
                    channel=Booking.Channel.WEB,
                    policy=policy,
                )
                return "booked"
            except SlotTaken:
                return "taken"
            finally:
                connection.close()

        with ThreadPoolExecutor(max_workers=S2_CLIENTS) as pool:
            outcomes = list(pool.map(attempt, range(S2_CLIENTS)))
        rounds.append(
            {
                "clients": S2_CLIENTS,
                "capacity": DESKS,
                "booked": outcomes.count("booked"),
                "taken": outcomes.count("taken"),
                "errors": S2_CLIENTS - outcomes.count("booked") - outcomes.count("taken"),
            }
        )
    return rounds


def post(url: str, body: bytes) -> int:
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def load(url: str, bodies: list[bytes]) -> tuple[float, dict[int, int]]:
    """Send the bodies from S3_CLIENTS threads; requests per second and the
    count of each status."""
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=S3_CLIENTS) as pool:
        statuses = list(pool.map(lambda body: post(url, body), bodies))
    elapsed = time.perf_counter() - started
    counts = {status: statuses.count(status) for status in set(statuses)}
    return counts.get(201, 0) / elapsed, counts


def s3_throughput(location: Location, service: Service) -> dict[str, object]:
    # A centre half booked, as in the middle of a season, and settled as
    # autovacuum would leave it.
    fill(location, service, 0.5)
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {Booking._meta.db_table}")
    slots = find_slots(
        location=location,
        service=service,
        first_day=clock.today() + timedelta(days=1),
        last_day=clock.today() + timedelta(days=59),
        policy=Policy.for_citizens(location),
    )
    bodies = [
        json.dumps(
            {
                "location": "bench",
                "service": service.slug,
                "start": slot.local_start.isoformat(),
                "name": "Bench Borger",
                "phone": f"+4528{index:06d}",
                "sms_consent": True,
            }
        ).encode()
        for index, slot in enumerate(slot for slot in slots for _ in range(slot.capacity))
    ]
    # Citizens book different days and times, not one time in a queue.
    random.Random(7).shuffle(bodies)
    with gunicorn() as base:
        ceiling_runs, booking_runs, statuses = [], [], {}
        # Alternate, so that drift on a shared machine (other work, the
        # disk, autovacuum) hits both alike; the medians are compared.
        for round_number in range(S3_ROUNDS):
            ceiling, _ = load(base + "/bench/insert", [b"{}"] * S3_REQUESTS)
            chunk = bodies[round_number * S3_REQUESTS : (round_number + 1) * S3_REQUESTS]
            booking, statuses = load(base + "/api/v1/bookings", chunk)
            ceiling_runs.append(ceiling)
            booking_runs.append(booking)
    ceiling_rps = statistics.median(ceiling_runs)
    booking_rps = statistics.median(booking_runs)
    return {
        "workers": 2,
        "clients": S3_CLIENTS,
        "requests_per_phase": S3_REQUESTS,
        "rounds": S3_ROUNDS,
        "ceiling_rps": round(ceiling_rps, 1),
        "booking_rps": round(booking_rps, 1),
        "ratio": round(booking_rps / ceiling_rps, 2),
        "booking_statuses_last_round": statuses,
    }


def main() -> None:
    prepare_database()
    location, service = build_centre()
    s1 = s1_availability(location, service)
    s2 = s2_contention(location, service)
    s3 = s3_throughput(location, service)
    print("\nS1 availability, 30 days, 10 desks")
    print(f"{'booked':>8} {'bookings':>9} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for row in s1:
        print(
            f"{row['booked_share']:>8.0%} {row['bookings']:>9} {row['p50_ms']:>8} "
            f"{row['p95_ms']:>8} {row['queries']:>8}"
        )
    print(f"\nS2 contention: {S2_CLIENTS} clients, capacity {DESKS}")
    for number, row in enumerate(s2, start=1):
        booked, taken, errors = row["booked"], row["taken"], row["errors"]
        print(f"  round {number}: booked {booked}, taken {taken}, errors {errors}")
    print("\nS3 throughput over HTTP (gunicorn, 2 workers)")
    print(f"  ceiling (one INSERT): {s3['ceiling_rps']} req/s")
    print(f"  booking (POST /api/v1/bookings): {s3['booking_rps']} req/s")
    print(f"  ratio: {s3['ratio']}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "booking.json").write_text(json.dumps({"s1": s1, "s2": s2, "s3": s3}, indent=2))
    failed = [row for row in s2 if row["booked"] != DESKS or row["errors"]]
    if failed:
        sys.exit("S2 failed: a round booked other than the capacity")


if __name__ == "__main__":
    main()
