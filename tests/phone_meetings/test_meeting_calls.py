"""Taking, making and ending the call of a telephone meeting: one staff
member per call, a second attempt after no answer, the booking's status
kept for the statistics, and second clicks that change nothing."""

from datetime import timedelta

import pytest

from skranke.accounts.models import User
from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.models import Location, Service
from skranke.notifications.models import Message
from skranke.phone_meetings import meeting_calls
from skranke.phone_meetings.errors import CallTaken, MeetingNotChanged, MeetingRefused
from skranke.phone_meetings.meeting_calls import (
    RETRY_AFTER,
    claim_meeting,
    finish_meeting_call,
    record_no_answer,
    release_meeting,
    start_meeting_call,
)
from skranke.phone_meetings.models import MeetingCall
from skranke.queueing.closing import mark_no_shows
from tests.centre import at
from tests.phone_meetings.conftest import BookMeeting

pytestmark = pytest.mark.django_db

REACHED = MeetingCall.Outcome.REACHED


def tried_to_call(booking: Booking) -> list[Message]:
    return list(Message.objects.filter(booking=booking, kind=Message.Kind.TRIED_TO_CALL))


def test_a_call_is_taken_started_and_reached_and_the_booking_counts_as_served(
    book_meeting: BookMeeting, caller: User
) -> None:
    booking = book_meeting(10)
    clock.set_now(at(7, 9, 58))
    call = claim_meeting(booking=booking, staff=caller)
    assert (call.claimed_by, call.claimed_at) == (caller, at(7, 9, 58))
    clock.set_now(at(7, 10, 0))
    call = start_meeting_call(booking=booking, staff=caller)
    assert call.started_at == at(7, 10, 0)
    clock.set_now(at(7, 10, 9))
    call = finish_meeting_call(booking=booking, staff=caller, outcome=REACHED)
    assert (call.outcome, call.finished_at, call.claimed_by) == (REACHED, at(7, 10, 9), caller)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.SERVED
    assert tried_to_call(booking) == []


def test_a_call_ended_without_pressing_started_counts_from_when_it_was_taken(
    book_meeting: BookMeeting, caller: User
) -> None:
    booking = book_meeting(10)
    clock.set_now(at(7, 10, 1))
    claim_meeting(booking=booking, staff=caller)
    clock.set_now(at(7, 10, 8))
    call = finish_meeting_call(booking=booking, staff=caller, outcome=REACHED)
    assert (call.started_at, call.finished_at) == (at(7, 10, 1), at(7, 10, 8))


def test_a_colleague_cannot_take_a_call_that_is_taken(
    book_meeting: BookMeeting, caller: User, colleague: User
) -> None:
    booking = book_meeting(10)
    claim_meeting(booking=booking, staff=caller)
    with pytest.raises(CallTaken) as refused:
        claim_meeting(booking=booking, staff=colleague)
    assert str(refused.value.message) == "Another colleague has taken this call."
    assert refused.value.status == 409
    # Nor act on it.
    for act in (start_meeting_call, release_meeting, record_no_answer):
        with pytest.raises(CallTaken):
            act(booking=booking, staff=colleague)
    with pytest.raises(CallTaken):
        finish_meeting_call(booking=booking, staff=colleague, outcome=REACHED)
    assert MeetingCall.objects.get(booking=booking).claimed_by == caller


def test_a_call_given_back_can_be_taken_by_a_colleague(
    book_meeting: BookMeeting, caller: User, colleague: User
) -> None:
    booking = book_meeting(10)
    claim_meeting(booking=booking, staff=caller)
    call = release_meeting(booking=booking, staff=caller)
    assert (call.claimed_by, call.claimed_at) == (None, None)
    assert claim_meeting(booking=booking, staff=colleague).claimed_by == colleague


def test_second_clicks_change_nothing_and_say_so(book_meeting: BookMeeting, caller: User) -> None:
    booking = book_meeting(10)
    claim_meeting(booking=booking, staff=caller)
    with pytest.raises(MeetingNotChanged, match="already taken"):
        claim_meeting(booking=booking, staff=caller)
    start_meeting_call(booking=booking, staff=caller)
    started = MeetingCall.objects.get(booking=booking).started_at
    clock.advance(timedelta(minutes=1))
    with pytest.raises(MeetingNotChanged, match="already started"):
        start_meeting_call(booking=booking, staff=caller)
    assert MeetingCall.objects.get(booking=booking).started_at == started
    finish_meeting_call(booking=booking, staff=caller, outcome=REACHED)
    finished = MeetingCall.objects.get(booking=booking).finished_at
    clock.advance(timedelta(minutes=1))
    for again in (
        lambda: finish_meeting_call(booking=booking, staff=caller, outcome=REACHED),
        lambda: record_no_answer(booking=booking, staff=caller),
        lambda: claim_meeting(booking=booking, staff=caller),
        lambda: release_meeting(booking=booking, staff=caller),
    ):
        with pytest.raises(MeetingNotChanged, match="already done"):
            again()
    call = MeetingCall.objects.get(booking=booking)
    assert (call.finished_at, call.outcome, call.attempts) == (finished, REACHED, 0)


def test_giving_back_twice_says_nothing_changed(book_meeting: BookMeeting, caller: User) -> None:
    booking = book_meeting(10)
    claim_meeting(booking=booking, staff=caller)
    release_meeting(booking=booking, staff=caller)
    with pytest.raises(MeetingNotChanged, match="nothing to give back"):
        release_meeting(booking=booking, staff=caller)


def test_a_started_call_is_not_given_back(book_meeting: BookMeeting, caller: User) -> None:
    booking = book_meeting(10)
    claim_meeting(booking=booking, staff=caller)
    start_meeting_call(booking=booking, staff=caller)
    with pytest.raises(MeetingRefused, match="has started"):
        release_meeting(booking=booking, staff=caller)
    assert MeetingCall.objects.get(booking=booking).claimed_by == caller


def test_a_call_must_be_taken_before_it_is_started_or_ended(
    book_meeting: BookMeeting, caller: User
) -> None:
    booking = book_meeting(10)
    with pytest.raises(MeetingRefused, match="Take the call first"):
        start_meeting_call(booking=booking, staff=caller)
    with pytest.raises(MeetingRefused, match="Take the call first"):
        finish_meeting_call(booking=booking, staff=caller, outcome=REACHED)
    with pytest.raises(MeetingRefused, match="Take the call first"):
        record_no_answer(booking=booking, staff=caller)
    assert not MeetingCall.objects.exists()


def test_one_unanswered_call_comes_back_for_a_second_attempt_without_a_message(
    book_meeting: BookMeeting, caller: User, colleague: User
) -> None:
    booking = book_meeting(10)
    clock.set_now(at(7, 10, 0))
    claim_meeting(booking=booking, staff=caller)
    start_meeting_call(booking=booking, staff=caller)
    clock.set_now(at(7, 10, 2))
    call = record_no_answer(booking=booking, staff=caller, attempt=1)
    assert call.attempts == 1
    assert (call.claimed_by, call.started_at, call.finished_at) == (None, None, None)
    assert call.retry_at == at(7, 10, 2) + RETRY_AFTER == at(7, 10, 17)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED
    assert tried_to_call(booking) == []
    # Anyone may make the second attempt.
    assert claim_meeting(booking=booking, staff=colleague).claimed_by == colleague


def test_a_second_click_on_no_answer_does_not_count_as_the_second_attempt(
    book_meeting: BookMeeting, caller: User
) -> None:
    booking = book_meeting(10)
    clock.set_now(at(7, 10, 0))
    claim_meeting(booking=booking, staff=caller)
    record_no_answer(booking=booking, staff=caller, attempt=1)
    with pytest.raises(MeetingNotChanged, match="Second attempt at 10:15"):
        record_no_answer(booking=booking, staff=caller, attempt=1)
    # Even once the same person has taken the call again: the click came
    # from the page of the first attempt.
    claim_meeting(booking=booking, staff=caller)
    with pytest.raises(MeetingNotChanged, match="already noted"):
        record_no_answer(booking=booking, staff=caller, attempt=1)
    call = MeetingCall.objects.get(booking=booking)
    assert (call.attempts, call.finished_at, call.claimed_by) == (1, None, caller)
    assert tried_to_call(booking) == []


def test_two_unanswered_calls_end_the_meeting_as_a_no_show_with_one_message(
    book_meeting: BookMeeting, caller: User, colleague: User
) -> None:
    booking = book_meeting(10)
    clock.set_now(at(7, 10, 0))
    claim_meeting(booking=booking, staff=caller)
    record_no_answer(booking=booking, staff=caller, attempt=1)
    clock.set_now(at(7, 10, 16))
    claim_meeting(booking=booking, staff=colleague)
    start_meeting_call(booking=booking, staff=colleague)
    clock.set_now(at(7, 10, 18))
    call = record_no_answer(booking=booking, staff=colleague, attempt=2)
    assert (call.attempts, call.outcome) == (2, MeetingCall.Outcome.NO_ANSWER)
    assert (call.finished_at, call.claimed_by, call.started_at) == (
        at(7, 10, 18),
        colleague,
        at(7, 10, 16),
    )
    booking.refresh_from_db()
    assert booking.status == Booking.Status.NO_SHOW
    (message,) = tried_to_call(booking)
    assert (message.channel, message.recipient, message.status) == ("sms", booking.phone, "pending")
    # A second click sends nothing more.
    with pytest.raises(MeetingNotChanged, match="already done"):
        record_no_answer(booking=booking, staff=colleague, attempt=2)
    with pytest.raises(MeetingNotChanged):
        record_no_answer(booking=booking, staff=colleague)
    assert len(tried_to_call(booking)) == 1


def test_no_answer_by_the_finish_function_is_the_same_as_recording_it(
    book_meeting: BookMeeting, caller: User
) -> None:
    booking = book_meeting(10)
    clock.set_now(at(7, 10, 0))
    claim_meeting(booking=booking, staff=caller)
    call = finish_meeting_call(booking=booking, staff=caller, outcome=MeetingCall.Outcome.NO_ANSWER)
    assert (call.attempts, call.claimed_by) == (1, None)
    with pytest.raises(MeetingRefused, match="Choose how"):
        finish_meeting_call(booking=booking, staff=caller, outcome="maybe")


def test_the_message_and_the_no_show_are_written_together_or_not_at_all(
    book_meeting: BookMeeting, caller: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    booking = book_meeting(10)
    clock.set_now(at(7, 10, 0))
    claim_meeting(booking=booking, staff=caller)
    record_no_answer(booking=booking, staff=caller)
    clock.set_now(at(7, 10, 15))
    claim_meeting(booking=booking, staff=caller)

    def outbox_fails(**arguments: object) -> None:
        raise RuntimeError("the outbox is broken")

    monkeypatch.setattr(meeting_calls, "queue_booking_messages", outbox_fails)
    with pytest.raises(RuntimeError):
        record_no_answer(booking=booking, staff=caller)
    call = MeetingCall.objects.get(booking=booking)
    assert (call.attempts, call.finished_at, call.claimed_by) == (1, None, caller)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED


def test_no_answer_is_only_noted_from_the_meetings_time_and_again_from_the_retry(
    book_meeting: BookMeeting, caller: User
) -> None:
    booking = book_meeting(10, 45)
    clock.set_now(at(7, 10, 36))
    claim_meeting(booking=booking, staff=caller)
    with pytest.raises(MeetingRefused, match="from 10:45"):
        record_no_answer(booking=booking, staff=caller, attempt=1)
    assert MeetingCall.objects.get(booking=booking).attempts == 0
    # Calling early and reaching the citizen is fine; missing them is not yet.
    clock.set_now(at(7, 10, 45))
    call = record_no_answer(booking=booking, staff=caller, attempt=1)
    assert call.retry_at == at(7, 11, 0)
    clock.set_now(at(7, 10, 50))
    claim_meeting(booking=booking, staff=caller)
    with pytest.raises(MeetingRefused, match="from 11:00"):
        record_no_answer(booking=booking, staff=caller, attempt=2)
    assert tried_to_call(booking) == []
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED
    clock.set_now(at(7, 11, 0))
    record_no_answer(booking=booking, staff=caller, attempt=2)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.NO_SHOW
    assert len(tried_to_call(booking)) == 1


def test_a_cancelled_meeting_and_an_errand_at_the_desk_cannot_be_taken(
    book_meeting: BookMeeting, caller: User, centre: Location, passport: Service
) -> None:
    booking = book_meeting(10)
    Booking.objects.filter(pk=booking.pk).update(status=Booking.Status.CANCELLED)
    booking.refresh_from_db()
    with pytest.raises(MeetingRefused, match="cancelled"):
        claim_meeting(booking=booking, staff=caller)
    at_desk = Booking.objects.create(
        code="DESK0001",
        location=centre,
        service=passport,
        start=at(7, 11),
        end=at(7, 11, 20),
        name="Borger",
        phone="+4520000001",
        language="da",
        channel=Booking.Channel.WEB,
    )
    with pytest.raises(MeetingRefused, match="not a telephone meeting"):
        claim_meeting(booking=at_desk, staff=caller)
    assert not MeetingCall.objects.exists()


def test_the_no_show_job_leaves_telephone_meetings_to_the_worklist(
    book_meeting: BookMeeting,
) -> None:
    booking = book_meeting(10)
    clock.set_now(at(7, 12))
    mark_no_shows()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED
