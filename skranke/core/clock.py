"""The one clock: every "now" in Skranke comes from this module.

Three ways of telling the time share it:

* normally, the real time;
* a training or demo installation started with SKRANKE_CLOCK_START runs as if
  it had been started at that moment, and the clock runs on from there. The
  offset is measured from SKRANKE_CLOCK_ANCHOR (the real moment the system
  was started, set by `manage.py runsystem` for both web and worker so they
  agree to the second) or, failing that, from when this process started;
* tests stop the clock at a moment and move it with `set_now` and `advance`.

Times are aware datetimes in UTC; `local_now` and `today` give
Europe/Copenhagen, which is what citizens and staff live by.
"""

import os
import threading
import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

LOCAL_ZONE = ZoneInfo("Europe/Copenhagen")

_PROCESS_STARTED = time.time()  # noqa: TID251 - the clock itself reads the real time
_lock = threading.Lock()
_fixed: datetime | None = None
_offset: timedelta | None = None


def parse_moment(text: str) -> datetime:
    """An ISO 8601 moment; without an offset it is read as Copenhagen time."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise ImproperlyConfigured(
            f"SKRANKE_CLOCK_START must be an ISO 8601 time such as 2026-12-01T09:00, not {text!r}."
        ) from error
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL_ZONE)
    return moment.astimezone(UTC)


def _training_offset() -> timedelta:
    global _offset
    if _offset is None:
        start_text = settings.SKRANKE_CLOCK_START
        if not start_text:
            _offset = timedelta(0)
        else:
            anchor = float(os.environ.get("SKRANKE_CLOCK_ANCHOR") or _PROCESS_STARTED)
            _offset = parse_moment(start_text) - datetime.fromtimestamp(anchor, tz=UTC)
    return _offset


def now() -> datetime:
    """The current moment, aware, in UTC."""
    with _lock:
        if _fixed is not None:
            return _fixed
    return datetime.now(tz=UTC) + _training_offset()  # noqa: TID251


def local_now() -> datetime:
    """The current moment in Europe/Copenhagen."""
    return now().astimezone(LOCAL_ZONE)


def today() -> date:
    """Today's date in Europe/Copenhagen."""
    return local_now().date()


def is_training() -> bool:
    """Whether this installation runs on a moved clock (shown to staff)."""
    return bool(settings.SKRANKE_CLOCK_START)


# --- For tests --------------------------------------------------------------


def set_now(moment: datetime) -> None:
    """Stop the clock at `moment` (aware). Tests only."""
    global _fixed
    if moment.tzinfo is None:
        raise ValueError("set_now needs an aware datetime")
    with _lock:
        _fixed = moment.astimezone(UTC)


def advance(delta: timedelta) -> datetime:
    """Move a stopped clock on by `delta` and return the new moment. Tests only."""
    global _fixed
    with _lock:
        if _fixed is None:
            raise RuntimeError("advance needs a clock stopped with set_now")
        _fixed += delta
        return _fixed


def reset() -> None:
    """Let the clock run again, and forget any training offset."""
    global _fixed, _offset
    with _lock:
        _fixed = None
        _offset = None
