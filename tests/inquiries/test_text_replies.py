"""A citizen's answers to Skranke's text messages: AFLYS asks back, JA to
the question cancels, JA to anything else confirms, other words go to the
worklist, a number Skranke has not written to gets one short answer a day,
and a text received twice does nothing the second time."""

import itertools
import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from skranke.booking.availability import Policy
from skranke.booking.booking import book_appointment, cancel_appointment, reschedule_appointment
from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.models import Location, Service
from skranke.inquiries.models import Inquiry, InquiryMessage, ReceivedText
from skranke.inquiries.text_replies import TextReplyOutcome, receive_text_reply
from skranke.notifications.delivery import deliver_due_messages
from skranke.notifications.models import Message
from skranke.notifications.segments import count_segments
from skranke.privacy.erasure import erase_all_due_personal_data
from tests.centre import at, citizen

pytestmark = pytest.mark.django_db

NUMBER = "+4520000001"  # citizen(1)'s
STRANGER = "+4529999999"
_provider_ids = itertools.count(7001)


@pytest.fixture
def outbox(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "outbox"
    with override_settings(SMS_TRANSPORT="file", MESSAGE_OUTBOX_DIR=str(folder)):
        yield folder


def sent_texts(folder: Path) -> list[dict[str, str]]:
    """What the worker sent, each copy, in the order sent."""
    deliver_due_messages()
    if not folder.exists():
        return []
    return [json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))]


@pytest.fixture
def booking(centre: Location, passport: Service, outbox: Path) -> Booking:
    """Wednesday at 10:00, in English, confirmed by a text message that
    has gone."""
    booked = book_appointment(
        location=centre,
        service=passport,
        start=at(9, 10),
        citizen=citizen(1, sms_consent=True, language="en"),
        channel=Booking.Channel.WEB,
        policy=Policy.for_staff(centre),
    )
    assert [text["kind"] for text in sent_texts(outbox)] == ["confirmation"]
    return booked


def reply(text: str, *, sender: str = NUMBER, provider_id: str = "") -> TextReplyOutcome:
    return receive_text_reply(
        provider_id=provider_id or str(next(_provider_ids)),
        sender=sender,
        text=text,
        sent_at=clock.now(),
        now=clock.now(),
    )


def status_of(booking: Booking) -> str:
    booking.refresh_from_db()
    return booking.status


@pytest.mark.parametrize("text", ["AFLYS", " aflys. ", "Aflys tid!", "CANCEL"])
def test_aflys_asks_back_before_cancelling(booking: Booking, outbox: Path, text: str) -> None:
    assert reply(text) == TextReplyOutcome.CANCEL_ASKED
    assert status_of(booking) == Booking.Status.BOOKED
    question = sent_texts(outbox)[-1]
    assert (question["kind"], question["to"]) == ("cancel_question", NUMBER)
    assert (
        question["body"]
        == "Reply YES to cancel your time at Rådhuset Wednesday 9 December at 10:00."
    )
    assert count_segments(question["body"]).segments == 1


def test_ja_to_the_question_cancels_and_the_citizen_is_told(booking: Booking, outbox: Path) -> None:
    reply("AFLYS")
    sent_texts(outbox)
    clock.advance(timedelta(minutes=3))
    assert reply("Ja") == TextReplyOutcome.CANCELLED
    assert status_of(booking) == Booking.Status.CANCELLED
    told = sent_texts(outbox)[-1]
    assert told["kind"] == "cancelled"
    assert told["body"].startswith(
        "Your time at Rådhuset Wednesday 9 December at 10:00 is cancelled"
    )
    # Another JA changes nothing and is not answered.
    assert reply("ja") == TextReplyOutcome.CONFIRMED
    assert len(sent_texts(outbox)) == 3


def test_a_citizen_without_cancellation_texts_still_hears_it_is_cancelled(
    booking: Booking, outbox: Path
) -> None:
    """The booking's own "cancelled" text goes where the citizen allowed
    texts; they answered from this number, so Skranke answers there."""
    Booking.objects.filter(pk=booking.pk).update(sms_consent=False)
    reply("aflys")
    sent_texts(outbox)
    assert reply("JA") == TextReplyOutcome.CANCELLED
    told = sent_texts(outbox)[-1]
    assert (told["kind"], told["to"]) == ("cancelled_by_text", NUMBER)
    assert "is cancelled" in told["body"]


def test_ja_to_a_question_a_day_old_asks_again(booking: Booking, outbox: Path) -> None:
    reply("AFLYS")
    sent_texts(outbox)
    clock.advance(timedelta(hours=25))
    assert reply("JA") == TextReplyOutcome.CANCEL_ASKED
    assert status_of(booking) == Booking.Status.BOOKED
    assert sent_texts(outbox)[-1]["kind"] == "cancel_question"
    # The outbox's one question about the time, sent again now.
    question = Message.objects.get(kind="cancel_question")
    assert (question.status, question.sent_at) == (Message.Status.SENT, clock.now())
    assert reply("JA") == TextReplyOutcome.CANCELLED


def test_ja_to_a_question_about_a_time_since_moved_asks_about_the_new_time(
    booking: Booking, outbox: Path, centre: Location
) -> None:
    reply("AFLYS")
    sent_texts(outbox)
    reschedule_appointment(booking=booking, start=at(10, 11), policy=Policy.for_staff(centre))
    assert reply("JA") == TextReplyOutcome.CANCEL_ASKED
    assert status_of(booking) == Booking.Status.BOOKED
    question = sent_texts(outbox)[-1]
    assert question["kind"] == "cancel_question"
    assert "Thursday 10 December at 11:00" in question["body"]


def test_ja_to_a_confirmation_is_noted_and_not_answered(booking: Booking, outbox: Path) -> None:
    assert reply("Ja tak") == TextReplyOutcome.CONFIRMED
    assert status_of(booking) == Booking.Status.BOOKED
    received = ReceivedText.objects.get()
    assert (received.outcome, received.booking, received.text) == ("confirmed", booking, "Ja tak")
    assert Message.objects.count() == 2  # the confirmation and the reminder
    assert len(sent_texts(outbox)) == 1


def test_aflys_for_a_cancelled_or_past_booking_says_it_cannot_be_cancelled(
    booking: Booking, outbox: Path
) -> None:
    cancel_appointment(booking=booking)
    sent_texts(outbox)
    assert reply("AFLYS") == TextReplyOutcome.NOT_CANCELLABLE
    told = sent_texts(outbox)[-1]
    assert (told["kind"], told["to"]) == ("not_cancellable", NUMBER)
    assert "cannot be cancelled" in told["body"]
    assert count_segments(told["body"]).segments <= 2
    # Asked again soon after: the same answer is not sent again.
    answered_at = clock.now()
    clock.advance(timedelta(minutes=2))
    assert reply("AFLYS") == TextReplyOutcome.NOT_CANCELLABLE
    sent_texts(outbox)
    assert Message.objects.get(kind="not_cancellable").sent_at == answered_at


def test_ja_once_the_time_has_begun_cancels_nothing(booking: Booking, outbox: Path) -> None:
    clock.set_now(at(9, 9, 50))
    reply("AFLYS")
    sent_texts(outbox)
    clock.set_now(at(9, 10, 1))
    assert reply("JA") == TextReplyOutcome.NOT_CANCELLABLE
    assert status_of(booking) == Booking.Status.BOOKED
    assert sent_texts(outbox)[-1]["kind"] == "not_cancellable"


def test_other_words_become_an_open_inquiry_with_the_booking(
    booking: Booking, outbox: Path, centre: Location
) -> None:
    assert reply("Må jeg tage min søn med?") == TextReplyOutcome.INQUIRY
    inquiry = Inquiry.objects.get()
    assert (inquiry.channel, inquiry.status) == (Inquiry.Channel.SMS, Inquiry.Status.OPEN)
    assert (inquiry.booking, inquiry.location, inquiry.municipality) == (
        booking,
        centre,
        centre.municipality,
    )
    assert inquiry.sender == NUMBER
    assert not inquiry.has_cpr_number
    (message,) = inquiry.messages.all()
    assert (message.direction, message.text) == (
        InquiryMessage.Direction.IN,
        "Må jeg tage min søn med?",
    )
    assert len(sent_texts(outbox)) == 1  # people answer it, Skranke does not


def test_a_second_text_joins_the_open_inquiry_and_a_cpr_number_marks_it(
    booking: Booking, outbox: Path
) -> None:
    reply("Må jeg tage min søn med?")
    clock.advance(timedelta(minutes=5))
    assert reply("Han hedder Ib, cpr 010190-1234") == TextReplyOutcome.INQUIRY
    inquiry = Inquiry.objects.get()
    assert inquiry.has_cpr_number
    assert inquiry.last_received_at == clock.now()
    assert [message.text for message in inquiry.messages.all()] == [
        "Må jeg tage min søn med?",
        "Han hedder Ib, cpr 010190-1234",
    ]
    # Once answered, the next text is a new inquiry.
    Inquiry.objects.update(status=Inquiry.Status.ANSWERED)
    reply("Tak!")
    assert Inquiry.objects.count() == 2


def test_a_cpr_number_in_the_first_text_marks_the_inquiry(booking: Booking) -> None:
    reply("Mit CPR-nummer er 0101901234")
    assert Inquiry.objects.get().has_cpr_number


def test_a_number_skranke_has_not_written_to_gets_one_answer_a_day(
    booking: Booking, outbox: Path
) -> None:
    assert reply("Hej", sender=STRANGER) == TextReplyOutcome.UNKNOWN_NUMBER
    assert reply("AFLYS", sender=STRANGER) == TextReplyOutcome.UNKNOWN_NUMBER
    answers = [text for text in sent_texts(outbox) if text["to"] == STRANGER]
    assert len(answers) == 1
    # In Danish: nothing tells which language the stranger reads.
    assert answers[0]["body"] == (
        f"Dette nummer modtager ikke beskeder. Kontakt Borgerservice: {settings.SITE_URL}/"
    )
    # Nothing of theirs is kept, nor put on the worklist.
    assert set(ReceivedText.objects.values_list("sender", "text", "outcome")) == {
        ("", "", "unknown_number")
    }
    assert not Inquiry.objects.exists()
    clock.advance(timedelta(days=1))
    reply("Hallo?", sender=STRANGER)
    assert len([text for text in sent_texts(outbox) if text["to"] == STRANGER]) == 2


def test_a_number_last_texted_long_ago_is_not_known(booking: Booking, outbox: Path) -> None:
    clock.advance(timedelta(days=31))
    assert reply("AFLYS") == TextReplyOutcome.UNKNOWN_NUMBER
    assert status_of(booking) == Booking.Status.BOOKED


def test_a_text_received_again_changes_nothing(booking: Booking, outbox: Path) -> None:
    assert reply("AFLYS", provider_id="42") == TextReplyOutcome.CANCEL_ASKED
    sent_texts(outbox)
    assert reply("JA", provider_id="43") == TextReplyOutcome.CANCELLED
    sent = sent_texts(outbox)
    messages = list(Message.objects.values_list("pk", "status", "due_at"))
    clock.advance(timedelta(minutes=30))
    for provider_id, text in (("42", "AFLYS"), ("43", "JA"), ("42", "Noget andet")):
        assert reply(text, provider_id=provider_id) == TextReplyOutcome.ALREADY_RECEIVED
    assert list(Message.objects.values_list("pk", "status", "due_at")) == messages
    assert sent_texts(outbox) == sent
    assert ReceivedText.objects.count() == 2
    assert not Inquiry.objects.exists()


def test_the_number_and_the_words_go_after_the_message_period(booking: Booking) -> None:
    reply("Må jeg tage min søn med?", provider_id="77")
    erase_all_due_personal_data(now=clock.now() + timedelta(days=29))
    assert ReceivedText.objects.get().sender == NUMBER
    erased = erase_all_due_personal_data(now=clock.now() + timedelta(days=31))
    assert erased["received_texts"] == 1
    kept = ReceivedText.objects.get()
    assert (kept.sender, kept.text, kept.outcome) == ("", "", "inquiry")
    # The row stays: the same text sent again is still known.
    assert reply("Må jeg tage min søn med?", provider_id="77") == TextReplyOutcome.ALREADY_RECEIVED
