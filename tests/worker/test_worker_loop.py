"""The worker writes its heartbeat as it goes round, and when the database
fails it waits longer after each failure, logs one line per failure and
carries on when the database is back."""

import logging
from datetime import datetime, timedelta

import pytest
from django.db.utils import OperationalError

from skranke.core import clock
from skranke.worker.backoff import backoff_seconds
from skranke.worker.heartbeat import HeartbeatWriter, last_heartbeat
from skranke.worker.jobs import DAY_JOBS, HOUSEKEEPING_JOBS
from skranke.worker.loop import run_worker


def test_the_wait_doubles_after_each_failure_up_to_a_minute() -> None:
    waits = [backoff_seconds(failures=failures) for failures in range(1, 10)]
    assert waits == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    assert backoff_seconds(failures=0) == 0
    assert backoff_seconds(failures=10_000) == 60


@pytest.mark.django_db
def test_the_heartbeat_is_written_at_most_every_ten_seconds(stopped_clock: datetime) -> None:
    writer = HeartbeatWriter()
    assert writer.beat()
    assert last_heartbeat() == stopped_clock
    clock.advance(timedelta(seconds=9))
    assert not writer.beat()
    assert last_heartbeat() == stopped_clock
    clock.advance(timedelta(seconds=1))
    assert writer.beat()
    assert last_heartbeat() == stopped_clock + timedelta(seconds=10)


# The loop closes and reopens connections as the real worker does, which a
# test wrapped in a transaction would not survive.
@pytest.mark.django_db(transaction=True)
def test_the_worker_survives_a_database_that_goes_away_and_comes_back(
    stopped_clock: datetime, caplog: pytest.LogCaptureFixture
) -> None:
    outage = 3  # rounds in which the database fails
    rounds: list[str] = []
    waits: list[float] = []

    def deliver() -> int:
        if len(rounds) < outage:
            rounds.append("failed")
            raise OperationalError("connection to server failed: Connection refused")
        rounds.append("sent")
        return 1

    def stop_after_two_good_rounds() -> bool:
        return rounds.count("sent") >= 2

    with caplog.at_level(logging.INFO, logger="skranke.worker"):
        run_worker(
            jobs=[deliver],
            rest_seconds=1.0,
            should_stop=stop_after_two_good_rounds,
            sleep=waits.append,
        )

    assert rounds == ["failed", "failed", "failed", "sent", "sent"]
    # 1 s, then 2 s, then 4 s (taken in one-second slices).
    assert waits == [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]
    failures = [record for record in caplog.records if record.levelno == logging.WARNING]
    assert len(failures) == outage
    assert all(record.exc_info is None for record in caplog.records)
    assert "Connection refused" in failures[0].getMessage()
    assert "database reachable again after 3 failures" in caplog.text
    assert last_heartbeat() == stopped_clock


@pytest.mark.django_db(transaction=True)
def test_another_failing_job_does_not_stop_the_round(stopped_clock: datetime) -> None:
    done: list[str] = []

    def broken() -> int:
        raise ValueError("a bug in one job")

    def deliver() -> int:
        done.append("sent")
        return 1

    run_worker(
        jobs=[broken, deliver],
        rest_seconds=1.0,
        should_stop=lambda: bool(done),
        sleep=lambda seconds: None,
    )
    assert done == ["sent"]


def test_the_days_work_and_housekeeping_can_run_in_workers_of_their_own() -> None:
    assert not set(DAY_JOBS) & set(HOUSEKEEPING_JOBS)
    names = {
        group: {job.__name__ for job in jobs}
        for group, jobs in (("day", DAY_JOBS), ("housekeeping", HOUSEKEEPING_JOBS))
    }
    # The evening's reminders never wait for an erasure pass.
    assert {"deliver_due_messages", "release_lapsed_holds", "read_mailboxes"} <= names["day"]
    assert {"erase_personal_data", "forget_old_windows"} <= names["housekeeping"]
