"""`make run` is a real app server: `manage.py runsystem` serves with
gunicorn's threaded workers and static files, keeps the worker running when
it dies, makes concurrent writers on SQLite wait instead of failing, and
stops everything on SIGTERM. Real processes, no mocks."""

import json
import os
import signal
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.demo.test_runsystem import children_of, is_running
from tests.server.running_system import (
    System,
    load_demo,
    request,
    running_systems,
    system_environment,
    wait_until,
)

WRITERS = 30


@pytest.fixture(scope="module")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    folder = tmp_path_factory.mktemp("runsystem")
    environment = system_environment(
        database_url=f"sqlite:///{folder / 'system.sqlite3'}", WEB_PROCESSES="2", WEB_THREADS="4"
    )
    load_demo(environment)
    with running_systems(environments=[environment], folder=folder) as [running]:
        yield running


def test_it_serves_pages_and_static_files_with_gunicorns_threaded_workers(
    system: System,
) -> None:
    status, headers, page = system.get("/")
    assert status == 200
    assert headers["Server"] == "gunicorn"
    assert "1. december 2026" in page.decode()
    status, headers, script = system.get("/static/htmx/htmx.min.js")
    assert status == 200
    assert headers["Content-Type"].startswith("text/javascript")
    assert len(script) > 10_000
    [server] = [pid for pid, args in system.children().items() if "gunicorn" in args]
    assert len(children_of(server)) == 2  # WEB_PROCESSES
    output = system.log.read_text()
    assert "Web server:    gunicorn, 2 processes × 4 threads" in output
    assert "Using worker: gthread" in output


def test_it_shows_no_debug_page_and_no_development_message_list(system: System) -> None:
    """`make run` is what a town hall may run as it is: a bad date in a
    citizen's address is a plain "not found", not Django's page listing
    every address, and the development list of sent messages (with their
    links) is not there."""
    status, _, page = system.get("/bestil/pas/raadhuset/oplysninger/?start=2026-02-30T10:00")
    assert status == 404
    assert b"URLconf" not in page
    assert b"Traceback" not in page
    assert b"Siden findes ikke" in page
    status, _, page = system.get("/udvikling/beskeder/")
    assert status == 404
    assert b"+45" not in page


def test_concurrent_writers_on_sqlite_wait_for_each_other_instead_of_failing(
    system: System,
) -> None:
    status, _, body = system.get(
        "/api/v1/availability?location=raadhuset&service=pas&from=2026-12-08&to=2026-12-09"
    )
    assert status == 200
    slots = [slot["start"] for slot in json.loads(body)["slots"]]
    assert len(slots) >= WRITERS // 2

    def book(number: int) -> int:
        status, _, _ = request(
            f"{system.base}/api/v1/bookings",
            body={
                "location": "raadhuset",
                "service": "pas",
                # Two writers for each time: one books it, the other is told no.
                "start": slots[number // 2],
                "name": f"Borger {number}",
                "phone": f"28 00 01 {number:02d}",
            },
            timeout=60,
        )
        return status

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        statuses = list(pool.map(book, range(WRITERS)))
    assert set(statuses) <= {201, 409}, statuses
    assert statuses.count(201) >= WRITERS // 2


def test_a_worker_that_dies_is_started_again_while_the_web_serves_on(system: System) -> None:
    first = system.worker_pid()
    assert first is not None
    os.kill(first, signal.SIGKILL)
    wait_until(lambda: system.worker_pid() not in (None, first), seconds=20)
    assert system.get("/")[0] == 200
    assert "The worker stopped (killed by signal 9); starting it again in" in system.log.read_text()


def test_sigterm_stops_the_web_server_its_processes_and_the_worker(system: System) -> None:
    children = system.children()
    everything = [*children, *(pid for child in children for pid in children_of(child))]
    assert len(everything) == 4  # gunicorn, its two processes, the worker
    system.process.send_signal(signal.SIGTERM)
    assert system.process.wait(timeout=40) == 0
    wait_until(lambda: not any(is_running(pid) for pid in everything), seconds=10)
