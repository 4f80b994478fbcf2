"""IMAP IDLE (RFC 2177): for a mailbox set to it, a worker keeps a
connection open and the server tells it when mail arrives; the mailbox is
then due to be read at the worker's next round, within seconds, rather than
at the next minute's look.

Watching only makes the mailbox due: reading stays mailbox_reading.py's,
so what is kept, and what a failure says on the manager's overview, is the
same whichever way mail was noticed. A watched mailbox is looked in all the
same every quarter of an hour (MAILBOX_IDLE_READ_SECONDS), in case the
server failed to tell; one nobody watches (its server without IDLE, or its
watcher gone) is looked in every minute as any other.

One connection per mailbox however many workers run: the worker that
claims the mailbox's watch holds it for a lease it renews after every
IDLE, and a worker that dies frees it when the lease runs out."""

import enum
import logging
from collections.abc import Callable
from datetime import timedelta

from django.db.models import Q

from skranke.core import clock
from skranke.inquiries.imap_client import open_mailbox
from skranke.inquiries.mailbox_reading import MAILBOX_FAILURES, mailbox_access
from skranke.inquiries.models import Mailbox

logger = logging.getLogger(__name__)

# One IDLE at most this long before it is said again: well inside RFC
# 2177's 29 minutes, and inside the idle timeouts of firewalls on the way.
IDLE_SECONDS = 5 * 60
# A watch not renewed for this long is free for another worker to take.
LEASE = timedelta(seconds=2 * IDLE_SECONDS)


class WatchEnded(enum.Enum):
    """Why watch_mailbox returned: whether, and when, to try again."""

    STOPPED = "stopped"  # told to stop
    TAKEN = "taken"  # another worker watches it, or it is no longer set to IDLE
    NO_IDLE = "no_idle"  # the server does not tell: try again much later
    FAILED = "failed"  # it could not be reached or signed in to


def mailboxes_to_watch() -> list[int]:
    """The active mailboxes set to IDLE that no worker watches now."""
    now = clock.now()
    return list(
        Mailbox.objects.filter(active=True, new_mail=Mailbox.NewMail.IDLE)
        .filter(Q(watched_until__isnull=True) | Q(watched_until__lte=now))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def claim_watch(*, mailbox_id: int, watcher: str) -> bool:
    """Take the mailbox's watch for `watcher`, or renew it: False if another
    worker holds it, or the mailbox is no longer active and set to IDLE."""
    now = clock.now()
    free = Q(watched_until__isnull=True) | Q(watched_until__lte=now) | Q(watched_by=watcher)
    return bool(
        Mailbox.objects.filter(
            free, pk=mailbox_id, active=True, new_mail=Mailbox.NewMail.IDLE
        ).update(watched_by=watcher, watched_until=now + LEASE)
    )


def release_watches(*, watcher: str) -> int:
    """Give up every watch `watcher` holds (a worker stopping): the
    mailboxes are looked in every minute again until another takes them."""
    return Mailbox.objects.filter(watched_by=watcher).update(watched_by="", watched_until=None)


def watch_mailbox(
    *,
    mailbox_id: int,
    watcher: str,
    should_stop: Callable[[], bool],
    idle_seconds: float = IDLE_SECONDS,
) -> WatchEnded:
    """Hold the mailbox's IDLE, making it due whenever the server tells of
    new mail, until `should_stop` says so (checked after every IDLE), the
    watch is lost, the server turns out not to tell, or the mailbox fails;
    why it ended. A failure is left to the reading to say (the mailbox is
    looked in every minute once the watch is let go)."""
    if not claim_watch(mailbox_id=mailbox_id, watcher=watcher):
        return WatchEnded.TAKEN
    try:
        mailbox = Mailbox.objects.get(pk=mailbox_id)
        with open_mailbox(access=mailbox_access(mailbox=mailbox)) as session:
            # Whatever came between the last look and this IDLE.
            _make_due(mailbox_id=mailbox_id)
            while not should_stop():
                if not session.can_wait():
                    return WatchEnded.NO_IDLE
                if session.wait_for_new(seconds=idle_seconds):
                    _make_due(mailbox_id=mailbox_id)
                if not claim_watch(mailbox_id=mailbox_id, watcher=watcher):
                    return WatchEnded.TAKEN
            return WatchEnded.STOPPED
    except MAILBOX_FAILURES as error:
        logger.info("mailbox %s not watched: %s", mailbox_id, type(error).__name__)
        return WatchEnded.FAILED
    finally:
        Mailbox.objects.filter(pk=mailbox_id, watched_by=watcher).update(
            watched_by="", watched_until=None
        )


def _make_due(*, mailbox_id: int) -> None:
    """Due at the worker's next round (read_mailboxes reads a mailbox never
    read, or marked so, first)."""
    Mailbox.objects.filter(pk=mailbox_id).update(read_at=None)
