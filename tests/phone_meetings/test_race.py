"""Colleagues pressing "Take the call" on one meeting at the same moment,
in real threads on real PostgreSQL connections: exactly one gets it."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from skranke.accounts.models import User
from skranke.core.models import Location
from skranke.phone_meetings import meeting_calls
from skranke.phone_meetings.errors import CallTaken
from skranke.phone_meetings.meeting_calls import claim_meeting, release_meeting
from skranke.phone_meetings.models import MeetingCall
from tests.phone_meetings.conftest import BookMeeting, staff_member
from tests.races import meet_after

THREADS = 8


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("given_back", [False, True], ids=["first claim", "given back"])
def test_exactly_one_of_eight_colleagues_pressing_at_once_gets_the_call(
    book_meeting: BookMeeting,
    centre: Location,
    monkeypatch: pytest.MonkeyPatch,
    given_back: bool,
) -> None:
    booking = book_meeting(10)
    colleagues = [staff_member(f"kollega{number}", centre) for number in range(THREADS)]
    if given_back:  # the call's row exists already, free again
        claim_meeting(booking=booking, staff=colleagues[0])
        release_meeting(booking=booking, staff=colleagues[0])

    # A meeting point after every look at the call: each colleague waits
    # there until all have looked (or a second has passed), so all
    # have seen the call free before anyone writes, and only the write
    # itself can tell them apart. A claim that trusted what it read, before
    # or inside its transaction, would give the call to everyone, every
    # time, not only when the timing is unlucky. (The losers' second look
    # finds fewer than all at the meeting point, waits it out once, and
    # breaks it for the rest.)
    meet_after(monkeypatch, meeting_calls, "_current_call", racers=THREADS)
    start = threading.Barrier(THREADS)

    def press(colleague: User) -> str:
        connection.ensure_connection()  # connect first, so the race is in the claim
        start.wait()
        try:
            claim_meeting(booking=booking, staff=colleague)
            return "claimed"
        except CallTaken:
            return "taken"
        except Exception as error:
            return repr(error)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = list(pool.map(press, colleagues))

    assert results.count("claimed") == 1, results
    assert results.count("taken") == THREADS - 1, results
    winner = colleagues[results.index("claimed")]
    assert MeetingCall.objects.get(booking=booking).claimed_by == winner
    assert MeetingCall.objects.filter(booking=booking).count() == 1
