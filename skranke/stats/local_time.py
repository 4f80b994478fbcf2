"""Copenhagen calendar days and hours of moments given as seconds since
the epoch, for tens of thousands of rows at a time: the offset from UTC is
looked up once per hour of time (the clocks change on whole UTC hours),
not converted through a datetime per row."""

import functools
from datetime import datetime

import numpy as np

from skranke.core import clock

DAY = 86_400
HOUR = 3_600


@functools.lru_cache(maxsize=20_000)
def utc_offset_in_hour(hour: int) -> float:
    """Copenhagen's offset from UTC, in seconds, during the `hour`-th hour
    since the epoch."""
    offset = datetime.fromtimestamp(hour * HOUR, tz=clock.LOCAL_ZONE).utcoffset()
    return offset.total_seconds() if offset else 0.0


def utc_offsets(epochs: np.ndarray) -> np.ndarray:
    """Copenhagen's offset from UTC, in seconds, at each moment of an array
    (seconds since the epoch): looked up once per distinct hour."""
    if not len(epochs):
        return np.zeros(0)
    hours, position = np.unique(np.floor_divide(epochs, HOUR).astype(np.int64), return_inverse=True)
    return np.array([utc_offset_in_hour(int(hour)) for hour in hours])[position]


def local_days(epochs: np.ndarray) -> np.ndarray:
    """The Copenhagen calendar day of each moment, as day numbers."""
    return np.floor_divide(epochs + utc_offsets(epochs), DAY).astype(np.int64)


def local_hours(epochs: np.ndarray) -> np.ndarray:
    """The Copenhagen hour of the day (0–23) of each moment."""
    return (np.floor_divide(epochs + utc_offsets(epochs), HOUR) % 24).astype(np.int64)


def local_minutes(epochs: np.ndarray) -> np.ndarray:
    """The Copenhagen minute of the day (0–1439) of each moment."""
    return (np.floor_divide(epochs + utc_offsets(epochs), 60) % (24 * 60)).astype(np.int64)
