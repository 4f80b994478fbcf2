"""The heavy reads from a real streaming replica: two PostgreSQL clusters
of the tests' own (tests/postgres_replica.py), the app's code run in
processes of its own against them, as an app server would. The figures
come from the replica and agree with the primary; a replica that lags
beyond the setting, or is down, is not used, and the figures come from
the primary."""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from tests.postgres_replica import ReplicatedPostgres

pytestmark = pytest.mark.postgres_only

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True, scope="module")
def _in_the_postgresql_suite() -> None:
    # The clusters are the tests' own, whatever the suite's database: run
    # once, in the PostgreSQL suite (make test-postgres, under CI too).
    if connection.vendor != "postgresql":
        pytest.skip("the replica's tests run in the PostgreSQL suite")


def environment(servers: ReplicatedPostgres, **more: str) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DATABASE_URL": servers.url(),
        "DATABASE_REPLICA_URL": servers.url(replica=True),
        **more,
    }


def run(servers: ReplicatedPostgres, *command: str, **more: str) -> str:
    """A command of the app's, in a process of its own against the two
    servers; what it printed."""
    done = subprocess.run(
        [sys.executable, *command],
        cwd=ROOT,
        env=environment(servers, **more),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def probe(servers: ReplicatedPostgres, command: str, **more: str) -> dict[str, Any]:
    lines = run(servers, "-m", "tests.database.replica_probe", command, **more).splitlines()
    return json.loads(lines[-1]) if lines else {}


def on_primary(servers: ReplicatedPostgres) -> int:
    (count,) = servers.sql("SELECT count(*) FROM inquiries_inquiry")[0]
    assert isinstance(count, int)
    return count


@pytest.fixture(scope="module")
def servers(replicated_postgres: ReplicatedPostgres) -> ReplicatedPostgres:
    """Migrated on the primary (the replica follows), with two inquiries."""
    run(replicated_postgres, "manage.py", "migrate", "--noinput", "-v", "0")
    probe(replicated_postgres, "add")
    probe(replicated_postgres, "add")
    return replicated_postgres


def test_the_figures_come_from_the_replica_and_agree_with_the_primary(
    servers: ReplicatedPostgres,
) -> None:
    servers.wait_for_replica()
    counted = probe(servers, "figures")
    assert counted == {"read_from": "replica", "received": on_primary(servers), "lag_seconds": 0.0}

    # The replica held back: what the primary has since is not in the
    # figures, so they came from the replica.
    before = on_primary(servers)
    servers.pause_replay()
    try:
        probe(servers, "add")
        held = probe(servers, "figures", DATABASE_REPLICA_MAX_LAG_SECONDS="3600")
        assert (held["read_from"], held["received"]) == ("replica", before)
        assert held["lag_seconds"] > 0
        # Further behind than allowed: read from the primary, up to date.
        behind = probe(servers, "figures", DATABASE_REPLICA_MAX_LAG_SECONDS="0")
        assert (behind["read_from"], behind["received"]) == ("default", before + 1)
    finally:
        servers.resume_replay()

    servers.wait_for_replica()
    caught_up = probe(servers, "figures")
    assert (caught_up["read_from"], caught_up["received"]) == ("replica", before + 1)


def test_with_the_replica_down_the_figures_come_from_the_primary(
    servers: ReplicatedPostgres,
) -> None:
    servers.stop_replica()
    try:
        down = probe(servers, "figures")
    finally:
        servers.start_replica()
    assert down == {"read_from": "default", "received": on_primary(servers), "lag_seconds": None}


def test_nothing_is_written_to_or_migrated_on_the_replica(servers: ReplicatedPostgres) -> None:
    # Every write went to the primary: a replica refuses writes, and the
    # probe's own went through. Migrating the replica alias does nothing.
    run(servers, "manage.py", "migrate", "--database", "replica", "--noinput")
    ((in_recovery,),) = servers.sql("SELECT pg_is_in_recovery()", replica=True)
    assert in_recovery
