"""The count is in the database, one atomic statement a use: many callers
at once, each on a connection of its own as separate app processes would
be, never get past the limit together."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from skranke.rate_limits.allowance import spend_allowance
from skranke.rate_limits.models import Window

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 24
LIMIT = 5


def test_callers_at_the_same_moment_get_exactly_the_limit() -> None:
    barrier = threading.Barrier(THREADS)

    def spend(_: int) -> bool:
        connection.ensure_connection()  # connect first, so the race is in the counting
        barrier.wait()
        try:
            return spend_allowance(key="race", limit=LIMIT, window_seconds=3600).allowed
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        allowed = list(pool.map(spend, range(THREADS)))
    assert allowed.count(True) == LIMIT
    assert Window.objects.get(key="race").hits == THREADS
