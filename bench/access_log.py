"""The staff access log's cost, on PostgreSQL (`make bench`).

S11  a staff member opens a booking's page (one row written) and the day's
     list of 40 bookings (40 rows, one INSERT), each with the log and with
     record_access patched out, requested in turn in the same run: the
     median of each, and the ratio with/without. The ceiling, a bare
     Django view answering JSON, is measured in the same run as well.

Results are printed and written to bench/results/access_log.json.
"""

import json
import os
import statistics
import time
from contextlib import AbstractContextManager, nullcontext
from datetime import datetime
from datetime import time as clock_time
from unittest import mock

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup()

from django.test import Client

from bench.booking import RESULTS, prepare_database
from skranke.access_log.models import AccessRecord
from skranke.accounts.models import Role, User
from skranke.booking.availability import Policy
from skranke.booking.booking import book_appointment
from skranke.booking.details import CitizenDetails
from skranke.booking.models import Booking
from skranke.booking.views import staff as staff_views
from skranke.core import clock
from skranke.core.models import Desk, DeskShift, Location, Municipality, OpeningHours, Service

RUNS = 101
DAY = datetime(2027, 3, 1, 8, 0, tzinfo=clock.LOCAL_ZONE)  # a Monday
BOOKINGS = 40


def build_day() -> tuple[User, Booking]:
    """A location with four desks and 40 bookings on one Monday, and the
    front-desk member who looks at them."""
    municipality, _ = Municipality.objects.get_or_create(
        slug="bench-adgangslog", defaults={"name": "Bench adgangslog"}
    )
    place, made = Location.objects.get_or_create(
        slug="bench-adgangslog",
        defaults={"municipality": municipality, "name": "Adgangslog", "address": "Benchvej 2"},
    )
    if made:
        service = Service.objects.create(
            municipality=municipality, slug="bench-adgangslog", name_da="Pas", duration_minutes=30
        )
        service.locations.add(place)
        OpeningHours.objects.create(
            location=place, weekday=0, opens=clock_time(8), closes=clock_time(13)
        )
        for number in range(4):
            desk = Desk.objects.create(location=place, name=str(number + 1))
            shift = DeskShift.objects.create(
                desk=desk, weekday=0, starts=clock_time(8), ends=clock_time(13)
            )
            shift.services.set([service])
        for number in range(BOOKINGS):
            book_appointment(
                location=place,
                service=service,
                start=DAY.replace(hour=8 + number // 8, minute=30 * (number // 4 % 2)),
                citizen=CitizenDetails(name=f"Borger {number}", phone=f"+45{30000000 + number}"),
                channel=Booking.Channel.PHONE,
                policy=Policy.for_staff(place),
            )
    staff, made = User.objects.get_or_create(
        username="bench-adgangslog",
        defaults={"municipality": municipality, "role": Role.FRONT_DESK},
    )
    staff.locations.set([place])
    return staff, Booking.objects.filter(location=place).order_by("start").first()  # type: ignore[return-value]


def without_log() -> AbstractContextManager[object]:
    """The staff views with record_access doing nothing."""
    return mock.patch.object(staff_views, "record_access", return_value=0)


def timed_pair(client: Client, url: str) -> tuple[list[float], list[float]]:
    """Times of `url` with the log and without, requested in turn so that
    the machine's noise falls on both alike."""
    with_log: list[float] = []
    without: list[float] = []
    for run in range(RUNS * 2):
        logged = run % 2 == 0
        with nullcontext() if logged else without_log():
            started = time.perf_counter()
            response = client.get(url)
            (with_log if logged else without).append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return with_log, without


def main() -> None:
    prepare_database()
    clock.set_now(DAY.replace(hour=7))
    staff, booking = build_day()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(staff)
    ceiling = []
    for _ in range(RUNS):
        started = time.perf_counter()
        client.get("/bench/json")
        ceiling.append(time.perf_counter() - started)
    ceiling_ms = statistics.median(ceiling) * 1000
    print("\nS11 the staff access log (PostgreSQL)")
    print(f"  ceiling (JSON, no database): {ceiling_ms:.2f} ms")
    print(f"  {'page':<28} {'with log':>10} {'without':>10} {'ratio':>7} {'/ceiling':>9}")
    result: dict[str, object] = {"ceiling_ms": round(ceiling_ms, 3)}
    pages = {
        "booking_page": f"/personale/tider/{booking.code}/",
        "day_list_40": f"/personale/tider/dag/?dag={DAY:%Y-%m-%d}",
    }
    before = AccessRecord.objects.count()
    for name, url in pages.items():
        with_log, without = timed_pair(client, url)
        logged_ms = statistics.median(with_log) * 1000
        bare_ms = statistics.median(without) * 1000
        ratio = logged_ms / bare_ms
        print(
            f"  {name:<28} {logged_ms:>8.2f}ms {bare_ms:>8.2f}ms {ratio:>7.3f}"
            f" {logged_ms / ceiling_ms:>9.1f}"
        )
        result[name] = {
            "with_log_ms": round(logged_ms, 3),
            "without_log_ms": round(bare_ms, 3),
            "ratio_with_to_without": round(ratio, 3),
            "ratio_to_ceiling": round(logged_ms / ceiling_ms, 2),
        }
    written = AccessRecord.objects.count() - before
    print(f"  rows written: {written} ({RUNS} booking pages + {RUNS} x {BOOKINGS} day-list rows)")
    result["rows_written"] = written
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "access_log.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
