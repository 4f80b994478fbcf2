"""`make run` is a real app server: `manage.py runsystem` serves with
gunicorn's threaded workers and static files, keeps the worker running when
it dies, makes concurrent writers on SQLite wait instead of failing, and
stops everything on SIGTERM. Real processes, no mocks."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.demo.test_runsystem import children_of, free_port, is_running

ROOT = Path(__file__).resolve().parents[2]
WRITERS = 30


class System:
    def __init__(self, process: subprocess.Popen[str], port: int, log: Path) -> None:
        self.process = process
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


@pytest.fixture(scope="module")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    folder = tmp_path_factory.mktemp("runsystem")
    environment = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DATABASE_URL": f"sqlite:///{folder / 'system.sqlite3'}",
        "SKRANKE_CLOCK_START": "2026-12-01T09:00",
        "WEB_PROCESSES": "2",
        "WEB_THREADS": "4",
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v", "0"], cwd=ROOT, env=environment, check=True)
    subprocess.run(
        [*manage, "load_demo"], cwd=ROOT, env=environment, check=True, capture_output=True
    )
    port = free_port()
    log = folder / "runsystem.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [*manage, "runsystem", "--port", str(port)],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
        )
    running = System(process, port, log)
    try:
        wait_until(lambda: answers(running) or process.poll() is not None, seconds=60)
        assert process.poll() is None, log.read_text()
        yield running
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


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
