"""The limit holds across the app server's processes: `make run` with two
gunicorn processes, many requests at once from one address, and no more
answered than the limit allows however the processes shared them."""

from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from tests.server.running_system import (
    System,
    fetch_rows,
    load_demo,
    own_database,
    request,
    running_systems,
    system_environment,
)

LIMIT = 10
REQUESTS = 40


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[System, str]]:
    folder = tmp_path_factory.mktemp("rate-limits")
    with own_database(vendor=connection.vendor, folder=folder, suffix="limits") as database_url:
        environment = system_environment(
            database_url=database_url,
            WEB_PROCESSES="2",
            WEB_THREADS="4",
            RATE_LIMIT_ANONYMOUS_API_PER_ADDRESS_PER_MINUTE=str(LIMIT),
        )
        load_demo(environment)
        with running_systems(environments=[environment], folder=folder) as [system]:
            yield system, database_url


def test_two_processes_answer_no_more_than_the_limit_between_them(
    served: tuple[System, str],
) -> None:
    system, database_url = served

    def ask(_: int) -> tuple[int, str]:
        status, headers, _body = request(f"{system.base}/api/v1/locations")
        return status, headers.get("Retry-After", "")

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(ask, range(REQUESTS)))
    statuses = Counter(status for status, _ in answers)
    assert set(statuses) == {200, 429}
    assert all(retry for status, retry in answers if status == 429)
    # The windows the requests fell in (one, unless a minute turned
    # meanwhile): each let through exactly the limit, counted together.
    windows = fetch_rows(
        database_url, "SELECT hits FROM rate_limits_window WHERE key LIKE %s", ["api-address:%"]
    )
    assert sum(hits for (hits,) in windows) == REQUESTS
    assert statuses[200] == sum(min(hits, LIMIT) for (hits,) in windows)
    if len(windows) == 1:
        assert statuses[200] == LIMIT
