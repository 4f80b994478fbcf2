"""Start the whole system for development and demos: the web server and the
task worker, as one command that stops both on Ctrl-C or SIGTERM.

Production runs these as separate services (docs/install.md)."""

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


def stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


class Command(BaseCommand):
    help = "Run the web server and the worker together (development and demos)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args: Any, **options: Any) -> None:
        # Web and worker must agree on a training clock to the second.
        environment = os.environ | {
            # Links in the messages the worker writes lead to this server.
            "SITE_URL": os.environ.get("SITE_URL") or f"http://{options['host']}:{options['port']}",
            "SKRANKE_CLOCK_ANCHOR": os.environ.get("SKRANKE_CLOCK_ANCHOR") or str(time.time()),  # noqa: TID251 - the real moment the system starts
        }
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        commands = [
            [*manage, "runserver", f"{options['host']}:{options['port']}"],
            [*manage, "run_worker"],
        ]
        self._print_welcome(options["host"], options["port"])
        signal.signal(signal.SIGTERM, stop_on_sigterm)
        # Each child leads its own process group, so that stopping it also
        # stops what it started (runserver's autoreloader runs a child).
        children = [
            subprocess.Popen(command, env=environment, start_new_session=True)  # noqa: S603
            for command in commands
        ]
        try:
            while all(child.poll() is None for child in children):
                time.sleep(POLL_SECONDS)
            self.stderr.write("A part of Skranke stopped; stopping the rest.")
        except KeyboardInterrupt:
            pass
        finally:
            for child in children:
                stop_process_group(child)

    def _print_welcome(self, host: str, port: str) -> None:
        base = f"http://{host}:{port}"
        lines = [
            "",
            "Skranke is starting (web and worker).",
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


def stop_process_group(child: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(child.pid, signal.SIGTERM)
        child.wait(timeout=10)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()
