"""Under gunicorn each process counts the requests it serves, and /metrics,
whichever process answers it, adds up the counts of all of them. Real
gunicorn with two processes, started with the project's configuration as
`make run` and the production unit start it."""

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.demo.test_runsystem import free_port
from tests.monitoring.scraping import TOKEN, requests_counted

ROOT = Path(__file__).resolve().parents[2]


class Server:
    def __init__(self, process: subprocess.Popen[bytes], port: int, temp: Path, log: Path):
        self.process = process
        self.base = f"http://127.0.0.1:{port}"
        self.temp = temp
        self.log = log

    def get(self, path: str, *, token: str = "") -> tuple[int, str]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        request = urllib.request.Request(f"{self.base}{path}", headers=headers)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, ""

    def metrics_folders(self) -> list[Path]:
        return list(self.temp.glob("skranke-metrics-*"))

    def processes_that_counted(self) -> set[str]:
        """The processes that have written request counts (one file each)."""
        files = [path for folder in self.metrics_folders() for path in folder.glob("histogram_*")]
        return {path.stem for path in files}


@contextlib.contextmanager
def gunicorn(folder: Path, **settings: str) -> Iterator[Server]:
    """gunicorn with the project's configuration, answering on a free port."""
    temp = folder / "tmp"
    temp.mkdir()
    log = folder / "gunicorn.log"
    environment = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "LOG_FORMAT", "PROMETHEUS_MULTIPROC_DIR")
        },
        # /healthz and /metrics' request figures need no tables.
        "DATABASE_URL": f"sqlite:///{folder / 'empty.sqlite3'}",
        "METRICS_TOKEN": TOKEN,
        # Where the master makes the folder the processes count in.
        "TMPDIR": str(temp),
        **settings,
    }
    port = free_port()
    with log.open("w") as output:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "--config", "python:skranke.gunicorn_config"),
                *("--bind", f"127.0.0.1:{port}"),
            ],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    running = Server(process, port, temp, log)
    try:
        deadline = time.monotonic() + 60
        while not answers(running):
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        yield running
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("gunicorn")
    with gunicorn(folder, WEB_PROCESSES="2", WEB_THREADS="2") as running:
        yield running


def answers(server: Server) -> bool:
    try:
        return server.get("/metrics", token=TOKEN)[0] == 200
    except OSError:
        return False


def worker_pids(master: int) -> list[int]:
    """gunicorn's worker processes: the master's children."""
    workers = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            # "pid (name) state ppid …"; the name may hold spaces.
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == master:
                workers.append(int(stat.parent.name))
    return workers


def test_metrics_add_up_the_requests_of_every_process(server: Server) -> None:
    workers = worker_pids(server.process.pid)
    assert len(workers) == 2
    sent = 0
    # Which process the kernel hands a connection to is not the test's to
    # choose, and on a busy machine one may take them all: so each process
    # serves a batch alone while the other is paused.
    with ThreadPoolExecutor(max_workers=8) as pool:
        for alone in workers:
            paused = [pid for pid in workers if pid != alone]
            for pid in paused:
                os.kill(pid, signal.SIGSTOP)
            try:
                statuses = list(pool.map(lambda _: server.get("/healthz")[0], range(16)))
            finally:
                for pid in paused:
                    os.kill(pid, signal.SIGCONT)
            assert statuses == [200] * 16
            sent += 16
    assert len(server.processes_that_counted()) == 2

    # Whichever process answers, it counts every process's requests.
    for _ in range(6):
        status, text = server.get("/metrics", token=TOKEN)
        assert status == 200
        assert requests_counted(text, route="monitoring:healthz") == sent


def test_the_folder_the_processes_count_in_goes_when_the_server_stops(server: Server) -> None:
    [folder] = server.metrics_folders()
    assert folder.is_dir()
    server.process.send_signal(signal.SIGTERM)
    assert server.process.wait(timeout=30) == 0
    assert not folder.exists()


def test_with_json_logs_every_line_gunicorn_writes_is_json(tmp_path: Path) -> None:
    with gunicorn(tmp_path, WEB_PROCESSES="1", LOG_FORMAT="json") as server:
        assert server.get("/healthz?postnummer=8000")[0] == 200
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(timeout=30) == 0
    lines = server.log.read_text().splitlines()
    entries = [json.loads(line) for line in lines]
    assert any(entry["logger"] == "gunicorn.error" for entry in entries)
    [request] = [entry for entry in entries if entry.get("route") == "monitoring:healthz"]
    assert request["status"] == 200
    assert "postnummer" not in server.log.read_text()
