"""The live figures' shared snapshot (skranke/overview/snapshots.py):
read again at most once per `fresh_for`, worked out again only when the
version moved, and by one request when several find it old at once."""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection

from skranke.core import clock
from skranke.overview import snapshots
from skranke.overview.models import LiveSnapshot
from skranke.overview.snapshots import read_snapshot, snapshot_key
from tests.centre import at
from tests.races import meet_after

FRESH = timedelta(seconds=2)


class Figures:
    """A stand-in for the overview's version and figures that counts how
    often each was asked for, so a test can tell what was worked out."""

    def __init__(self) -> None:
        self.version = "v1"
        self.versions_read = 0
        self.rendered: list[str] = []
        self._lock = threading.Lock()

    def read_version(self) -> str:
        with self._lock:
            self.versions_read += 1
        return self.version

    def render(self, version: str) -> str:
        with self._lock:
            self.rendered.append(version)
        return f"<p>figures {version}</p>"

    def ask(self, key: str, fresh_for: timedelta = FRESH) -> snapshots.Snapshot:
        return read_snapshot(
            key=key, fresh_for=fresh_for, read_version=self.read_version, render=self.render
        )


@pytest.mark.django_db
def test_fresh_figures_are_taken_as_they_are_and_old_ones_checked_once() -> None:
    clock.set_now(at(7, 10, 0))
    figures = Figures()
    key = snapshot_key("overview", (1,), True, True, "da")
    assert figures.ask(key).read_html() == "<p>figures v1</p>"
    assert figures.rendered == ["v1"]

    # Moved, but within two seconds of the check: every screen gets the
    # snapshot as it is, and nothing is read.
    figures.version = "v2"
    clock.advance(timedelta(seconds=1))
    assert figures.ask(key).version == "v1"
    assert figures.versions_read == 1

    # Older than two seconds: the version is read once, the figures made
    # once, and the next asks take them.
    clock.advance(timedelta(seconds=1))
    made = figures.ask(key)
    assert (made.version, made.read_html()) == ("v2", "<p>figures v2</p>")
    for _ in range(5):
        assert figures.ask(key).read_html() == "<p>figures v2</p>"
    assert figures.versions_read == 2
    assert figures.rendered == ["v1", "v2"]

    # Old again, nothing moved: the version is read, nothing is made.
    clock.advance(timedelta(seconds=3))
    assert figures.ask(key).version == "v2"
    assert (figures.versions_read, len(figures.rendered)) == (3, 2)

    # A page opened asks with no freshness: the version is read at once.
    figures.version = "v3"
    assert figures.ask(key, fresh_for=timedelta(0)).read_html() == "<p>figures v3</p>"


@pytest.mark.django_db
def test_each_scope_has_its_own_and_unwatched_ones_go() -> None:
    clock.set_now(at(7, 10, 0))
    town_hall, library = Figures(), Figures()
    library.version = "library"
    town_hall.ask(snapshot_key("overview", (1,), True, True, "da"))
    assert library.ask(snapshot_key("overview", (2,), True, True, "da")).version == "library"
    assert LiveSnapshot.objects.count() == 2
    # A day later only the scope still watched is kept.
    clock.advance(timedelta(days=1, seconds=1))
    town_hall.ask(snapshot_key("overview", (1,), True, True, "en"))
    assert LiveSnapshot.objects.count() == 1


@pytest.mark.django_db
def test_a_clock_set_back_does_not_keep_old_figures() -> None:
    # A training installation started again at an earlier moment.
    clock.set_now(at(7, 14, 0))
    figures = Figures()
    key = snapshot_key("wallboard", 1, "da")
    figures.ask(key)
    clock.set_now(at(7, 9, 0))
    figures.version = "v2"
    assert figures.ask(key).version == "v2"


RACERS = 6


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_screens_finding_the_figures_old_at_once_make_them_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock.set_now(at(7, 10, 0))
    figures = Figures()
    key = snapshot_key("overview", (1,), True, True, "da")
    figures.ask(key)
    figures.version = "v2"
    clock.advance(timedelta(seconds=3))

    # Every screen looks at the row and waits until all have looked: all
    # see it old, and only the claim (an update of the checked time as it
    # was read) can tell them apart. Without it every screen would work
    # the figures out, every time.
    meet_after(monkeypatch, snapshots, "_look", racers=RACERS)
    start = threading.Barrier(RACERS)

    def poll(_: int) -> str:
        connection.ensure_connection()
        start.wait()
        try:
            return figures.ask(key).version
        finally:
            connection.close()

    run: Callable[[int], str] = poll
    with ThreadPoolExecutor(max_workers=RACERS) as pool:
        versions = list(pool.map(run, range(RACERS)))

    assert figures.rendered == ["v1", "v2"]
    assert figures.versions_read == 2
    # The one that made them answers with them; the others with the row as
    # it was, and take the new figures on their next poll.
    assert sorted(versions) == ["v1"] * (RACERS - 1) + ["v2"]
    assert LiveSnapshot.objects.get(key=key).version == "v2"
