"""Start the whole system as one command: the web server and the task
worker, stopped together on Ctrl-C or SIGTERM.

`make run` serves with gunicorn (skranke/gunicorn_config.py), the app server
production uses, and DEBUG off whatever the environment says: no page of
Django's for developers (the list of every address on a 404, the
traceback on a 500) and no development list of sent messages reach a
stranger. `make dev` (--dev) serves with Django's development server,
which restarts when the code changes, with DEBUG on. A worker that stops is started again after a
short pause while the web keeps serving; when the web server stops,
everything stops.

Production runs the two as separate services (docs/install.md)."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from skranke.demo import data

POLL_SECONDS = 0.5
# A worker that stops soon after starting again is failing, not unlucky:
# wait twice as long each time, up to a limit, and from the start again once
# it has run for a while.
FIRST_PAUSE_SECONDS = 1.0
LONGEST_PAUSE_SECONDS = 30.0
STEADY_SECONDS = 60.0


def stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


class Command(BaseCommand):
    help = "Run the web server and the worker together (make run, make dev)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument(
            "--dev",
            action="store_true",
            help="Serve with Django's development server, which restarts on code changes.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Web and worker must agree on a training clock to the second.
        self.environment = os.environ | {
            # Links in the messages the worker writes lead to this server.
            "SITE_URL": os.environ.get("SITE_URL") or f"http://{options['host']}:{options['port']}",
            "SKRANKE_CLOCK_ANCHOR": os.environ.get("SKRANKE_CLOCK_ANCHOR") or str(time.time()),  # noqa: TID251 - the real moment the system starts
        }
        address = f"{options['host']}:{options['port']}"
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        if options["dev"]:
            web_command = [*manage, "runserver", address]
            server = "Django's development server (restarts when the code changes)"
        else:
            self.environment["DEBUG"] = "false"
            web_command = [
                *(sys.executable, "-m", "gunicorn", "--config", "python:skranke.gunicorn_config"),
                *("--bind", address),
            ]
            server = describe_app_server(
                processes=settings.WEB_PROCESSES, threads=settings.WEB_THREADS
            )
        worker_command = [*manage, "run_worker"]
        self._print_welcome(options["host"], options["port"], server)
        signal.signal(signal.SIGTERM, stop_on_sigterm)
        web = self._start(web_command)
        worker: subprocess.Popen[bytes] | None = self._start(worker_command)
        worker_started = time.monotonic()
        pause = FIRST_PAUSE_SECONDS
        restart_at = 0.0
        try:
            while web.poll() is None:
                if worker is None:
                    if time.monotonic() >= restart_at:
                        worker = self._start(worker_command)
                        worker_started = time.monotonic()
                elif worker.poll() is not None:
                    if time.monotonic() - worker_started >= STEADY_SECONDS:
                        pause = FIRST_PAUSE_SECONDS
                    self.stderr.write(
                        f"The worker stopped ({describe_exit(worker.returncode)}); "
                        f"starting it again in {pause:g} s."
                    )
                    stop_process_groups([worker])  # anything it left behind
                    worker, restart_at = None, time.monotonic() + pause
                    pause = min(pause * 2, LONGEST_PAUSE_SECONDS)
                time.sleep(POLL_SECONDS)
            self.stderr.write("The web server stopped; stopping the rest.")
        except KeyboardInterrupt:
            pass
        finally:
            stop_process_groups([child for child in (web, worker) if child is not None])

    def _start(self, command: list[str]) -> subprocess.Popen[bytes]:
        # Each child leads its own process group, so that stopping it also
        # stops what it started (gunicorn's workers, runserver's reloader).
        return subprocess.Popen(  # noqa: S603
            command, cwd=settings.BASE_DIR, env=self.environment, start_new_session=True
        )

    def _print_welcome(self, host: str, port: str, server: str) -> None:
        base = f"http://{host}:{port}"
        lines = [
            "",
            "Skranke is starting (web and worker).",
            f"  Web server:    {server}",
            f"  Citizen site:  {base}/",
            f"  Staff pages:   {base}/personale/",
            f"  Admin:         {base}/admin/",
            f"  Kiosk:         {base}/enhed/  token {data.DEMO_DEVICE_TOKENS['kiosk']}",
            f"  Display:       {base}/enhed/  token {data.DEMO_DEVICE_TOKENS['display']}",
            f"  Survey:        {base}/enhed/  token {data.DEMO_DEVICE_TOKENS['survey']}",
            f"  Desk:          {base}/personale/skranke/",
            "",
            f"Demo logins (password: {data.DEMO_PASSWORD}):",
            *(f"  {username:<14} {role}" for username, _, role, _ in data.DEMO_USERS),
            "",
            "Stop with Ctrl-C.",
            "",
        ]
        self.stdout.write("\n".join(lines))


def describe_exit(returncode: int) -> str:
    return f"killed by signal {-returncode}" if returncode < 0 else f"exit code {returncode}"


def stop_process_groups(children: list[subprocess.Popen[bytes]]) -> None:
    """Ask every group to stop at once, then wait for each; a group that is
    still there after the grace period (gunicorn lets requests in flight
    finish, graceful_timeout) is killed."""
    for child in children:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGTERM)
    deadline = time.monotonic() + 20
    for child in children:
        try:
            child.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGKILL)
            child.wait()


def describe_app_server(*, processes: int, threads: int) -> str:
    """What `make run` starts, as its welcome says it (and the README)."""
    return (
        f"gunicorn, {processes} {'process' if processes == 1 else 'processes'}"
        f" × {threads} {'thread' if threads == 1 else 'threads'}"
    )
