"""Which reads the router may send to the replica (skranke/database/
replica.py): only within a heavy read, only the municipalities' rows, never
inside a transaction, never when the replica is not usable."""

import pytest
from django.contrib.sessions.models import Session
from django.db import transaction

from skranke.accounts.models import User
from skranke.database import replica
from skranke.database.replica import ReplicaRouter, ReplicaState, replica_reads
from skranke.inquiries.models import Inquiry
from skranke.queueing.models import Visit
from skranke.rate_limits.models import Window

USABLE = ReplicaState(usable=True, lag_seconds=0.0, until=float("inf"))


@pytest.fixture
def with_replica(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(replica, "replica_configured", lambda: True)
    monkeypatch.setattr(replica, "replica_state", lambda: USABLE)


def test_without_a_replica_every_read_goes_to_the_primary() -> None:
    with replica_reads():
        assert ReplicaRouter().db_for_read(Visit) is None


def test_only_heavy_reads_of_the_municipalities_rows_go_to_the_replica(
    with_replica: None,
) -> None:
    router = ReplicaRouter()
    assert router.db_for_read(Visit) is None  # not asked for
    with replica_reads():
        assert router.db_for_read(Visit) == "replica"
        assert router.db_for_read(Inquiry) == "replica"
        # What must be read where it was written.
        for model in (Session, User, Window):
            assert router.db_for_read(model) is None
    assert router.db_for_read(Visit) is None
    assert router.db_for_write(Visit) is None
    assert router.allow_migrate("replica", "queueing") is False


@pytest.mark.django_db(transaction=True)
def test_a_read_inside_a_transaction_sees_its_own_writes(with_replica: None) -> None:
    with replica_reads(), transaction.atomic():
        assert ReplicaRouter().db_for_read(Visit) is None


def test_a_replica_lagging_or_down_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(replica, "replica_configured", lambda: True)
    behind = ReplicaState(usable=False, lag_seconds=45.0, until=float("inf"))
    monkeypatch.setattr(replica, "replica_state", lambda: behind)
    with replica_reads():
        assert ReplicaRouter().db_for_read(Visit) is None
