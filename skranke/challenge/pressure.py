"""How hard the booking defences push back, from how hard bookings come.

Normally not at all: a citizen booking a time or two sees nothing. From
the rate limiter's own counts of booking attempts in the clock hour
(rate_limits/limits.py, BOOKINGS_PER_ADDRESS, one read of its windows):

- **The proof of work** (proof_of_work.py, or on a page without
  JavaScript the wait, waiting.py) comes on for one network after
  CHALLENGE_AFTER_BOOKINGS_PER_ADDRESS_PER_HOUR attempts from it, and for
  everyone after CHALLENGE_AFTER_BOOKINGS_PER_HOUR from all networks
  together, each network counted up to its own threshold, so that one
  hoarder (who meets the challenge on their own anyway) does not switch it
  on for everyone. Each doubling of the count past a threshold is one
  step more, and each step doubles the proof's work and the wait, up to
  CHALLENGE_MAX_NUMBER_CEILING (about three seconds on a phone) and
  CHALLENGE_WAIT_SECONDS_CEILING.
- **An attack**: ATTACK_AFTER_BOOKINGS_PER_HOUR attempts from all networks
  together, and ATTACK_TIMES_NORMAL times the number of online bookings
  the same hour usually sees (the caller says how many: the booking app
  knows, this one stands below it). Then every time booked online is held
  until its code comes back (booking/holds.py), and managers are alerted
  (alerts.py).

CHALLENGE_ALWAYS keeps the proof on at its first step at least.
docs/challenge.md gives the thresholds with their measured costs.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Q, Sum, Value
from django.db.models.functions import Coalesce, Least
from django.http import HttpRequest

from skranke.challenge.alerts import note_attack
from skranke.core import clock
from skranke.rate_limits.allowance import window_start
from skranke.rate_limits.limits import BOOKINGS_PER_ADDRESS, keyed_hash, network_of_caller
from skranke.rate_limits.models import Window


def steps_past(*, count: int, threshold: int) -> int:
    """0 below `threshold`; 1 from it, and one more for each doubling."""
    if count < threshold:
        return 0
    return 1 + math.floor(math.log2(count / threshold))


def doubled(*, base: int, step: int, ceiling: int) -> int:
    """`base` doubled for each step past the first, at most `ceiling`."""
    return min(ceiling, base * 2 ** max(0, step - 1))


@dataclass(frozen=True)
class Pressure:
    # Booking attempts in the last hour from the caller's network, and from
    # every network together (each counted up to the per-network threshold).
    mine: int
    overall: int
    under_attack: bool

    @property
    def step(self) -> int:
        step = max(
            steps_past(
                count=self.mine, threshold=settings.CHALLENGE_AFTER_BOOKINGS_PER_ADDRESS_PER_HOUR
            ),
            steps_past(count=self.overall, threshold=settings.CHALLENGE_AFTER_BOOKINGS_PER_HOUR),
        )
        return max(step, 1) if settings.CHALLENGE_ALWAYS else step

    @property
    def challenge_required(self) -> bool:
        return self.step > 0

    @property
    def max_number(self) -> int:
        """How far the proof of work hides its number at this step."""
        return doubled(
            base=settings.CHALLENGE_MAX_NUMBER,
            step=self.step,
            ceiling=settings.CHALLENGE_MAX_NUMBER_CEILING,
        )

    @property
    def least_max_number(self) -> int:
        """The easiest challenge whose solution still passes: one step of
        slack, so that a citizen whose page was made just before the
        pressure rose a step is not sent round again for it."""
        return self.max_number // 2

    @property
    def wait_seconds(self) -> int:
        """How long the page without JavaScript waits at this step."""
        return doubled(
            base=settings.CHALLENGE_WAIT_SECONDS,
            step=self.step,
            ceiling=settings.CHALLENGE_WAIT_SECONDS_CEILING,
        )


def count_attempts(*, request: HttpRequest) -> tuple[int, int]:
    """The booking attempts of the last hour from the caller's network, and
    from all networks (each up to the per-network threshold). One query.

    Counted over a sliding hour: this clock hour's window, and the one
    before weighted by how much of it the last hour still covers, so that
    the defences do not drop when a new clock hour starts."""
    per_network = int(settings.CHALLENGE_AFTER_BOOKINGS_PER_ADDRESS_PER_HOUR)
    # The keys as limits.spend writes them: the limit's name and a keyed hash.
    prefix = f"{BOOKINGS_PER_ADDRESS.name}:"
    mine = prefix + keyed_hash(network_of_caller(request))
    window = timedelta(seconds=BOOKINGS_PER_ADDRESS.window_seconds)
    now = clock.now()
    starts = window_start(now=now, window_seconds=BOOKINGS_PER_ADDRESS.window_seconds)
    before = starts - window
    counts = Window.objects.filter(
        # A range rather than startswith, so that PostgreSQL uses the index
        # whatever the database's collation.
        key__gte=prefix,
        key__lt=prefix[:-1] + chr(ord(prefix[-1]) + 1),
        starts_at__in=[starts, before],
    ).aggregate(
        mine_now=Coalesce(Sum("hits", filter=Q(key=mine, starts_at=starts)), 0),
        mine_before=Coalesce(Sum("hits", filter=Q(key=mine, starts_at=before)), 0),
        overall_now=Coalesce(Sum(Least("hits", Value(per_network)), filter=Q(starts_at=starts)), 0),
        overall_before=Coalesce(
            Sum(Least("hits", Value(per_network)), filter=Q(starts_at=before)), 0
        ),
    )
    still_covered = 1 - (now - starts) / window
    return (
        counts["mine_now"] + math.floor(counts["mine_before"] * still_covered),
        counts["overall_now"] + math.floor(counts["overall_before"] * still_covered),
    )


def measure_pressure(*, request: HttpRequest, usual_per_hour: Callable[[], float]) -> Pressure:
    """The pressure on bookings now, as the caller's network meets it.
    `usual_per_hour` (read only when the count is past the attack's floor)
    is the number of online bookings this hour of the day usually sees."""
    mine, overall = count_attempts(request=request)
    under_attack = overall >= settings.ATTACK_AFTER_BOOKINGS_PER_HOUR and overall >= (
        settings.ATTACK_TIMES_NORMAL * usual_per_hour()
    )
    if under_attack:
        note_attack(attempts=overall)
    return Pressure(mine=mine, overall=overall, under_attack=under_attack)
