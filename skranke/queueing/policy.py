"""Who is called next: the queue policy, as one pure function over the
waiting citizens (docs/queue-policy.md explains it with examples).

1. A transferred citizen goes first: they have queued once already.
2. Then booked citizens who have checked in and whose time has come,
   earliest time first.
3. Then citizens without a booking, first come first served, but only
   when serving them ends before the next checked-in booked citizen this
   desk could serve is due: a walk-in fills a gap, never delays a booking.
4. Then a checked-in booked citizen whose time has not yet come, earliest
   first: the desk is free and nobody else can use it.

A desk only ever calls the services it handles. Nothing here reads the
database or the clock, so the same function decides the call at the desk
and the expected wait shown at the kiosk (expected_wait below).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Waiting:
    """A citizen in the queue, as the policy sees them."""

    visit: int
    service: int
    arrived_at: datetime
    minutes: int  # how long serving them is expected to take
    due_at: datetime | None = None  # their booked time; None for a walk-in
    transferred: bool = False


def next_visit(
    *, handles: Iterable[int], now: datetime, waiting: Sequence[Waiting]
) -> Waiting | None:
    """The citizen a desk handling the services `handles` calls at `now`,
    or None when nobody it may call is waiting."""
    services = set(handles)
    mine = [w for w in waiting if w.service in services]
    # Citizens who arrived at the same instant go by their visit's number
    # (the order their tickets were given), never by the database's whim.
    transferred = sorted((w for w in mine if w.transferred), key=lambda w: (w.arrived_at, w.visit))
    if transferred:
        return transferred[0]
    booked = sorted(
        (w for w in mine if w.due_at is not None), key=lambda w: (w.due_at, w.arrived_at, w.visit)
    )
    due = [w for w in booked if w.due_at is not None and w.due_at <= now]
    if due:
        return due[0]
    walk_ins = sorted((w for w in mine if w.due_at is None), key=lambda w: (w.arrived_at, w.visit))
    next_due = booked[0].due_at if booked else None
    for walk_in in walk_ins:
        if next_due is None or now + timedelta(minutes=walk_in.minutes) <= next_due:
            return walk_in
    return booked[0] if booked else None


def calling_order(
    *, handles: Iterable[int], now: datetime, waiting: Sequence[Waiting]
) -> list[Waiting]:
    """The citizens a desk handling `handles` may call, in the order it
    would call them one after another from `now`, each taking their
    expected minutes: the desk's waiting list, read top down."""
    services = set(handles)
    left = [w for w in waiting if w.service in services]
    order: list[Waiting] = []
    moment = now
    while left:
        chosen = next_visit(handles=services, now=moment, waiting=left)
        if chosen is None:  # cannot happen while some are left; kept safe
            break
        order.append(chosen)
        left.remove(chosen)
        moment += timedelta(minutes=chosen.minutes)
    return order


@dataclass(frozen=True)
class Desk:
    """An open desk: what it handles and when it is free again."""

    handles: frozenset[int]
    free_at: datetime


def expected_wait(
    *, visit: int, now: datetime, desks: Sequence[Desk], waiting: Sequence[Waiting]
) -> timedelta | None:
    """How long until `visit` is called, if every desk goes on calling by
    next_visit and every visit takes its expected minutes. `waiting` may
    hold citizens who have not come yet (a booking later today): they count
    from their `arrived_at`. None when no open desk handles the visit."""
    target = next((w for w in waiting if w.visit == visit), None)
    if target is None or not any(target.service in desk.handles for desk in desks):
        return None
    queue = list(waiting)
    open_desks = [replace(desk, free_at=max(desk.free_at, now)) for desk in desks]
    # The desk free first calls, by the policy, among those who are there by
    # then, until the visit's turn. A desk with nobody to call waits for the
    # next arrival it could call, or drops out when there is none.
    while open_desks:
        desk = min(open_desks, key=lambda d: d.free_at)
        open_desks.remove(desk)
        present = [w for w in queue if w.arrived_at <= desk.free_at]
        chosen = next_visit(handles=desk.handles, now=desk.free_at, waiting=present)
        if chosen is None:
            later = [w.arrived_at for w in queue if w.service in desk.handles]
            if later:
                open_desks.append(replace(desk, free_at=min(later)))
            continue
        if chosen.visit == visit:
            return desk.free_at - now
        queue.remove(chosen)
        open_desks.append(replace(desk, free_at=desk.free_at + timedelta(minutes=chosen.minutes)))
    return None
