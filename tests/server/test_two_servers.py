"""A municipality's installation scaled out: two app servers, each with its
worker (two `make run`s on two ports), on one PostgreSQL database. Nothing
may depend on there being one process: citizens racing through both
servers book a time no more often than it has desks, and the two workers
share the outbox without sending any message twice."""

import contextlib
import functools
import json
import os
import signal
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection

from tests.real_time import real_timestamp
from tests.server.running_system import (
    System,
    fetch_rows,
    load_demo,
    own_database,
    request,
    running_systems,
    system_environment,
    wait_until,
)
from tests.server.test_booking_race_through_server import (
    assert_every_desk_was_booked,
    assert_exactly_the_capacity_was_booked,
    race_for_one_time,
    race_in_pairs,
)

pytestmark = pytest.mark.postgres_only

# Bookings made while both workers are paused; each confirmed by text
# message and by e-mail. A batch for each worker alone, and one for both.
BOOKINGS = 30
SOLO_PHONES = ("28 37", "28 38")
BATCH_PHONES = "28 33"
OPEN_CONFIRMATIONS = (
    "SELECT count(*) FROM notifications_message"
    " WHERE kind = 'confirmation' AND status IN ('pending', 'sending')"
)


@dataclass(frozen=True)
class Installation:
    servers: list[System]
    database_url: str
    # Where each server's worker writes the messages it sends.
    outboxes: list[Path]


@pytest.fixture(scope="module")
def installation(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installation]:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    folder = tmp_path_factory.mktemp("two-servers")
    outboxes = [folder / "outbox-0", folder / "outbox-1"]
    with own_database(vendor="postgresql", folder=folder, suffix="two_servers") as database_url:
        shared = system_environment(
            database_url=database_url,
            WEB_PROCESSES="1",
            WEB_THREADS="4",
            # Every message sent is a file, named by the message, in the
            # sending worker's own folder.
            SMS_TRANSPORT="file",
            EMAIL_TRANSPORT="file",
            # Both installations on the same training clock, to the second.
            SKRANKE_CLOCK_ANCHOR=str(real_timestamp()),
        )
        load_demo(shared)
        environments = [shared | {"MESSAGE_OUTBOX_DIR": str(outbox)} for outbox in outboxes]
        with running_systems(environments=environments, folder=folder) as servers:
            yield Installation(servers, database_url, outboxes)


def test_citizens_racing_through_two_servers_book_a_time_no_more_often_than_it_has_desks(
    installation: Installation,
) -> None:
    race = race_for_one_time(
        systems=installation.servers,
        database_url=installation.database_url,
        phone_prefix="28 32",
    )
    assert_exactly_the_capacity_was_booked(race)
    pairs = race_in_pairs(
        systems=installation.servers,
        database_url=installation.database_url,
        phone_prefix="28 35",
    )
    assert_every_desk_was_booked(pairs)


def test_two_workers_share_the_outbox_and_send_every_message_exactly_once(
    installation: Installation,
) -> None:
    database_url = installation.database_url
    outboxes = installation.outboxes

    def no_open_confirmations() -> bool:
        return fetch_rows(database_url, OPEN_CONFIRMATIONS) == [(0,)]

    wait_until(no_open_confirmations, seconds=30)  # the demo's and the race's
    workers = [pid for pid in (server.worker_pid() for server in installation.servers) if pid]
    assert len(workers) == 2

    # Each worker alone, the other held back: each claims and sends a batch
    # by itself, so neither of them is idle or broken. (Together, which one
    # sends how many is up to the machine's scheduler: on a busy machine one
    # may claim them all before the other wakes.)
    for alone, phones in enumerate(SOLO_PHONES):
        with paused(workers):
            batch = confirm_many_bookings(installation.servers, database_url, phones=phones)
            resume(workers[alone])
            wait_until(no_open_confirmations, seconds=30)
        assert batch <= sent_by(outboxes[alone]), sorted(batch - sent_by(outboxes[alone]))
        assert batch.isdisjoint(sent_by(outboxes[1 - alone]))

    # Both wake at once and find the same messages due.
    with paused(workers):
        batch = confirm_many_bookings(installation.servers, database_url, phones=BATCH_PHONES)
    wait_until(no_open_confirmations, seconds=30)

    confirmations = dict(
        fetch_rows(
            database_url, "SELECT id, status FROM notifications_message WHERE kind = 'confirmation'"
        )
    )
    assert set(confirmations.values()) == {"sent"}
    copies = [sent_by(outbox) for outbox in outboxes]
    # One copy of every message sent, from one worker or the other: the
    # claim kept them apart, whoever was quicker.
    assert copies[0].isdisjoint(copies[1]), sorted(copies[0] & copies[1])
    assert sorted((copies[0] | copies[1]) & confirmations.keys()) == sorted(confirmations)
    shares = [len(batch & copy) for copy in copies]
    assert sum(shares) == len(batch)
    print(f"\n{len(batch)} messages sent by two workers at once: {shares[0]} and {shares[1]}")


@contextlib.contextmanager
def paused(workers: list[int]) -> Iterator[None]:
    """The workers stopped (SIGSTOP) while they rest between rounds, and let
    go on together at the end: each wakes to a new round at once, and finds
    every message due. (Stopped in the middle of a round, one could finish
    it without them and rest a second while the other sent them all.)"""
    try:
        for pid in workers:
            wait_until(functools.partial(resting, pid), seconds=10)
            os.kill(pid, signal.SIGSTOP)
        yield
    finally:
        for pid in workers:
            resume(pid)


def resume(worker: int) -> None:
    """Let a paused worker go on (nothing happens to one that runs)."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(worker, signal.SIGCONT)


def resting(pid: int) -> bool:
    """Whether the kernel says the process waits in a nanosleep (a worker's
    rest). Where it does not say what a process waits in ("0"), any moment
    has to do."""
    waiting_in = Path(f"/proc/{pid}/wchan").read_text()
    return waiting_in in ("", "0") or "nanosleep" in waiting_in


def confirm_many_bookings(servers: list[System], database_url: str, *, phones: str) -> set[int]:
    """BOOKINGS citizens (phone numbers `phones` …) book times of their own,
    through both servers, with a text message and an e-mail confirming
    each; the confirmations' ids, all waiting to be sent."""
    status, _, body = servers[0].get(
        "/api/v1/availability?location=raadhuset&service=folkeregister"
        "&from=2026-12-09&to=2026-12-11"
    )
    assert status == 200
    starts = [slot["start"] for slot in json.loads(body)["slots"]][:BOOKINGS]
    assert len(starts) == BOOKINGS

    def book(number: int) -> int:
        server = servers[number % len(servers)]
        status, _, _ = request(
            f"{server.base}/api/v1/bookings",
            body={
                "location": "raadhuset",
                "service": "folkeregister",
                "start": starts[number],
                "name": f"Borger {number}",
                "phone": f"{phones} {number // 100:02d} {number % 100:02d}",
                "email": f"borger{phones.replace(' ', '')}{number}@example.org",
                "sms_consent": True,
            },
            timeout=60,
        )
        return status

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert Counter(pool.map(book, range(BOOKINGS))) == {201: BOOKINGS}
    batch = {
        message_id
        for (message_id,) in fetch_rows(
            database_url,
            "SELECT message.id FROM notifications_message message"
            " JOIN booking_booking booking ON booking.id = message.booking_id"
            " WHERE booking.phone LIKE %s AND message.kind = 'confirmation'"
            " AND message.status = 'pending'",
            [f"+45{phones.replace(' ', '')}%"],
        )
    }
    assert len(batch) == 2 * BOOKINGS
    return batch


def sent_by(outbox: Path) -> set[int]:
    """The messages a worker sent: the file transport writes one file per
    message and attempt, named <message id>-<attempt>.json."""
    names = [path.name for path in outbox.glob("*.json")]
    ids = [int(name.split("-")[0]) for name in names]
    # A message written twice by one worker would show as two attempts.
    assert len(ids) == len(set(ids)), sorted(names)
    return set(ids)
