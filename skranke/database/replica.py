"""Heavy reads from a PostgreSQL streaming replica (DATABASE_REPLICA_URL):
the statistics, the annual report, planning and their exports ask for it
(`reads_from_replica`), and within them the router sends reads of the
municipalities' data there. Everything else reads from the primary, and
every write goes to the primary.

Never the replica for what must see its own write: a view that does not
ask for it, a read inside a transaction, and the rows of sessions, staff,
sign-in and the rate limits (a session made a moment ago might not have
reached the replica yet) always read from the primary.

A replica that cannot be reached, or lags further behind than
DATABASE_REPLICA_MAX_LAG_SECONDS, is not used: the reads fall back to the
primary, which holds the same rows. How the replica stands is looked at
most every few seconds per process."""

import contextvars
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.db import DatabaseError, connections
from django.db.models import Model

logger = logging.getLogger(__name__)

REPLICA = "replica"
# The apps whose rows a heavy read may take from the replica: the
# municipalities' configuration and what happened at their counters and
# phones. Not sessions, staff, sign-in, rate limits or kept values.
REPLICA_APPS = frozenset(
    {
        "core",
        "booking",
        "queueing",
        "contact_centre",
        "phone_meetings",
        "information_and_cash_desks",
        "surveys",
        "inquiries",
        "stats",
        "planning",
    }
)
# How long a verdict on the replica holds in one process.
CHECK_EVERY_SECONDS = 5.0

_wanted: contextvars.ContextVar[bool] = contextvars.ContextVar("replica_wanted", default=False)

P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class ReplicaState:
    usable: bool
    lag_seconds: float | None  # None: it could not be reached
    until: float  # time.monotonic() after which to look again


_state = ReplicaState(usable=False, lag_seconds=None, until=0.0)
_state_lock = threading.Lock()


@contextmanager
def replica_reads() -> Iterator[None]:
    """Within the block, the municipalities' rows may be read from the
    replica (if there is one, and it is usable)."""
    token = _wanted.set(True)
    try:
        yield
    finally:
        _wanted.reset(token)


def reads_from_replica(view: Callable[P, R]) -> Callable[P, R]:
    """A view whose reads may come from the replica: a page or an answer
    that reads much and writes nothing a later read of it must see."""

    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        with replica_reads():
            return view(*args, **kwargs)

    return wrapped


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def replica_state() -> ReplicaState:
    """How the replica stands (looked at most every CHECK_EVERY_SECONDS)."""
    global _state
    now = time.monotonic()
    if now < _state.until:
        return _state
    with _state_lock:
        if now < _state.until:
            return _state
        lag = measure_replica_lag()
        usable = lag is not None and lag <= settings.DATABASE_REPLICA_MAX_LAG_SECONDS
        if _state.usable and not usable:
            logger.warning(
                "the read replica is not used: %s",
                "unreachable" if lag is None else f"{lag:.0f} s behind",
            )
        _state = ReplicaState(usable=usable, lag_seconds=lag, until=now + CHECK_EVERY_SECONDS)
        return _state


def forget_replica_state() -> None:
    """Look at the replica afresh at the next read (a test, or an operator
    who has just mended it)."""
    global _state
    _state = ReplicaState(usable=False, lag_seconds=None, until=0.0)


def measure_replica_lag() -> float | None:
    """Seconds the replica is behind the primary: 0 when it has replayed
    all the primary has written; else the time since the last transaction
    it replayed. None if either cannot be asked."""
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            (written,) = cursor.fetchone()
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(
                "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn,"
                " EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())",
                [written],
            )
            caught_up, behind = cursor.fetchone()
    except DatabaseError:
        # Not kept broken: the next look connects afresh.
        connections[REPLICA].close()
        return None
    if caught_up:
        return 0.0
    return float("inf") if behind is None else max(float(behind), 0.0)


class ReplicaRouter:
    """DATABASE_ROUTERS' entry: the replica for heavy reads of the
    municipalities' rows when asked for and usable; otherwise Django's
    default (None)."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        if not _wanted.get() or model._meta.app_label not in REPLICA_APPS:
            return None
        if not replica_configured() or connections["default"].in_atomic_block:
            return None
        return REPLICA if replica_state().usable else None

    def db_for_write(self, model: type[Model], **hints: Any) -> str | None:
        return None

    def allow_relation(self, first: Model, second: Model, **hints: Any) -> bool | None:
        return True  # the same rows, wherever they were read

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return False if db == REPLICA else None
