"""How 30 days of availability grows with the bookings in them (#34: within
1 ms per 1,000 bookings, on SQLite and on PostgreSQL).

The booking bench's centre (10 desks, Monday-Friday 8-17 and Saturday
10-13, three services), filled to 0, 25, 50, 75 and 95 % for 60 days; at
each level, `find_slots` for the 20-minute service over the next 30 days,
the median of 20 runs after 3 warm-ups. The floor, in the same run: the
same bookings' ids read with a bare cursor (`SELECT desk_id, id`, nothing
converted, nothing grouped), which grows with the rows as any read must.
The slopes are least-squares lines through the five levels, in ms per
1,000 bookings inside the 30 days.

    .venv/bin/python -m bench.availability_growth --database sqlite
    .venv/bin/python -m bench.availability_growth --database postgres
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

PARSER = argparse.ArgumentParser(description=__doc__.splitlines()[0])
PARSER.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
ARGUMENTS = PARSER.parse_args()
if ARGUMENTS.database == "sqlite":
    os.environ["DATABASE_URL"] = (
        f"sqlite:///{Path(tempfile.mkdtemp(prefix='availability-')) / 'bench.sqlite3'}"
    )

from django.core.management import call_command

from bench.booking import build_centre, fill, prepare_database
from skranke.booking.availability import Policy, find_slots
from skranke.booking.models import Booking
from skranke.core import clock
from skranke.database.sql import fetch_rows

RESULTS = Path(__file__).resolve().parent / "results"
SHARES = (0.0, 0.25, 0.5, 0.75, 0.95)
RUNS = 20
WARM_UP = 3
DAYS = 30


def median_ms(work: object) -> float:
    durations = []
    for run in range(RUNS + WARM_UP):
        started = time.perf_counter()
        work()  # type: ignore[operator]
        if run >= WARM_UP:
            durations.append((time.perf_counter() - started) * 1000)
    return statistics.median(durations)


def slope_per_thousand(points: list[tuple[int, float]]) -> float:
    xs = [bookings / 1000 for bookings, _ in points]
    ys = [ms for _, ms in points]
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread


def main() -> None:
    if ARGUMENTS.database == "postgres":
        prepare_database()
    else:
        call_command("migrate", verbosity=0)
    location, service = build_centre()
    first_day = clock.today()
    last_day = first_day + timedelta(days=DAYS - 1)
    window_start = datetime.combine(first_day, clock_time(0), tzinfo=clock.LOCAL_ZONE)
    window_end = window_start + timedelta(days=DAYS)
    bare_sql = (
        f"SELECT desk_id, id FROM {Booking._meta.db_table}"  # noqa: S608
        " WHERE location_id = %s AND desk_id IS NOT NULL AND start >= %s AND start < %s"
    )
    levels = []
    for share in SHARES:
        fill(location, service, share)  # ANALYZE after: both databases know it
        in_window = Booking.objects.filter(
            location=location, start__gte=window_start, start__lt=window_end
        ).count()

        def availability() -> None:
            find_slots(
                location=location,
                service=service,
                first_day=first_day,
                last_day=last_day,
                policy=Policy.for_citizens(location),
            )

        def bare_read() -> None:
            fetch_rows(
                bare_sql, [location.pk, window_start.astimezone(UTC), window_end.astimezone(UTC)]
            )

        levels.append(
            {
                "booked_share": share,
                "bookings_in_window": in_window,
                "availability_ms": round(median_ms(availability), 2),
                "bare_read_ms": round(median_ms(bare_read), 2),
            }
        )
        print(json.dumps(levels[-1]), flush=True)
    growth = slope_per_thousand(
        [(level["bookings_in_window"], level["availability_ms"]) for level in levels]  # type: ignore[misc]
    )
    ceiling = slope_per_thousand(
        [(level["bookings_in_window"], level["bare_read_ms"]) for level in levels]  # type: ignore[misc]
    )
    result = {
        "database": ARGUMENTS.database,
        "python": sys.version.split()[0],
        "levels": levels,
        "availability_ms_per_1000_bookings": round(growth, 2),
        "bare_read_ms_per_1000_bookings": round(ceiling, 2),
        "target_ms_per_1000_bookings": 1.0,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"availability_growth_{ARGUMENTS.database}.json").write_text(
        json.dumps(result, indent=2)
    )
    print(json.dumps({k: v for k, v in result.items() if k != "levels"}, indent=2))


if __name__ == "__main__":
    main()
