"""The worker: runs the jobs in skranke/worker/jobs.py, round after round,
until stopped (Ctrl-C or SIGTERM ends it after the current round). The loop
itself, with its heartbeat and its back-off when the database is down, is
skranke/worker/loop.py."""

import logging
import signal
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from skranke.worker.jobs import DAY_JOBS, HOUSEKEEPING_JOBS, JOBS
from skranke.worker.loop import run_worker
from skranke.worker.mailbox_watchers import MailboxWatchers

logger = logging.getLogger("skranke.worker")


class Command(BaseCommand):
    help = "Run the background worker: sends messages, reads the shared mailboxes, and more."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--rest", type=float, default=1.0, help="Seconds to rest when nothing was due."
        )
        parser.add_argument(
            "--jobs",
            choices=["all", "day", "housekeeping"],
            default="all",
            help="The day's work (messages, holds, the queue, mailboxes), housekeeping"
            " (erasure, clean-ups), or both (the default).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stopping = False
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        jobs = {"all": JOBS, "day": DAY_JOBS, "housekeeping": HOUSEKEEPING_JOBS}[options["jobs"]]
        logger.info("worker started (%s)", options["jobs"])
        # Mailboxes set to IMAP IDLE: threads of this process wait on them.
        watchers = MailboxWatchers()
        if options["jobs"] != "housekeeping":
            jobs = [*jobs, watchers.start_watchers]
        try:
            run_worker(
                jobs=jobs,
                rest_seconds=options["rest"],
                should_stop=lambda: self.stopping,
            )
        finally:
            watchers.stop()
        logger.info("worker stopped")

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True
