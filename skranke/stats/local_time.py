"""Copenhagen calendar days and hours of moments given as seconds since
the epoch, for tens of thousands of rows at a time: the offset from UTC is
looked up once per hour of time (the clocks change on whole UTC hours),
not converted through a datetime per row."""

import functools
from datetime import datetime

from skranke.core import clock

DAY = 86_400
HOUR = 3_600


def local_day(epoch: float) -> int:
    """The Copenhagen calendar day of a moment, as a day number."""
    return int((epoch + utc_offset_in_hour(int(epoch // HOUR))) // DAY)


@functools.lru_cache(maxsize=20_000)
def utc_offset_in_hour(hour: int) -> float:
    """Copenhagen's offset from UTC, in seconds, during the `hour`-th hour
    since the epoch."""
    offset = datetime.fromtimestamp(hour * HOUR, tz=clock.LOCAL_ZONE).utcoffset()
    return offset.total_seconds() if offset else 0.0
