"""The worker's loop: round after round, every job in skranke/worker/jobs.py,
a heartbeat, and a rest when nothing was due.

A job that fails is logged with its traceback and the round goes on. When
the database itself fails (it is down, restarting, or the connection pool
is exhausted) every job would fail the same way, so the round stops there,
one line is logged, and the worker waits longer after each failure in a
row (skranke/worker/backoff.py) instead of logging tracebacks several times
a second."""

import logging
import time
from collections.abc import Callable, Sequence

from django.db import close_old_connections, connections

from skranke.web.database_down import DATABASE_ERRORS, describe_database_error
from skranke.worker.backoff import backoff_seconds
from skranke.worker.heartbeat import HeartbeatWriter

logger = logging.getLogger("skranke.worker")

# A rest or a back-off is taken in slices this long, so SIGTERM ends the
# worker within a second even during a minute's back-off.
_SLICE_SECONDS = 1.0

Job = Callable[[], int]


def run_round(*, jobs: Sequence[Job], heartbeat: HeartbeatWriter) -> int:
    """One round: the heartbeat, then every job; how much was done.

    Raises the database's error if the database fails; any other error is
    logged and the next job runs."""
    close_old_connections()
    heartbeat.beat()
    done = 0
    for job in jobs:
        try:
            done += job()
        except DATABASE_ERRORS:
            raise
        except Exception:
            # No personal data: the traceback names rows by id.
            logger.exception("job %s failed", job.__name__)
    return done


def rest(
    *, seconds: float, should_stop: Callable[[], bool], sleep: Callable[[float], None]
) -> None:
    """Wait `seconds`, or less if the worker is told to stop meanwhile."""
    left = seconds
    while left > 0 and not should_stop():
        step = min(_SLICE_SECONDS, left)
        sleep(step)
        left -= step


def run_worker(
    *,
    jobs: Sequence[Job],
    rest_seconds: float,
    should_stop: Callable[[], bool],
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Go round until `should_stop` says so (checked between rounds and
    during every wait)."""
    heartbeat = HeartbeatWriter()
    failures = 0
    while not should_stop():
        try:
            done = run_round(jobs=jobs, heartbeat=heartbeat)
        except DATABASE_ERRORS as error:
            failures += 1
            wait = backoff_seconds(failures=failures)
            # One line, no traceback: the error's first line says enough
            # ("connection refused", "database is locked").
            logger.warning(
                "database unavailable (%s), failure %d in a row; trying again in %.0f s",
                describe_database_error(error),
                failures,
                wait,
            )
            # A broken connection is not reused: the next round connects anew.
            connections.close_all()
            rest(seconds=wait, should_stop=should_stop, sleep=sleep)
            continue
        if failures:
            logger.info("database reachable again after %d failures", failures)
            failures = 0
        if not done:
            rest(seconds=rest_seconds, should_stop=should_stop, sleep=sleep)
