"""Spending an allowance: at most `limit` uses of a key in a fixed window
of time, counted in the database (models.Window) so that the limit holds
across every app process.

One statement per use: an upsert that adds one to the window's count and
reads it back (INSERT … ON CONFLICT … DO UPDATE … RETURNING, on SQLite
and PostgreSQL alike). Two processes that spend at once are serialised by
the row's unique key, so neither can read a count the other has not yet
added to. Fixed windows, not sliding ones: a caller may use up to twice the
limit across a window's edge, which is good enough against hoarding and
costs one row per key and window."""

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import connection

from skranke.core import clock
from skranke.database.deleting import delete_found
from skranke.rate_limits.models import Window


@dataclass(frozen=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    # Whole seconds (at least one) until the window ends and the count starts again.
    retry_after: int
    resets_at: datetime


def window_start(*, now: datetime, window_seconds: int) -> datetime:
    """The start of the fixed window `now` falls in. Windows are aligned to
    the epoch, so every process agrees on them without talking."""
    seconds = math.floor(now.timestamp() / window_seconds) * window_seconds
    return datetime.fromtimestamp(seconds, tz=UTC)


def spend_allowance(*, key: str, limit: int, window_seconds: int) -> Decision:
    """Count one use of `key` and say whether it is within `limit` uses in
    the current window of `window_seconds`. A refused use counts as well:
    someone who keeps trying does not get in any sooner."""
    now = clock.now()
    starts = window_start(now=now, window_seconds=window_seconds)
    ends = starts + timedelta(seconds=window_seconds)
    hits = _add_hit(key=key, starts_at=starts, ends_at=ends)
    return Decision(
        allowed=hits <= limit,
        limit=limit,
        remaining=max(0, limit - hits),
        retry_after=max(1, math.ceil((ends - now).total_seconds())),
        resets_at=ends,
    )


def _add_hit(*, key: str, starts_at: datetime, ends_at: datetime) -> int:
    table = connection.ops.quote_name(Window._meta.db_table)
    column = {name: connection.ops.quote_name(name) for name in ("key", "starts_at", "hits")}
    moment = Window._meta.get_field("starts_at")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({column['key']}, {column['starts_at']}, ends_at, hits)"  # noqa: S608
            " VALUES (%s, %s, %s, 1)"
            f" ON CONFLICT ({column['key']}, {column['starts_at']})"
            f" DO UPDATE SET hits = {table}.hits + 1 RETURNING hits",
            [
                key,
                moment.get_db_prep_value(starts_at, connection),
                moment.get_db_prep_value(ends_at, connection),
            ],
        )
        row = cursor.fetchone()
    return int(row[0])


def count_hits(*, key: str, window_seconds: int) -> int:
    """How many uses `key` has had in the current window, spending none."""
    starts = window_start(now=clock.now(), window_seconds=window_seconds)
    window = Window.objects.filter(key=key, starts_at=starts).values_list("hits", flat=True)
    return next(iter(window), 0)


# An hour's window is read for an hour after it has ended: the pressure on
# bookings (challenge/pressure.py) slides over the hour's edge with it.
KEPT_AFTER_END = timedelta(hours=1)


def forget_old_windows() -> int:
    """The worker's job: delete the windows that ended more than
    KEPT_AFTER_END ago; how many."""
    return delete_found(Window.objects.filter(ends_at__lte=clock.now() - KEPT_AFTER_END))
