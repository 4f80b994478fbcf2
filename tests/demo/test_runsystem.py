"""`manage.py runsystem --dev` (what `make dev` starts; tests/server has
`make run`'s gunicorn): web and worker come up together, follow the training
clock, and stop together."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def children_of(pid: int) -> dict[int, str]:
    """The processes `pid` started: process id → full command line (read from
    /proc, as `ps` cuts long lines to the terminal's width)."""
    children = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
            arguments = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:  # the process ended while we looked
            continue
        parent = next(line.split()[1] for line in status.splitlines() if line.startswith("PPid:"))
        if int(parent) == pid:
            children[int(entry.name)] = b" ".join(arguments).decode().strip()
    return children


def is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def system(tmp_path: Path) -> subprocess.Popen[str]:
    environment = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'system.sqlite3'}",
        "SKRANKE_CLOCK_START": "2026-12-01T09:00",
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v", "0"], cwd=ROOT, env=environment, check=True)
    subprocess.run([*manage, "load_demo"], cwd=ROOT, env=environment, check=True)
    port = free_port()
    process = subprocess.Popen(
        [*manage, "runsystem", "--dev", "--port", str(port)],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    process.port = port  # type: ignore[attr-defined]
    yield process
    if process.poll() is None:
        process.kill()


def wait_for_page(url: str, *, seconds: float = 30) -> str:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - localhost
                return str(response.read().decode())
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_web_and_worker_start_on_the_training_clock_and_stop_together(
    system: subprocess.Popen[str],
) -> None:
    page = wait_for_page(f"http://127.0.0.1:{system.port}/")  # type: ignore[attr-defined]
    assert "Træningsinstallation" in page
    assert "1. december 2026" in page
    children = children_of(system.pid)
    commands = sorted(args.split("manage.py ")[1].split()[0] for args in children.values())
    assert commands == ["run_worker", "runserver"]

    system.send_signal(signal.SIGTERM)
    output, _ = system.communicate(timeout=20)
    assert "Skranke is starting (web and worker)" in output
    assert "Demo logins (password: skranke-demo)" in output
    assert not any(is_running(pid) for pid in children)


def test_message_links_point_at_the_port_the_system_runs_on() -> None:
    environment = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "PRODUCTION")}
    output = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings;"
            "print(settings.SITE_URL)",
        ],
        cwd=ROOT,
        env=environment | {"PORT": "8123", "DJANGO_SETTINGS_MODULE": "skranke.settings"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert output.strip() == "http://127.0.0.1:8123"
