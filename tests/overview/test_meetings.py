"""The overview's telephone meetings are the worklist's: due now and not
taken, overdue, and done, per place."""

import pytest

from skranke.accounts.models import User
from skranke.core import clock
from skranke.core.models import Location
from skranke.overview.now import read_location_now
from skranke.phone_meetings.meeting_calls import (
    claim_meeting,
    finish_meeting_call,
    start_meeting_call,
)
from skranke.phone_meetings.models import MeetingCall
from skranke.phone_meetings.worklist import read_worklist
from tests.centre import at
from tests.phone_meetings.conftest import BookMeeting, book_meeting, caller, phone_service

pytestmark = pytest.mark.django_db

__all__ = ["book_meeting", "caller", "phone_service"]


def test_the_meetings_due_overdue_and_done_are_the_worklists(
    centre: Location, book_meeting: BookMeeting, caller: User
) -> None:
    done, overdue, due, later = (
        book_meeting(10, 0),
        book_meeting(10, 30),
        book_meeting(11, 0),
        book_meeting(13, 0),
    )
    clock.set_now(at(7, 10, 0))
    claim_meeting(booking=done, staff=caller)
    start_meeting_call(booking=done, staff=caller)
    finish_meeting_call(booking=done, staff=caller, outcome=MeetingCall.Outcome.REACHED)
    clock.set_now(at(7, 10, 55))
    meetings = read_location_now(location=centre).meetings
    assert (meetings.due_now, meetings.overdue, meetings.done) == (1, 1, 1)
    worklist = {meeting.booking.pk: meeting for meeting in read_worklist(staff=caller)}
    assert worklist[overdue.pk].overdue
    assert worklist[due.pk].near_time
    assert not worklist[due.pk].overdue
    assert not worklist[later.pk].near_time
