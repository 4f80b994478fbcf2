"""The worker: runs the jobs in skranke/worker/jobs.py, round after round,
until stopped (Ctrl-C or SIGTERM ends it after the current round)."""

import logging
import signal
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from skranke.worker.jobs import JOBS

logger = logging.getLogger("skranke.worker")


class Command(BaseCommand):
    help = "Run the background worker: sends messages (and more to come)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--rest", type=float, default=1.0, help="Seconds to rest when nothing was due."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stopping = False
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        logger.info("worker started")
        while not self.stopping:
            close_old_connections()
            done = 0
            for job in JOBS:
                try:
                    done += job()
                except Exception:
                    # One failing round must not stop the worker: log it
                    # (no personal data: the traceback names rows by id)
                    # and try again next round.
                    logger.exception("job %s failed", job.__name__)
            if not done:
                time.sleep(options["rest"])
        logger.info("worker stopped")

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True
