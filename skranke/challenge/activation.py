"""When the challenge is on. Normally never: a citizen booking a time or
two never sees it. It switches on by itself (settings; docs/configuration.md)

- for one address, after CHALLENGE_AFTER_BOOKINGS_PER_ADDRESS_PER_HOUR
  booking attempts from it in the clock hour, well before the hard limit
  (RATE_LIMIT_BOOKINGS_PER_ADDRESS_PER_HOUR, 429): a household or a
  library's shared address pays a second of a phone's work, not a refusal;
- for everyone, after CHALLENGE_AFTER_BOOKINGS_PER_HOUR attempts from all
  addresses together in the hour: many addresses each booking a little
  is what hoarding from a botnet looks like. Each address counts at most
  up to its own threshold, so one hoarder (who meets the challenge on
  their own anyway) does not switch it on for everyone;

and for everyone while CHALLENGE_ALWAYS is set.

The counts are the rate limiter's own (rate_limits/limits.py,
BOOKINGS_PER_ADDRESS): its windows already hold every booking attempt per
address, so finding out costs one read of them and nothing is written."""

from django.conf import settings
from django.db.models import Q, Sum, Value
from django.db.models.functions import Coalesce, Least
from django.http import HttpRequest

from skranke.core import clock
from skranke.rate_limits.allowance import window_start
from skranke.rate_limits.limits import BOOKINGS_PER_ADDRESS, keyed_hash, network_of_caller
from skranke.rate_limits.models import Window


def challenge_required(*, request: HttpRequest) -> bool:
    """Whether the caller's next booking attempt needs a proof (a solved
    challenge, or on the web page the wait). One query, none when forced."""
    if settings.CHALLENGE_ALWAYS:
        return True
    per_address = int(settings.CHALLENGE_AFTER_BOOKINGS_PER_ADDRESS_PER_HOUR)
    # The keys as limits.spend writes them: the limit's name and a keyed hash.
    prefix = f"{BOOKINGS_PER_ADDRESS.name}:"
    mine = prefix + keyed_hash(network_of_caller(request))
    starts = window_start(now=clock.now(), window_seconds=BOOKINGS_PER_ADDRESS.window_seconds)
    counts = Window.objects.filter(
        # A range rather than startswith, so that PostgreSQL uses the index
        # whatever the database's collation.
        key__gte=prefix,
        key__lt=prefix[:-1] + chr(ord(prefix[-1]) + 1),
        starts_at=starts,
    ).aggregate(
        mine=Coalesce(Sum("hits", filter=Q(key=mine)), 0),
        overall=Coalesce(Sum(Least("hits", Value(per_address))), 0),
    )
    return (
        counts["mine"] >= per_address
        or counts["overall"] >= settings.CHALLENGE_AFTER_BOOKINGS_PER_HOUR
    )
