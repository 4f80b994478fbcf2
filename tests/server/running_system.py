"""`manage.py runsystem` (what `make run` starts) as tests start it: a demo
database of its own, SQLite or PostgreSQL, and the real processes serving
it, stopped again whatever happens."""

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import psycopg
from django.db import connection

from tests.demo.test_runsystem import children_of, free_port

ROOT = Path(__file__).resolve().parents[2]
MANAGE = [sys.executable, "manage.py"]
# The training clock every system here runs on: Tuesday 1 December 2026.
CLOCK_START = "2026-12-01T09:00"


class System:
    def __init__(self, process: subprocess.Popen[str], port: int, log: Path) -> None:
        self.process = process
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.log = log

    def get(self, path: str, *, timeout: float = 30) -> tuple[int, dict[str, str], bytes]:
        return request(f"{self.base}{path}", timeout=timeout)

    def children(self) -> dict[int, str]:
        return children_of(self.process.pid)

    def worker_pid(self) -> int | None:
        return next((pid for pid, args in self.children().items() if "run_worker" in args), None)


def request(
    url: str, *, body: object = None, timeout: float = 30
) -> tuple[int, dict[str, str], bytes]:
    data = None if body is None else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"} if data else {}
    message = urllib.request.Request(url, data=data, headers=headers)  # noqa: S310 - localhost
    try:
        with urllib.request.urlopen(message, timeout=timeout) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def wait_until(condition: Callable[[], object], *, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError
        time.sleep(0.2)


def answers(system: System) -> bool:
    try:
        return system.get("/", timeout=5)[0] == 200
    except OSError:
        return False


def system_environment(*, database_url: str, **settings: str) -> dict[str, str]:
    """The environment of a system on `database_url` and the training clock,
    with `settings` (WEB_PROCESSES=…) on top."""
    return {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DATABASE_URL": database_url,
        "SKRANKE_CLOCK_START": CLOCK_START,
        # Every client here comes from 127.0.0.1: the limits per address
        # (skranke/rate_limits) stand aside unless a test sets them.
        "RATE_LIMIT_BOOKINGS_PER_ADDRESS_PER_HOUR": "1000000",
        "RATE_LIMIT_ANONYMOUS_API_PER_ADDRESS_PER_MINUTE": "1000000",
        # … and so does the challenge against hoarding (skranke/challenge).
        "CHALLENGE_AFTER_BOOKINGS_PER_ADDRESS_PER_HOUR": "1000000",
        "CHALLENGE_AFTER_BOOKINGS_PER_HOUR": "1000000",
        "ATTACK_AFTER_BOOKINGS_PER_HOUR": "1000000",
        **settings,
    }


def load_demo(environment: dict[str, str]) -> None:
    """Migrate the system's database and load the demo municipality, as
    `make run` does."""
    subprocess.run([*MANAGE, "migrate", "-v", "0"], cwd=ROOT, env=environment, check=True)
    subprocess.run(
        [*MANAGE, "load_demo"], cwd=ROOT, env=environment, check=True, capture_output=True
    )


def launch_system(*, environment: dict[str, str], log: Path) -> System:
    """`manage.py runsystem` on a free port, starting (see until_answering)."""
    port = free_port()
    with log.open("w") as output:
        process = subprocess.Popen(
            [*MANAGE, "runsystem", "--port", str(port)],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
        )
    return System(process, port, log)


def until_answering(system: System) -> None:
    process = system.process
    wait_until(lambda: answers(system) or process.poll() is not None, seconds=60)
    assert process.poll() is None, system.log.read_text()


def stop_systems(systems: Sequence[System]) -> None:
    """SIGTERM to all at once, as an operator stops them; any still running
    after the grace period is killed. A worker a test paused is let go on
    first, or it could not stop."""
    running = [system for system in systems if system.process.poll() is None]
    for system in running:
        worker = system.worker_pid()
        if worker is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker, signal.SIGCONT)
        system.process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 30
    for system in running:
        try:
            system.process.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            system.process.kill()
            system.process.wait(timeout=10)


@contextlib.contextmanager
def running_systems(
    *, environments: Sequence[dict[str, str]], folder: Path
) -> Iterator[list[System]]:
    """One runsystem for each environment (their databases ready), started
    side by side, each answering, and all stopped at the end."""
    systems: list[System] = []
    try:
        for number, environment in enumerate(environments):
            log = folder / f"system{number}.log"
            systems.append(launch_system(environment=environment, log=log))
        for system in systems:
            until_answering(system)
        yield systems
    finally:
        stop_systems(systems)


def postgresql_url(name: str) -> str:
    """A URL for database `name` on the PostgreSQL server the suite runs on."""
    database = connection.settings_dict
    user = urllib.parse.quote(database["USER"] or "postgres")
    password = database["PASSWORD"]
    login = f"{user}:{urllib.parse.quote(password)}" if password else user
    return f"postgres://{login}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{name}"


def own_postgresql_name(suffix: str) -> str:
    """A database name of a test's own, beside the one pytest-django uses
    (test_<name>), so that the two never meet."""
    return f"{connection.settings_dict['NAME'].removeprefix('test_')}_{suffix}"[:63]


@contextlib.contextmanager
def fresh_postgresql_database(name: str) -> Iterator[str]:
    """An empty database `name` (one left by an earlier run is dropped
    first); its URL. Dropped at the end."""
    database = connection.settings_dict

    def administer(statement: str) -> None:
        with psycopg.connect(
            dbname="postgres",
            host=database["HOST"] or "127.0.0.1",
            port=database["PORT"] or 5432,
            user=database["USER"] or "postgres",
            password=database["PASSWORD"] or None,
            autocommit=True,
        ) as admin:
            admin.execute(statement)

    # FORCE: a crashed earlier run may have left connections behind.
    administer(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    administer(f'CREATE DATABASE "{name}"')
    try:
        yield postgresql_url(name)
    finally:
        administer(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def own_database(*, vendor: str, folder: Path, suffix: str) -> Iterator[str]:
    """The URL of an empty database for a system of a test's own: a file in
    `folder` on SQLite; on PostgreSQL one named after the suite's with
    `suffix`, dropped at the end."""
    if vendor == "sqlite":
        yield f"sqlite:///{folder / 'system.sqlite3'}"
        return
    with fresh_postgresql_database(own_postgresql_name(suffix)) as url:
        yield url


def fetch_rows(database_url: str, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
    """Rows from a system's database, read the way an operator would: SQL
    (with %s placeholders), on a connection of its own."""
    if database_url.startswith("sqlite:///"):
        with contextlib.closing(sqlite3.connect(database_url.removeprefix("sqlite:///"))) as db:
            return db.execute(sql.replace("%s", "?"), params).fetchall()
    with psycopg.connect(database_url) as db:
        return db.execute(sql, params).fetchall()
