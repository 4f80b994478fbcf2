"""What the shared cache (REDIS_URL) saves: the statistics page's figures
for last year (`read_overview`, kept once worked out) as app processes
meet them.

Three processes of their own, one after another, on the demo's data:
the first works the year out and keeps it in Redis; the second, with the
same Redis, finds it there; the third, without Redis (each process keeping
its own, the default), works it out again. With gunicorn's six processes
on two cores, without Redis the year is worked out up to six times, once
in each process that meets it; with Redis, once.

    .venv/bin/python -m bench.shared_cache    # loads the demo into a temporary SQLite
"""

import json
import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
MEASURE = """
import time
from datetime import timedelta
from skranke.core import clock
from skranke.core.models import Location
from skranke.core.periods import period_containing
from skranke.stats.overview import read_overview
ids = list(Location.objects.values_list("pk", flat=True))
last_year = clock.today().replace(month=1, day=1) - timedelta(days=1)
period = period_containing(kind="year", day=last_year)
started = time.perf_counter()
read_overview(
    location_ids=ids, period=period, service_ids=None, group_by="service", on_time_minutes=5
)
print(round((time.perf_counter() - started) * 1000, 1))
"""


def run(environment: dict[str, str], *command: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="shared-cache-"))
    base = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'demo.sqlite3'}",
    }
    base.pop("REDIS_URL", None)
    run(base, "migrate", "--noinput", "-v", "0")
    run(base, "load_demo")
    shared = base | {"REDIS_URL": REDIS_URL, "REDIS_KEY_PREFIX": f"bench-{uuid.uuid4().hex}"}
    result = {
        "first process, works the year out (ms)": float(run(shared, "shell", "-c", MEASURE)),
        "second process, finds it in Redis (ms)": float(run(shared, "shell", "-c", MEASURE)),
        "a process without Redis, works it out again (ms)": float(
            run(base, "shell", "-c", MEASURE)
        ),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "shared_cache.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
