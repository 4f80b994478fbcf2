"""Call-record import benchmark (`make bench`), on PostgreSQL or SQLite,
whichever DATABASE_URL names.

S5  a phone system's CSV file of 100,000 calls (Danish times without an
    offset, ; as delimiter, the vendor's own column names, 10 % abandoned)
    imported through import_call_records: parsed, checked, looked up and
    written in batches of 1,000. Against the ceiling measured in the same
    run: a bare bulk_create of the same 100,000 Call rows, already parsed,
    in the same batches. And the same file imported again, when every
    call is already there.

Three alternating rounds on an emptied (and, on PostgreSQL, vacuumed)
table; medians. Results are printed and written to
bench/results/call_import_<database>.json.
"""

import json
import os
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup()

from django.core.management import call_command
from django.db import connection, transaction

from skranke.contact_centre.call_import import BATCH, import_call_records
from skranke.contact_centre.models import Call, CallRecordFormat
from skranke.core import clock
from skranke.core.models import Municipality

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
ROWS = 100_000
ROUNDS = 3
SEED = 20261207
HEADER = ["Opkalds-ID", "Kø", "Tilbudt", "Besvaret", "Afsluttet", "Opgivet", "Medarbejder"]
QUEUES = ["Folkeregister", "Pas og kørekort", "Sundhedskort", "Boligstøtte", "Opkrævning"]


def prepare() -> tuple[Municipality, CallRecordFormat]:
    if connection.vendor == "postgresql":
        from bench.booking import prepare_database  # creates the database when missing

        prepare_database()
    else:
        call_command("migrate", verbosity=0)
    municipality, _ = Municipality.objects.get_or_create(
        slug="bench-calls", defaults={"name": "Bench calls"}
    )
    fmt, _ = CallRecordFormat.objects.update_or_create(
        municipality=municipality,
        defaults={
            "delimiter": ";",
            "call_id_column": HEADER[0],
            "queue_column": HEADER[1],
            "offered_at_column": HEADER[2],
            "answered_at_column": HEADER[3],
            "ended_at_column": HEADER[4],
            "abandoned_column": HEADER[5],
            "agent_column": HEADER[6],
        },
    )
    return municipality, fmt


def generate_calls() -> list[tuple[str, str, datetime, datetime | None, datetime, bool, str]]:
    """100,000 calls over a year of working days, 8-16 Copenhagen time, the
    same every run."""
    rng = random.Random(SEED)
    calls = []
    day = datetime(2026, 1, 5, tzinfo=clock.LOCAL_ZONE)
    per_day = 420
    for number in range(ROWS):
        if number and number % per_day == 0:
            day += timedelta(days=3 if day.weekday() == 4 else 1)
        offered = day.replace(hour=8) + timedelta(seconds=rng.randrange(8 * 3600))
        abandoned = rng.random() < 0.10
        wait = timedelta(seconds=rng.randrange(1, 180))
        answered = None if abandoned else offered + wait
        ended = (answered or offered + wait) + timedelta(seconds=rng.randrange(20, 900))
        agent = "" if abandoned else f"agent{rng.randrange(40):02d}"
        calls.append(
            (f"{SEED}-{number:06d}", rng.choice(QUEUES), offered, answered, ended, abandoned, agent)
        )
    return calls


def danish(moment: datetime | None) -> str:
    return moment.astimezone(clock.LOCAL_ZONE).strftime("%d-%m-%Y %H:%M:%S") if moment else ""


def write_file(path: Path, calls: list) -> None:
    with path.open("w", encoding="utf-8", newline="") as file:
        file.write("\ufeff" + ";".join(HEADER) + "\r\n")
        for call_id, queue, offered, answered, ended, abandoned, agent in calls:
            fields = [call_id, queue, danish(offered), danish(answered), danish(ended)]
            file.write(";".join([*fields, "1" if abandoned else "0", agent]) + "\r\n")


def empty_table(municipality: Municipality) -> None:
    Call.objects.filter(municipality=municipality).delete()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE contact_call")


def bare_bulk_create(municipality: Municipality, calls: list) -> float:
    """The ceiling: the same rows, already parsed, written in the same batches."""
    started = time.perf_counter()
    now = clock.now()
    for start in range(0, len(calls), BATCH):
        rows = [
            Call(
                municipality=municipality,
                call_id=call_id,
                queue=queue,
                offered_at=offered.astimezone(UTC),
                answered_at=answered.astimezone(UTC) if answered else None,
                ended_at=ended.astimezone(UTC),
                abandoned=abandoned,
                agent=agent,
                created_at=now,
            )
            for call_id, queue, offered, answered, ended, abandoned, agent in calls[
                start : start + BATCH
            ]
        ]
        with transaction.atomic():
            Call.objects.bulk_create(rows)
    return time.perf_counter() - started


def timed_import(municipality: Municipality, fmt: CallRecordFormat, path: Path) -> tuple:
    started = time.perf_counter()
    with path.open("rb") as file:
        report = import_call_records(municipality=municipality, file=file, fmt=fmt)
    return time.perf_counter() - started, report


def main() -> None:
    municipality, fmt = prepare()
    calls = generate_calls()
    ceiling_runs, import_runs, again_runs = [], [], []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "calls.csv"
        write_file(path, calls)
        size = path.stat().st_size
        for _ in range(ROUNDS):
            empty_table(municipality)
            ceiling_runs.append(bare_bulk_create(municipality, calls))
            empty_table(municipality)
            seconds, report = timed_import(municipality, fmt, path)
            if (report.imported, report.error_count) != (ROWS, 0):
                raise SystemExit(f"The import went wrong: {report}")
            import_runs.append(seconds)
            seconds, report = timed_import(municipality, fmt, path)
            if report.already_there != ROWS:
                raise SystemExit(f"The second import went wrong: {report}")
            again_runs.append(seconds)
    empty_table(municipality)
    ceiling = statistics.median(ceiling_runs)
    imported = statistics.median(import_runs)
    again = statistics.median(again_runs)
    result = {
        "database": connection.vendor,
        "rows": ROWS,
        "file_bytes": size,
        "rounds": ROUNDS,
        "batch": BATCH,
        "ceiling_seconds": round(ceiling, 2),
        "ceiling_rows_per_second": round(ROWS / ceiling),
        "import_seconds": round(imported, 2),
        "import_rows_per_second": round(ROWS / imported),
        "ratio": round(ceiling / imported, 2),
        "import_again_seconds": round(again, 2),
        "import_again_rows_per_second": round(ROWS / again),
    }
    print(f"\nS5 call-record import, {ROWS:,} rows ({size / 1e6:.1f} MB), {connection.vendor}")
    print(f"  ceiling, bare bulk_create: {ceiling:.2f} s, {ROWS / ceiling:,.0f} rows/s")
    print(f"  import_call_records:       {imported:.2f} s, {ROWS / imported:,.0f} rows/s")
    print(f"  ratio:                     {result['ratio']}")
    print(f"  the same file again:       {again:.2f} s, {ROWS / again:,.0f} rows/s")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"call_import_{connection.vendor}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
