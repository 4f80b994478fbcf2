"""How long citizens waited, as the share called within each minute:
booked citizens and those who came without a booking apart, because they
wait for different things (a booked citizen for the booked time to come
round and a desk to be free, the others for their turn in the queue) and
are held to different marks.

A median hides the tail a manager is asked about ("how many waited more
than twenty minutes?"); the whole curve shows it, and where a mark cuts it.
Waits are as visits.py measures them: a booked citizen's from the later of
arrival and booked time, every recorded call counted (the system records
it), only times a desk marked wrong left out.
"""

from dataclasses import dataclass

import numpy as np

from skranke.stats.visits import TRUSTED, VisitTable

LONGEST = 60  # minutes: the curve's last point; longer waits only lower it
# The product's mark for citizens without a booking: the statistics have
# said "waited at most 20 minutes" since they began, and no setting holds
# another. A booked citizen's mark is the municipality's on_time_minutes.
UNBOOKED_MARK_MINUTES = 20
TABLE_MINUTES = (5, 10, 15, 20, 30, 45, 60)

BOOKED = "booked"
UNBOOKED = "unbooked"
EVERYONE = "everyone"
GROUPS = (BOOKED, UNBOOKED, EVERYONE)


@dataclass(frozen=True)
class WaitShares:
    """The waits of one group: how many, and the share called within m
    minutes for m = 0, 1, … LONGEST (None without waits)."""

    waits: int
    within: tuple[float, ...]

    def share_within(self, minutes: int) -> float | None:
        if not self.waits or not 0 <= minutes <= LONGEST:
            return None
        return self.within[minutes]

    @property
    def table(self) -> list[float | None]:
        """The shares at TABLE_MINUTES, for the page's table."""
        return [self.share_within(minutes) for minutes in TABLE_MINUTES]


def measure_wait_distribution(rows: VisitTable) -> dict[str, WaitShares]:
    """The shares of every row's wait (a transfer's too, as the page's
    medians count them), by group."""
    counted = rows.take((rows.wait_reason == TRUSTED) & ~np.isnan(rows.wait_seconds))
    minutes = counted.wait_minutes
    return {
        BOOKED: _shares(minutes[counted.booked]),
        UNBOOKED: _shares(minutes[~counted.booked]),
        EVERYONE: _shares(minutes),
    }


def _shares(minutes: np.ndarray) -> WaitShares:
    if not len(minutes):
        return WaitShares(waits=0, within=())
    ordered = np.sort(minutes)
    called = np.searchsorted(ordered, np.arange(LONGEST + 1), side="right")
    return WaitShares(
        waits=len(ordered), within=tuple(float(count) / len(ordered) for count in called)
    )
