"""/healthz says the process answers; /readyz says whether the installation
can serve citizens: database, migrations, and a worker heard from lately."""

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client

from skranke.core import clock
from skranke.worker.heartbeat import record_heartbeat

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_a_login_and_is_never_cached(
    django_assert_num_queries: object,
) -> None:
    with django_assert_num_queries(0):  # type: ignore[operator]
        response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_readyz_is_ready_with_a_fresh_heartbeat(stopped_clock: datetime) -> None:
    record_heartbeat(moment=stopped_clock - timedelta(seconds=30))
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "failing": [],
        "checks": {"database": "ok", "migrations": "ok", "worker": "ok"},
    }
    assert "no-store" in response["Cache-Control"]


def test_readyz_names_the_worker_when_its_heartbeat_is_stale(stopped_clock: datetime) -> None:
    record_heartbeat(moment=stopped_clock)
    clock.advance(timedelta(minutes=2, seconds=1))
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["worker"]
    assert response.json()["checks"]["worker"] == "silent for 121 s"


def test_readyz_names_a_worker_that_never_ran(stopped_clock: datetime) -> None:
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == "never reported"


def test_readyz_names_the_migrations_when_one_is_not_applied(stopped_clock: datetime) -> None:
    record_heartbeat(moment=stopped_clock)
    # As after an upgrade whose migrations were not run (rolled back with the test).
    MigrationRecorder(connection).record_unapplied("worker", "0001_initial")
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["migrations"]
    assert response.json()["checks"]["migrations"] == "1 unapplied"
