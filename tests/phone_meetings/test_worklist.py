"""What the worklist shows: today's telephone meetings at the staff member's
own locations, in time order, with where each call stands, and a flag on
those nobody has taken although their time is near or past."""

from datetime import time

import pytest

from skranke.accounts.models import Role, User
from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.models import Location, OpeningHours
from skranke.phone_meetings.meeting_calls import (
    claim_meeting,
    finish_meeting_call,
    record_no_answer,
    start_meeting_call,
)
from skranke.phone_meetings.models import MeetingCall
from skranke.phone_meetings.worklist import Meeting, State, read_worklist, worklist_version
from tests.centre import at
from tests.phone_meetings.conftest import BookMeeting, staff_member

pytestmark = pytest.mark.django_db


def by_time(meetings: list[Meeting]) -> dict[str, Meeting]:
    return {f"{m.booking.start.astimezone(clock.LOCAL_ZONE):%H:%M}": m for m in meetings}


def test_todays_meetings_come_in_time_order_with_topic_number_and_description(
    book_meeting: BookMeeting, caller: User
) -> None:
    book_meeting(11, note="Navneændring")
    book_meeting(10, note="Flytning til udlandet")
    book_meeting(10, 30)
    meetings = read_worklist(staff=caller)
    assert list(by_time(meetings)) == ["10:00", "10:30", "11:00"]
    first = meetings[0]
    assert first.booking.service.name == "Telephone meeting: Civil registry"
    assert first.booking.note == "Flytning til udlandet"
    assert first.booking.phone.startswith("+45")
    assert first.phone_display == "+45 20 00 01 01"
    assert first.state == State.UNCLAIMED


def test_cancelled_meetings_and_other_days_are_left_out(
    book_meeting: BookMeeting, caller: User
) -> None:
    cancelled = book_meeting(10)
    Booking.objects.filter(pk=cancelled.pk).update(status=Booking.Status.CANCELLED)
    book_meeting(11)
    clock.set_now(at(8, 8))  # the next day
    assert read_worklist(staff=caller) == []


def test_each_state_of_a_call_is_shown(
    book_meeting: BookMeeting, caller: User, colleague: User
) -> None:
    taken, in_call, reached, second, over = (book_meeting(h) for h in (10, 11, 12, 13, 14))
    claim_meeting(booking=taken, staff=colleague)
    for booking in (in_call, reached):
        claim_meeting(booking=booking, staff=caller)
        start_meeting_call(booking=booking, staff=caller)
    finish_meeting_call(booking=reached, staff=caller, outcome=MeetingCall.Outcome.REACHED)
    clock.set_now(at(7, 14, 0))
    for booking in (second, over):
        claim_meeting(booking=booking, staff=caller)
        record_no_answer(booking=booking, staff=caller)
    clock.set_now(at(7, 14, 15))
    claim_meeting(booking=over, staff=caller)
    record_no_answer(booking=over, staff=caller)
    meetings = by_time(read_worklist(staff=caller))
    assert {time: m.state for time, m in meetings.items()} == {
        "10:00": State.CLAIMED,
        "11:00": State.IN_CALL,
        "12:00": State.REACHED,
        "13:00": State.SECOND_ATTEMPT,
        "14:00": State.NO_ANSWER,
    }
    assert meetings["10:00"].claimed_by == colleague
    assert meetings["13:00"].due_at == at(7, 14, 15)  # 15 minutes after the first attempt
    assert meetings["13:00"].attempt == 2
    assert meetings["14:00"].told_by == "sms"
    assert meetings["12:00"].told_by == ""


@pytest.mark.parametrize(
    ("now", "near", "overdue"),
    [
        ((9, 49), False, False),
        ((9, 50), True, False),
        ((10, 0), True, True),
        ((11, 30), True, True),
    ],
)
def test_an_unclaimed_meeting_is_flagged_from_ten_minutes_before_its_time(
    book_meeting: BookMeeting,
    caller: User,
    now: tuple[int, int],
    near: bool,
    overdue: bool,
) -> None:
    book_meeting(10)
    clock.set_now(at(7, *now))
    (meeting,) = read_worklist(staff=caller)
    assert (meeting.near_time, meeting.overdue) == (near, overdue)


def test_a_taken_or_finished_meeting_is_not_flagged(
    book_meeting: BookMeeting, caller: User
) -> None:
    taken, done = book_meeting(10), book_meeting(10, 15)
    claim_meeting(booking=taken, staff=caller)
    claim_meeting(booking=done, staff=caller)
    finish_meeting_call(booking=done, staff=caller, outcome=MeetingCall.Outcome.REACHED)
    clock.set_now(at(7, 10, 30))
    assert [m.near_time for m in read_worklist(staff=caller)] == [False, False]


def test_a_second_attempt_is_flagged_by_its_own_time(
    book_meeting: BookMeeting, caller: User
) -> None:
    booking = book_meeting(10)
    clock.set_now(at(7, 10, 0))
    claim_meeting(booking=booking, staff=caller)
    record_no_answer(booking=booking, staff=caller)  # second attempt at 10:15
    (meeting,) = read_worklist(staff=caller)
    assert (meeting.state, meeting.due_at, meeting.near_time) == (
        State.SECOND_ATTEMPT,
        at(7, 10, 15),
        False,
    )
    clock.set_now(at(7, 10, 5))
    (meeting,) = read_worklist(staff=caller)
    assert meeting.near_time
    assert not meeting.overdue


def test_another_locations_meetings_are_invisible(
    book_meeting: BookMeeting, centre: Location, caller: User
) -> None:
    book_meeting(10)
    elsewhere = Location.objects.create(
        municipality=centre.municipality, name="Biblioteket", slug="bib", address="Torvet 2"
    )
    OpeningHours.objects.create(location=elsewhere, weekday=0, opens=time(10), closes=time(15))
    librarian = staff_member("bo", elsewhere)
    assert read_worklist(staff=librarian) == []
    administrator = User.objects.create_user(
        "anne", municipality=centre.municipality, role=Role.ADMINISTRATOR
    )
    assert len(read_worklist(staff=administrator)) == 1


def test_the_version_changes_with_what_the_list_shows(
    book_meeting: BookMeeting, caller: User
) -> None:
    booking = book_meeting(10)
    before = worklist_version(read_worklist(staff=caller))
    assert worklist_version(read_worklist(staff=caller)) == before
    claim_meeting(booking=booking, staff=caller)
    taken = worklist_version(read_worklist(staff=caller))
    assert taken != before
    clock.set_now(at(7, 9, 55))  # taken: no flag, so nothing to show differently
    assert worklist_version(read_worklist(staff=caller)) == taken
