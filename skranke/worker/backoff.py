"""How long the worker waits after the database failed it: doubling from
one second up to a minute, so a database that is down for an hour costs
about sixty log lines, not sixty thousand."""

FIRST_WAIT_SECONDS = 1.0
LONGEST_WAIT_SECONDS = 60.0


def backoff_seconds(
    *,
    failures: int,
    first: float = FIRST_WAIT_SECONDS,
    longest: float = LONGEST_WAIT_SECONDS,
) -> float:
    """The wait after the `failures`-th failure in a row (1, 2, 4, … capped)."""
    if failures < 1:
        return 0.0
    # The exponent is capped too, so a long outage never overflows a float.
    return min(longest, first * 2 ** min(failures - 1, 32))
