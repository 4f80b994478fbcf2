"""IMAP IDLE: a mailbox set to it is read within seconds of its mail's
arrival, watched by one worker at a time, and looked in at the long
interval all the same (skranke/inquiries/mailbox_watching.py and the
worker's threads, skranke/worker/mailbox_watchers.py)."""

import os
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection

from skranke.core import clock
from skranke.inquiries.imap_client import MailboxSession
from skranke.inquiries.mailbox_reading import read_mailboxes
from skranke.inquiries.mailbox_watching import (
    LEASE,
    WatchEnded,
    claim_watch,
    mailboxes_to_watch,
    release_watches,
    watch_mailbox,
)
from skranke.inquiries.models import Inquiry, Mailbox
from skranke.worker.mailbox_watchers import LOOK_SECONDS, MailboxWatchers
from tests.centre import MONDAY, at
from tests.inquiries.conftest import mail
from tests.mail_servers import ImapServer
from tests.notifications.test_worker_restart import database_url, wait_until
from tests.real_time import real_timestamp

ROOT = Path(__file__).resolve().parents[2]


def watched(mailbox: Mailbox) -> Mailbox:
    Mailbox.objects.filter(pk=mailbox.pk).update(new_mail=Mailbox.NewMail.IDLE)
    return Mailbox.objects.get(pk=mailbox.pk)


@pytest.mark.django_db(transaction=True)
def test_mail_arriving_during_idle_makes_the_mailbox_due_at_once(
    mailbox: Mailbox, imap_server: ImapServer, idling: threading.Event
) -> None:
    clock.set_now(at(7, 10, 0))
    mailbox = watched(mailbox)
    assert read_mailboxes() == 0
    stop = threading.Event()
    ended: list[WatchEnded] = []

    def watch() -> None:
        try:
            # A ceiling, not a measure: the server tells at once.
            ended.append(
                watch_mailbox(
                    mailbox_id=mailbox.pk,
                    watcher="worker-1",
                    should_stop=stop.is_set,
                    idle_seconds=120,
                )
            )
        finally:
            connection.close()

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        assert idling.wait(timeout=60), "the watcher never began IDLE"
        # What came before the IDLE is looked for once as it begins.
        assert Mailbox.objects.get().read_at is None
        assert read_mailboxes() == 0
        assert Mailbox.objects.get().read_at == at(7, 10, 0)
        # Not due by the clock: a minute later a watched mailbox waits.
        clock.advance(timedelta(minutes=1))
        assert Mailbox.objects.get().watched_by == "worker-1"
        stop.set()  # after this IDLE
        imap_server.deliver(mail(subject="Mit sygesikringskort"))
        wait_until(lambda: Mailbox.objects.get().read_at is None)
    finally:
        stop.set()
        watcher.join(timeout=180)

    assert ended == [WatchEnded.STOPPED]
    # The watch is given up with the thread.
    assert Mailbox.objects.get().watched_until is None
    assert read_mailboxes() == 1
    assert Inquiry.objects.get().subject == "Mit sygesikringskort"


def test_a_watched_mailbox_is_looked_in_at_the_long_interval_and_an_unwatched_one_each_minute(
    mailbox: Mailbox,
) -> None:
    clock.set_now(at(7, 10, 0))
    mailbox = watched(mailbox)
    read_mailboxes()
    assert claim_watch(mailbox_id=mailbox.pk, watcher="worker-1")

    clock.advance(timedelta(minutes=2))
    read_mailboxes()
    assert Mailbox.objects.get().read_at == at(7, 10, 0)
    # The server may fail to tell: a quarter of an hour on, looked in.
    clock.advance(timedelta(minutes=13))
    assert claim_watch(mailbox_id=mailbox.pk, watcher="worker-1")  # renewed
    read_mailboxes()
    assert Mailbox.objects.get().read_at == at(7, 10, 15)

    # Set back to polling while still watched: every minute at once.
    assert claim_watch(mailbox_id=mailbox.pk, watcher="worker-1")
    Mailbox.objects.update(new_mail=Mailbox.NewMail.POLL)
    clock.advance(timedelta(minutes=1))
    read_mailboxes()
    assert Mailbox.objects.get().read_at == clock.now()
    Mailbox.objects.update(new_mail=Mailbox.NewMail.IDLE)

    # Its watcher gone (the lease run out): every minute, as any other.
    clock.advance(LEASE + timedelta(seconds=1))
    read_mailboxes()
    assert Mailbox.objects.get().read_at == clock.now()


def test_one_worker_watches_a_mailbox_and_a_dead_workers_watch_runs_out(
    mailbox: Mailbox,
) -> None:
    clock.set_now(at(7, 10, 0))
    assert mailboxes_to_watch() == []  # set to poll
    assert not claim_watch(mailbox_id=mailbox.pk, watcher="worker-1")
    mailbox = watched(mailbox)
    assert mailboxes_to_watch() == [mailbox.pk]

    assert claim_watch(mailbox_id=mailbox.pk, watcher="worker-1")
    assert mailboxes_to_watch() == []
    assert not claim_watch(mailbox_id=mailbox.pk, watcher="worker-2")
    clock.advance(LEASE - timedelta(seconds=1))
    assert not claim_watch(mailbox_id=mailbox.pk, watcher="worker-2")
    # worker-1 died without a word.
    clock.advance(timedelta(seconds=2))
    assert mailboxes_to_watch() == [mailbox.pk]
    assert claim_watch(mailbox_id=mailbox.pk, watcher="worker-2")
    assert not claim_watch(mailbox_id=mailbox.pk, watcher="worker-1")

    # A worker stopping gives its watches up.
    assert release_watches(watcher="worker-2") == 1
    assert mailboxes_to_watch() == [mailbox.pk]
    # Set back to polling, or made inactive: no longer watched.
    Mailbox.objects.update(active=False)
    assert mailboxes_to_watch() == []
    assert not claim_watch(mailbox_id=mailbox.pk, watcher="worker-1")


def test_a_server_without_idle_is_looked_in_every_minute(
    mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock.set_now(at(7, 10, 0))
    mailbox = watched(mailbox)
    # A server that does not offer IDLE.
    monkeypatch.setattr(MailboxSession, "can_wait", lambda self: False)
    ended = watch_mailbox(mailbox_id=mailbox.pk, watcher="worker-1", should_stop=lambda: False)
    assert ended is WatchEnded.NO_IDLE
    assert Mailbox.objects.get().watched_until is None


def test_a_mailbox_that_cannot_be_reached_is_not_watched_and_the_reading_says_why(
    mailbox: Mailbox,
) -> None:
    clock.set_now(at(7, 10, 0))
    mailbox = watched(mailbox)
    Mailbox.objects.update(password="udløbet")
    ended = watch_mailbox(mailbox_id=mailbox.pk, watcher="worker-1", should_stop=lambda: False)
    assert ended is WatchEnded.FAILED
    assert Mailbox.objects.get().watched_until is None
    read_mailboxes()
    assert Mailbox.objects.get().status == Mailbox.Status.REFUSED


class FakeWatch:
    """Stands for watch_mailbox in the worker's threads: records who was
    watched, and ends as told when released."""

    def __init__(self) -> None:
        self.calls: list[int] = []
        self.release = threading.Event()
        self.ending = WatchEnded.STOPPED

    def __call__(
        self, *, mailbox_id: int, watcher: str, should_stop: Callable[[], bool]
    ) -> WatchEnded:
        self.calls.append(mailbox_id)
        self.release.wait(timeout=60)
        return self.ending


def test_the_worker_starts_one_thread_per_mailbox_and_waits_after_a_failure(
    mailbox: Mailbox,
) -> None:
    now = [1000.0]
    fake = FakeWatch()
    watchers = MailboxWatchers(watch=fake, clock=lambda: now[0])
    assert watchers.start_watchers() == 0  # set to poll
    mailbox = watched(mailbox)
    # It looks again only after LOOK_SECONDS.
    assert watchers.start_watchers() == 0
    now[0] += LOOK_SECONDS
    assert watchers.start_watchers() == 1
    assert watchers.watching() == [mailbox.pk]
    # Its thread still runs: not a second.
    now[0] += LOOK_SECONDS
    assert watchers.start_watchers() == 0

    fake.ending = WatchEnded.FAILED
    fake.release.set()
    watchers.join(timeout=60)
    assert watchers.watching() == []
    # A failed mailbox waits MAILBOX_RETRY_SECONDS (300) before the next try.
    now[0] += LOOK_SECONDS
    assert watchers.start_watchers() == 0
    now[0] += 300
    assert watchers.start_watchers() == 1
    watchers.join(timeout=60)
    assert fake.calls == [mailbox.pk, mailbox.pk]

    watchers.stop()
    now[0] += 3600
    assert watchers.start_watchers() == 0


@pytest.mark.django_db(transaction=True)
def test_a_running_worker_reads_mail_within_seconds_of_its_arrival(
    mailbox: Mailbox, imap_server: ImapServer
) -> None:
    mailbox = watched(mailbox)
    environment = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DATABASE_URL": database_url(),
        "SKRANKE_CLOCK_START": (MONDAY + timedelta(hours=2)).isoformat(),
        "SKRANKE_CLOCK_ANCHOR": str(real_timestamp()),
        "MAILBOX_CA_FILE": str(imap_server.ca_path),
        # Only IDLE can make it read the mailbox again within the hour.
        "MAILBOX_READ_SECONDS": "3600",
        "MAILBOX_IDLE_READ_SECONDS": "3600",
    }
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--rest", "0.2"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # Read once, then watched (the worker's round reads before it
        # starts its watchers).
        wait_until(lambda: Mailbox.objects.get().watched_until is not None, seconds=120)
        # The first mail may be read as the watch begins; the second, only
        # when the server tells of it.
        imap_server.deliver(mail(subject="Pas"))
        wait_until(lambda: Inquiry.objects.count() == 1, seconds=120)
        imap_server.deliver(mail(subject="Kørekort"))
        wait_until(lambda: Inquiry.objects.count() == 2, seconds=120)
        assert Mailbox.objects.get().watched_until is not None
    finally:
        worker.terminate()
        _, errors = worker.communicate(timeout=30)
    assert worker.returncode == 0, errors
    assert sorted(Inquiry.objects.values_list("subject", flat=True)) == ["Kørekort", "Pas"]
    # A stopped worker gives its watch up.
    assert Mailbox.objects.get().watched_until is None
