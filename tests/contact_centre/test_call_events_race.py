"""A new call's events arriving all at once, some of them twice (the phone
system retrying), in real threads on real database connections: one live
call, every moment kept, one call record. Run on SQLite and on PostgreSQL
(make test); on PostgreSQL it fails when the row is not locked."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection

from skranke.contact_centre import call_events
from skranke.contact_centre.call_events import CallEvent, receive_call_event
from skranke.contact_centre.models import Call, LiveCall
from skranke.core import clock
from skranke.core.models import Location
from tests.centre import at
from tests.races import meet_after

pytestmark = pytest.mark.django_db(transaction=True)

TEN = at(7, 10, 0)
EVENTS = [
    (CallEvent.OFFERED, TEN),
    (CallEvent.ANSWERED, TEN + timedelta(seconds=12)),
    (CallEvent.ENDED, TEN + timedelta(minutes=3)),
] * 3


def test_a_calls_events_at_once_make_one_call_with_every_moment(
    centre: Location, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock.set_now(TEN + timedelta(minutes=4))
    # A meeting point after every look for the call's row: each event waits
    # there until all have looked (or a second has passed), so that
    # without the row's lock all would read it before any writes, and the
    # last to save would undo the others' moments every time. With the lock,
    # the looks come one by one: the first waits out the meeting alone.
    meet_after(monkeypatch, call_events, "_locked_live_call", racers=len(EVENTS))
    start = threading.Barrier(len(EVENTS))

    def send(event: tuple[CallEvent, object]) -> str:
        connection.ensure_connection()  # connect first, so the race is in the event
        start.wait()
        try:
            received = receive_call_event(
                municipality=centre.municipality,
                call_id="A1",
                event=event[0],
                at=event[1],  # type: ignore[arg-type]
                queue="Pas",
            )
            return "changed" if received.changed else "known"
        except Exception as error:
            return repr(error)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(EVENTS)) as pool:
        results = list(pool.map(send, EVENTS))

    assert sorted(results) == ["changed"] * 3 + ["known"] * 6, results
    live = LiveCall.objects.get()
    assert live.recorded_at is not None
    recorded = Call.objects.get()
    assert (recorded.offered_at, recorded.answered_at, recorded.ended_at, recorded.queue) == (
        TEN,
        TEN + timedelta(seconds=12),
        TEN + timedelta(minutes=3),
        "Pas",
    )
