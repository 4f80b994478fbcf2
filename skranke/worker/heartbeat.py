"""The worker's heartbeat: the worker notes the moment of its last round, and
the readiness check and the managers' banner read how long ago that was.

The moment comes from skranke.core.clock, so a training installation and
the tests agree with the worker about what "two minutes ago" means."""

from datetime import datetime, timedelta

from django.core.cache import cache

from skranke.core import clock
from skranke.worker.models import WorkerHeartbeat

# Over this long without a round, messages to citizens are not going out.
SILENCE_LIMIT = timedelta(minutes=2)
# A worker writes at most this often, however fast its rounds are.
WRITE_INTERVAL = timedelta(seconds=10)
# The staff pages read the heartbeat through the cache for this long, so a
# busy morning costs one query per process every 15 s, not one per page.
_CACHE_KEY = "skranke.worker.heartbeat"
_CACHE_SECONDS = 15
_NEVER = "never"


def record_heartbeat(*, moment: datetime) -> None:
    """Note that a worker went round its loop at `moment`."""
    updated = WorkerHeartbeat.objects.filter(pk=WorkerHeartbeat.ROW).update(beat_at=moment)
    if not updated:
        # The first round of a new installation. Two workers starting at
        # once may both get here; the one that loses wrote nothing older.
        WorkerHeartbeat.objects.bulk_create(
            [WorkerHeartbeat(pk=WorkerHeartbeat.ROW, beat_at=moment)], ignore_conflicts=True
        )


class HeartbeatWriter:
    """Writes the heartbeat from the worker's loop, at most once a round and
    not more often than WRITE_INTERVAL."""

    def __init__(self) -> None:
        self.last_written: datetime | None = None

    def beat(self) -> bool:
        """Write the heartbeat if it is due; whether it was written."""
        moment = clock.now()
        if self.last_written is not None and moment - self.last_written < WRITE_INTERVAL:
            return False
        record_heartbeat(moment=moment)
        self.last_written = moment
        return True


def last_heartbeat() -> datetime | None:
    """When a worker last went round its loop; None if no worker ever did."""
    return (
        WorkerHeartbeat.objects.filter(pk=WorkerHeartbeat.ROW)
        .values_list("beat_at", flat=True)
        .first()
    )


def last_heartbeat_cached() -> datetime | None:
    """last_heartbeat, read from the database at most every 15 s per process."""
    kept = cache.get(_CACHE_KEY)
    if kept is None:
        kept = last_heartbeat() or _NEVER
        cache.set(_CACHE_KEY, kept, _CACHE_SECONDS)
    return None if kept == _NEVER else kept


def is_silent(*, last: datetime | None) -> bool:
    """Whether a worker whose last round was at `last` (None: never) has been
    silent for longer than SILENCE_LIMIT."""
    return last is None or clock.now() - last > SILENCE_LIMIT
