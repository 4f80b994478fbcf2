"""A time booked online while codes are asked for is held until the code
sent to the citizen's phone comes back: the number gets the code and
nothing else; the right code makes it a booking with its confirmation and
reminder; a hold that lapses, or meets too many wrong codes, frees its
time at once. Staff and phone bookings are never held."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

from skranke.booking.availability import Policy, find_slot
from skranke.booking.booking import book_appointment, cancel_appointment
from skranke.booking.holds import HoldLapsed, codes_required, confirm_hold, release_lapsed_holds
from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.errors import InvalidInput
from skranke.core.models import Location, Service
from skranke.notifications.composing import compose_message
from skranke.notifications.delivery import deliver_due_messages
from skranke.notifications.models import Message
from tests.centre import at, citizen

pytestmark = pytest.mark.django_db

TIME = "2026-12-08T10:00"


@pytest.fixture
def codes_on(passport: Service) -> Service:
    passport.code_confirmation = Service.CodeConfirmation.ALWAYS
    passport.save()
    return passport


def browser() -> Client:
    client = Client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def book_online(
    client: Client, *, start: str = TIME, name: str = "Ane Hansen", phone: str = "20123456"
) -> Any:
    details = {"name": name, "phone": phone, "email": "ane@example.dk", "sms_consent": "on"}
    review = client.post(f"/bestil/pas/raadhus/oplysninger/?start={start}", details)
    assert review.status_code == 302
    return client.post(review["Location"])


def code_sent(booking: Booking) -> str:
    """The code as the citizen reads it in the text message."""
    message = Message.objects.get(booking=booking, kind=Message.Kind.HOLD_CODE)
    found = re.search(r"\b(\d{6})\b", compose_message(message=message).body)
    assert found
    return found.group(1)


def other_than(code: str) -> str:
    return "000000" if code != "000000" else "111111"


def test_codes_follow_the_errand_the_municipality_and_an_attack(passport: Service) -> None:
    assert not codes_required(service=passport, under_attack=False)
    assert codes_required(service=passport, under_attack=True)
    passport.municipality.confirm_online_bookings_by_code = True
    assert codes_required(service=passport, under_attack=False)
    passport.code_confirmation = Service.CodeConfirmation.UNDER_ATTACK
    assert not codes_required(service=passport, under_attack=False)
    assert codes_required(service=passport, under_attack=True)
    passport.code_confirmation = Service.CodeConfirmation.ALWAYS
    passport.municipality.confirm_online_bookings_by_code = False
    assert codes_required(service=passport, under_attack=False)


def test_a_held_time_gets_the_code_and_nothing_else_until_it_comes_back(codes_on: Service) -> None:
    client = browser()
    answer = book_online(client)
    booking = Booking.objects.get()
    assert answer["Location"] == f"/tid/{booking.code}/kode/"
    assert booking.held_until == clock.now() + timedelta(minutes=10)
    # Only the code, by text message, though an e-mail address was given.
    assert list(Message.objects.values_list("kind", "channel", "recipient")) == [
        (Message.Kind.HOLD_CODE, Message.Channel.SMS, "+4520123456")
    ]
    page = client.get(answer["Location"])
    html = page.content.decode()
    assert "20 12 34 56" in html
    assert 'inputmode="numeric"' in html
    assert 'autocomplete="one-time-code"' in html
    assert "until 08:10" in html
    # The booking's own page waits for the code too.
    assert client.get(f"/tid/{booking.code}/")["Location"] == f"/tid/{booking.code}/kode/"

    wrong = client.post(answer["Location"], {"code": other_than(code_sent(booking))})
    assert wrong.status_code == 422
    assert "This is not the code we sent" in wrong.content.decode()

    right = client.post(answer["Location"], {"code": " ".join(code_sent(booking))})
    assert right.status_code == 302
    assert right["Location"] == f"/tid/{booking.code}/?ny=1"
    booking.refresh_from_db()
    assert booking.held_until is None
    kinds = set(Message.objects.values_list("kind", "channel"))
    assert (Message.Kind.CONFIRMATION, Message.Channel.SMS) in kinds
    assert (Message.Kind.CONFIRMATION, Message.Channel.EMAIL) in kinds
    assert (Message.Kind.REMINDER, Message.Channel.SMS) in kinds


def test_the_outbox_keeps_the_code_message_without_the_code(codes_on: Service) -> None:
    book_online(browser())
    booking = Booking.objects.get()
    code = code_sent(booking)
    deliver_due_messages()
    sent = Message.objects.get(kind=Message.Kind.HOLD_CODE)
    assert sent.status == Message.Status.SENT
    assert code not in sent.body
    assert "••••••" in sent.body


def test_a_hold_that_lapses_frees_its_time_at_once(codes_on: Service, centre: Location) -> None:
    book_online(browser())
    held = Booking.objects.get()
    policy = Policy.for_citizens(centre)
    start = at(8, 10)

    def free_desks() -> int:
        slot = find_slot(location=centre, service=codes_on, start=start, policy=policy)
        return len(slot.desks) if slot else 0

    assert free_desks() == 1
    clock.set_now(clock.now() + timedelta(minutes=10))
    # Both desks are free again at once, before any worker has run.
    assert free_desks() == 2
    # The code typed late does not bring it back.
    with pytest.raises(HoldLapsed):
        confirm_hold(booking=held, code=code_sent(held))
    assert not Booking.objects.filter(pk=held.pk).exists()


def test_the_worker_deletes_lapsed_holds_with_what_was_typed(codes_on: Service) -> None:
    book_online(browser())
    book_online(browser(), start="2026-12-09T10:00", name="Bo Berg", phone="20123457")
    assert release_lapsed_holds() == 0
    clock.set_now(clock.now() + timedelta(minutes=10))
    assert release_lapsed_holds() == 2
    assert not Booking.objects.exists()
    assert not Message.objects.exists()


def test_a_lapsed_hold_is_deleted_when_its_time_is_booked_again(
    codes_on: Service, centre: Location, settings: Any
) -> None:
    """On PostgreSQL the exclusion constraint counts every row: the lapsed
    hold must be gone before the new booking is written."""
    settings.HOLDS_PERCENT_OF_A_DAY = 100
    book_online(browser(), start="2026-12-08T10:00")
    book_online(browser(), start="2026-12-08T10:00", name="Bo Berg", phone="20123457")
    assert Booking.objects.count() == 2  # both desks held
    clock.set_now(clock.now() + timedelta(minutes=11))
    booking = book_appointment(
        location=centre, service=codes_on, start=at(8, 10), citizen=citizen(9),
        channel=Booking.Channel.COUNTER, policy=Policy.for_staff(centre),
    )  # fmt: skip
    assert booking.held_until is None
    assert Booking.objects.count() == 1


def test_too_many_wrong_codes_let_the_time_go(codes_on: Service, settings: Any) -> None:
    client = browser()
    page = book_online(client)["Location"]
    booking = Booking.objects.get()
    wrong = other_than(code_sent(booking))
    for _ in range(settings.HOLD_CODE_TRIES - 1):
        assert client.post(page, {"code": wrong}).status_code == 422
    last = client.post(page, {"code": wrong})
    assert last.status_code == 410
    assert "The time was not confirmed" in last.content.decode()
    assert not Booking.objects.exists()


def test_the_code_can_be_sent_again_once_and_both_work(codes_on: Service) -> None:
    client = browser()
    page = book_online(client)["Location"]
    booking = Booking.objects.get()
    first = code_sent(booking)
    again = client.post(page, {"again": "1"})
    assert "We have sent a new code" in again.content.decode()
    booking.refresh_from_db()
    assert booking.hold_codes_sent == 2
    assert code_sent(booking) != first
    refused = client.post(page, {"again": "1"})
    assert "We cannot send more codes" in refused.content.decode()
    assert Booking.objects.get().hold_codes_sent == 2
    # The first code, which may arrive last, still works.
    assert client.post(page, {"code": first}).status_code == 302


def test_a_number_gets_a_few_codes_an_hour(codes_on: Service, settings: Any) -> None:
    settings.RATE_LIMIT_HOLD_CODES_PER_PHONE_PER_HOUR = 2
    settings.HOLDS_PERCENT_OF_A_DAY = 100
    for day, name in ((8, "A B"), (9, "C D")):
        assert book_online(browser(), start=f"2026-12-0{day}T10:00", name=name).status_code == 302
    third = book_online(browser(), start="2026-12-10T10:00", name="E F")
    assert third.status_code == 422
    assert "as many codes to this number as we can in an hour" in third.content.decode()
    assert Message.objects.filter(kind=Message.Kind.HOLD_CODE).count() == 2


def test_unconfirmed_holds_take_a_bounded_share_of_a_day(codes_on: Service, settings: Any) -> None:
    """The centre's day has 15 passport times: at 20 % three may be held."""
    settings.HOLDS_PERCENT_OF_A_DAY = 20
    starts = ["2026-12-08T10:00", "2026-12-08T11:00", "2026-12-08T12:00", "2026-12-08T13:00"]
    answers = [
        book_online(browser(), start=start, name=f"Person {n}", phone=f"2012345{n}")
        for n, start in enumerate(starts)
    ]
    assert [answer.status_code for answer in answers[:3]] == [302, 302, 302]
    assert answers[3].status_code == 422
    assert "Many people are booking a time on this day" in answers[3].content.decode()
    # Another day is another day.
    assert book_online(browser(), start="2026-12-09T10:00", phone="20123459").status_code == 302


def test_a_family_types_one_code_for_four_tabs(codes_on: Service) -> None:
    client = browser()
    family = ["Far Jensen", "Mor Jensen", "Søn Jensen", "Datter Jensen"]
    starts = ["2026-12-08T10:00", "2026-12-08T10:20", "2026-12-08T10:40", "2026-12-08T11:00"]
    first = book_online(client, start=starts[0], name=family[0], phone="20304060")
    held = Booking.objects.get()
    assert client.post(first["Location"], {"code": code_sent(held)}).status_code == 302
    for name, start in zip(family[1:], starts[1:], strict=True):
        answer = book_online(client, start=start, name=name, phone="20 30 40 60")
        assert answer.status_code == 302
        assert answer["Location"].endswith("?ny=1")
    assert Booking.objects.filter(held_until__isnull=True).count() == 4
    assert Message.objects.filter(kind=Message.Kind.HOLD_CODE).count() == 1
    # Another browser with the same number types its own code.
    assert book_online(browser(), start="2026-12-09T10:00", name="Moster Jensen", phone="20304060")[
        "Location"
    ].endswith("/kode/")


def test_staff_and_phone_bookings_are_never_held(codes_on: Service, centre: Location) -> None:
    for number, channel in enumerate((Booking.Channel.COUNTER, Booking.Channel.PHONE)):
        booking = book_appointment(
            location=centre, service=codes_on, start=at(8, 10 + number), citizen=citizen(number),
            channel=channel, policy=Policy.for_staff(centre),
        )  # fmt: skip
        assert booking.held_until is None
    assert not Message.objects.filter(kind=Message.Kind.HOLD_CODE).exists()


def test_a_code_goes_only_to_a_danish_number(codes_on: Service, centre: Location) -> None:
    with pytest.raises(InvalidInput, match="Danish mobile number"):
        book_appointment(
            location=centre, service=codes_on, start=at(8, 10),
            citizen=citizen(1, phone="+46701234567"), channel=Booking.Channel.WEB,
            policy=Policy.for_citizens(centre), hold=True,
        )  # fmt: skip
    assert not Booking.objects.exists()


def test_a_held_number_cannot_have_its_link_sent(codes_on: Service) -> None:
    book_online(browser())
    booking = Booking.objects.get()
    browser().post("/find-din-tid/", {"code": booking.code, "phone": "20123456"})
    assert not Message.objects.filter(kind=Message.Kind.LINK_AGAIN).exists()


def test_cancelling_a_hold_lets_it_go_without_a_word(codes_on: Service) -> None:
    client = browser()
    book_online(client)
    cancel_appointment(booking=Booking.objects.get())
    assert not Booking.objects.exists()
    assert not Message.objects.exists()


def test_the_api_holds_and_confirms(codes_on: Service) -> None:
    client = browser()
    body = {
        "location": "raadhus", "service": "pas", "start": "2026-12-08T10:00:00+01:00",
        "name": "Ane Hansen", "phone": "20123456", "sms_consent": True,
    }  # fmt: skip
    made = client.post("/api/v1/bookings", body, content_type="application/json")
    assert made.status_code == 201
    data = made.json()
    assert data["held_until"] == "2026-12-07T08:10:00+01:00"
    headers = {"X-Booking-Token": data["token"]}
    booking = Booking.objects.get()
    url = f"/api/v1/bookings/{data['code']}/confirm"
    wrong = other_than(code_sent(booking))
    refused = client.post(url, {"code": wrong}, content_type="application/json", headers=headers)
    assert refused.status_code == 422
    confirmed = client.post(
        url, {"code": code_sent(booking)}, content_type="application/json", headers=headers
    )
    assert confirmed.status_code == 200
    assert confirmed.json()["held_until"] is None
    assert Message.objects.filter(kind=Message.Kind.CONFIRMATION).exists()


def test_the_review_page_says_a_code_is_coming_only_when_one_is(
    passport: Service, codes_on: Service
) -> None:
    client = browser()
    details = {"name": "Ane Hansen", "phone": "20123456", "email": "", "sms_consent": "on"}
    review = client.post(f"/bestil/pas/raadhus/oplysninger/?start={TIME}", details)["Location"]
    assert (
        "we send a code by text message to +45 20 12 34 56" in client.get(review).content.decode()
    )
    codes_on.code_confirmation = Service.CodeConfirmation.UNDER_ATTACK
    codes_on.save()
    assert "we send a code" not in client.get(review).content.decode()
