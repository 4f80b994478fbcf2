"""The worker: runs the jobs in skranke/worker/jobs.py, round after round,
until stopped (Ctrl-C or SIGTERM ends it after the current round). The loop
itself, with its heartbeat and its back-off when the database is down, is
skranke/worker/loop.py."""

import logging
import signal
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from skranke.worker.jobs import JOBS
from skranke.worker.loop import run_worker
from skranke.worker.mailbox_watchers import MailboxWatchers

logger = logging.getLogger("skranke.worker")


class Command(BaseCommand):
    help = "Run the background worker: sends messages, reads the shared mailboxes, and more."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--rest", type=float, default=1.0, help="Seconds to rest when nothing was due."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stopping = False
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        logger.info("worker started")
        # Mailboxes set to IMAP IDLE: threads of this process wait on them.
        watchers = MailboxWatchers()
        try:
            run_worker(
                jobs=[*JOBS, watchers.start_watchers],
                rest_seconds=options["rest"],
                should_stop=lambda: self.stopping,
            )
        finally:
            watchers.stop()
        logger.info("worker stopped")

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True
