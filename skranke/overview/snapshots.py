"""The live figures as last worked out, one row for everyone watching the
same thing: twenty managers' overviews of one town hall, or its ten
wallboards, share one snapshot, in whichever of the app server's
processes they are answered.

A screen asks every few seconds with the version it shows. The answer
reads one row: while the row's version was read within `fresh_for`, it is
the answer, and a screen that shows it is told "nothing new" without
anything being worked out. When the row is older, the first request to
move its `checked_at` reads the version again (version.py), and works the
figures out again only if it moved; the requests meanwhile answer from
the row as it is. So the figures are worked out at most once per
`fresh_for` and per change, however many screens watch and however fast
the queue moves, and a screen is at most `fresh_for` and one poll behind
the desks. Each snapshot says the minute it was read (the page's "As of").
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils.safestring import SafeString, mark_safe

from skranke.core import clock
from skranke.overview.models import LiveSnapshot

# A snapshot nobody has asked for in a day is of a scope nobody watches
# (a manager moved, a wallboard taken down): it goes when a new one is made.
UNWATCHED = timedelta(days=1)


@dataclass(frozen=True)
class Snapshot:
    key: str
    version: str
    html: str | None  # None: not read, as a screen that shows this version needs nothing of it

    def read_html(self) -> SafeString:
        """The figures. Read from the row if not made here: they may be a
        newer version's by now, which is as good (they name their version).
        Safe to put in a page as it is: it is what our template made."""
        if self.html is not None:
            return mark_safe(self.html)  # noqa: S308 - rendered by our own template
        html = LiveSnapshot.objects.filter(key=self.key).values_list("html", flat=True).get()
        return mark_safe(html)  # noqa: S308 - rendered by our own template


def snapshot_key(*parts: object) -> str:
    """The row's key for what is watched and how: the places, the language,
    what the watcher's role shows."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def read_snapshot(
    *,
    key: str,
    fresh_for: timedelta,
    read_version: Callable[[], str],
    render: Callable[[str], str],
) -> Snapshot:
    """The snapshot under `key`, remade if it was last checked more than
    `fresh_for` ago and its version has moved since. `render(version)`
    gives the figures' HTML. A page opened (or shown again after an
    action) asks with `fresh_for` zero: the version is read at once, and
    the figures are those of this instant."""
    now = clock.now()
    row = _look(key=key)
    if row is None:
        return _make_first(key=key, read_version=read_version, render=render)
    pk, version, checked_at = row
    # A checked_at ahead of the clock (a training installation started
    # again at an earlier moment) counts as old.
    if fresh_for and now - fresh_for < checked_at <= now:
        return Snapshot(key=key, version=version, html=None)
    claimed = LiveSnapshot.objects.filter(pk=pk, checked_at=checked_at).update(checked_at=now)
    if not claimed:
        # Another request is reading the version at this moment.
        return Snapshot(key=key, version=version, html=None)
    current = read_version()
    if current == version:
        return Snapshot(key=key, version=version, html=None)
    html = render(current)
    LiveSnapshot.objects.filter(pk=pk).update(version=current, html=html, made_at=now)
    return Snapshot(key=key, version=current, html=html)


def _look(*, key: str) -> tuple[int, str, datetime] | None:
    return LiveSnapshot.objects.filter(key=key).values_list("pk", "version", "checked_at").first()


def _make_first(
    *, key: str, read_version: Callable[[], str], render: Callable[[str], str]
) -> Snapshot:
    version = read_version()
    html = render(version)
    _keep_new(key=key, version=version, html=html)
    return Snapshot(key=key, version=version, html=html)


def _keep_new(*, key: str, version: str, html: str) -> None:
    now = clock.now()
    LiveSnapshot.objects.filter(checked_at__lt=now - UNWATCHED).delete()
    try:
        with transaction.atomic():
            LiveSnapshot.objects.create(
                key=key, version=version, html=html, made_at=now, checked_at=now
            )
    except IntegrityError:
        pass  # made at the same moment by another request: as good as this one
