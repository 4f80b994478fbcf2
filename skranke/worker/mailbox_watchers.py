"""The worker's threads that hold IMAP IDLE on the mailboxes set to it
(skranke/inquiries/mailbox_watching.py), one thread per mailbox this worker
has claimed. The worker's loop asks every round (`start_watchers`); at most
every half minute it looks for mailboxes nobody watches.

A thread only waits on its server and marks its mailbox due: the reading
stays in the worker's round. The threads are daemons, as a wait may last
five minutes: a stopping worker gives its watches up (`stop`) and does not
wait for them."""

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.db import connection

from skranke.inquiries.mailbox_watching import (
    WatchEnded,
    mailboxes_to_watch,
    release_watches,
    watch_mailbox,
)
from skranke.web.database_down import DATABASE_ERRORS, describe_database_error

logger = logging.getLogger("skranke.worker")

# How often to look for mailboxes set to IDLE that nobody watches.
LOOK_SECONDS = 30.0
# A server found not to offer IDLE is not asked again for this long (it
# is looked in every minute meanwhile).
NO_IDLE_SECONDS = 3600.0

Watch = Callable[..., WatchEnded]


class MailboxWatchers:
    """This worker's watcher threads, by mailbox."""

    def __init__(
        self, *, watch: Watch = watch_mailbox, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.watcher = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._watch = watch
        self._clock = clock
        self._stopping = threading.Event()
        self._threads: dict[int, threading.Thread] = {}
        # Mailboxes not to watch again before a monotonic time: failed, or
        # their server has no IDLE.
        self._not_before: dict[int, float] = {}
        self._next_look = 0.0

    def start_watchers(self) -> int:
        """A thread for each mailbox set to IDLE that nobody watches (at
        most every LOOK_SECONDS); how many were started. A job of the
        worker's round."""
        now = self._clock()
        if self._stopping.is_set() or now < self._next_look:
            return 0
        self._next_look = now + LOOK_SECONDS
        self._threads = {pk: t for pk, t in self._threads.items() if t.is_alive()}
        started = 0
        for mailbox_id in mailboxes_to_watch():
            if mailbox_id in self._threads or now < self._not_before.get(mailbox_id, 0.0):
                continue
            thread = threading.Thread(
                target=self._run,
                args=(mailbox_id,),
                name=f"mailbox-{mailbox_id}",
                daemon=True,
            )
            self._threads[mailbox_id] = thread
            thread.start()
            started += 1
        return started

    def stop(self) -> None:
        """Give every watch up: another worker, or this one's next start,
        takes them; until then the mailboxes are looked in every minute."""
        self._stopping.set()
        try:
            release_watches(watcher=self.watcher)
        except DATABASE_ERRORS as error:
            # Not given up: the watches run out by themselves (LEASE).
            logger.warning("watches not given up: %s", describe_database_error(error))

    def join(self, *, timeout: float) -> None:
        """Wait for the threads to end, each at most `timeout` seconds."""
        for thread in list(self._threads.values()):
            thread.join(timeout=timeout)

    def watching(self) -> list[int]:
        """The mailboxes this worker's threads watch now."""
        return sorted(pk for pk, t in self._threads.items() if t.is_alive())

    def _run(self, mailbox_id: int) -> None:
        try:
            ended = self._watch(
                mailbox_id=mailbox_id, watcher=self.watcher, should_stop=self._stopping.is_set
            )
        except Exception:
            # The database, say: the round's own jobs say so; try later.
            logger.exception("watching mailbox %s failed", mailbox_id)
            ended = WatchEnded.FAILED
        finally:
            # The thread's own connection, which nothing else would close.
            connection.close()
        if ended is WatchEnded.NO_IDLE:
            self._not_before[mailbox_id] = self._clock() + NO_IDLE_SECONDS
        elif ended is WatchEnded.FAILED:
            self._not_before[mailbox_id] = self._clock() + settings.MAILBOX_RETRY_SECONDS
