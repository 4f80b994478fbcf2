"""The machine's real time, for the few tests that hand a moment to another
process. `pytest --at=…` moves this process's clock (time-machine), not the
clocks of the processes a test starts, so a launcher's anchor must be read
from the real clock, as `manage.py runsystem` reads it."""

import time

import time_machine


def real_timestamp() -> float:
    """Seconds since the epoch on the machine's real clock, moved or not."""
    if time_machine.escape_hatch.is_travelling():
        return time_machine.escape_hatch.time.time()
    return time.time()  # noqa: TID251 - the real clock is the point
