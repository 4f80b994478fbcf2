"""Database connections are bounded: on PostgreSQL each process takes them
from a pool of at most DATABASE_POOL_MAX_SIZE, however many clients come."""

import json
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from skranke.core.models import Location, Service
from tests.demo.test_runsystem import free_port
from tests.notifications.test_worker_restart import database_url
from tests.server.test_runsystem import request, wait_until

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = 30
POOL_SIZE = 2
APPLICATION = "skranke-pool-test"


def database_settings(environment: dict[str, str]) -> dict[str, Any]:
    """settings.DATABASES["default"] as a fresh process reads it."""
    output = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json; from skranke import settings;"
            "print(json.dumps(settings.DATABASES['default'], default=str))",
        ],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return dict(json.loads(output))


POSTGRESQL = "postgres://skranke@127.0.0.1:5432/skranke"


def test_postgresql_connections_come_from_a_bounded_pool_one_per_thread() -> None:
    database = database_settings({"DATABASE_URL": POSTGRESQL, "WEB_THREADS": "6"})
    assert database["OPTIONS"]["pool"] == {"min_size": 0, "max_size": 6, "timeout": 10}
    assert database["CONN_MAX_AGE"] == 0


def test_the_pool_size_can_be_set_apart_from_the_threads() -> None:
    database = database_settings({"DATABASE_URL": POSTGRESQL, "DATABASE_POOL_MAX_SIZE": "3"})
    assert database["OPTIONS"]["pool"]["max_size"] == 3


def test_sqlite_keeps_its_busy_timeout_and_needs_no_pool() -> None:
    database = database_settings({"DATABASE_URL": "sqlite:////tmp/skranke-pool-test.sqlite3"})
    assert database["OPTIONS"]["timeout"] == 20
    assert "pool" not in database["OPTIONS"]
    # One kept connection per app thread, checked before it is reused.
    assert database["CONN_MAX_AGE"] > 0
    assert database["CONN_HEALTH_CHECKS"] is True


@pytest.mark.django_db(transaction=True)
def test_thirty_clients_through_gunicorn_never_open_more_than_the_pool(
    centre: Location, passport: Service
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    port = free_port()
    environment = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DATABASE_URL": database_url(),
        "WEB_PROCESSES": "1",
        "WEB_THREADS": "8",
        "DATABASE_POOL_MAX_SIZE": str(POOL_SIZE),
        # libpq names every connection the system opens, to count them.
        "PGAPPNAME": APPLICATION,
    }
    system = subprocess.Popen(
        [sys.executable, "manage.py", "runsystem", "--port", str(port)],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    path = "/api/v1/availability?location=raadhus&service=pas&from=2026-12-07&to=2026-12-11"
    seen: list[int] = []
    loading = threading.Event()

    def count_connections() -> None:
        while not loading.is_set():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s",
                    [APPLICATION],
                )
                seen.append(cursor.fetchone()[0])
            time.sleep(0.02)
        connection.close()

    try:

        def up() -> bool:
            try:
                return request(f"{base}/api/v1/locations", timeout=5)[0] == 200
            except OSError:
                return False

        wait_until(up, seconds=60)
        counter = threading.Thread(target=count_connections)
        counter.start()
        with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
            statuses = list(
                pool.map(lambda _: request(f"{base}{path}", timeout=60)[0], range(CLIENTS * 3))
            )
        loading.set()
        counter.join()
    finally:
        loading.set()
        system.terminate()
        system.wait(timeout=40)
    assert statuses == [200] * CLIENTS * 3
    # The web's pool, and the worker's one connection.
    assert POOL_SIZE <= max(seen) <= POOL_SIZE + 1, seen


def app_server_size(environment: dict[str, str]) -> tuple[int, int]:
    """settings.WEB_PROCESSES and WEB_THREADS as a fresh process reads them."""
    output = subprocess.run(
        [
            sys.executable,
            "-c",
            "from skranke import settings; print(settings.WEB_PROCESSES, settings.WEB_THREADS)",
        ],
        cwd=ROOT,
        env={
            k: v
            for k, v in os.environ.items()
            if k not in ("DATABASE_URL", "WEB_PROCESSES", "WEB_THREADS")
        }
        | environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return int(output[0]), int(output[1])


def test_the_app_server_uses_processes_rather_than_threads() -> None:
    # Three processes a core (at most eight): threads of one process wait for
    # each other at Python's interpreter lock (docs/benchmarks.md).
    cores = len(os.sched_getaffinity(0))
    sqlite = {"DATABASE_URL": "sqlite:////tmp/skranke-pool-test.sqlite3"}
    assert app_server_size(sqlite) == (min(3 * cores, 8), 1)
    assert app_server_size({"DATABASE_URL": POSTGRESQL}) == (min(3 * cores, 8), 2)
    chosen = app_server_size(sqlite | {"WEB_PROCESSES": "3", "WEB_THREADS": "5"})
    assert chosen == (3, 5)
