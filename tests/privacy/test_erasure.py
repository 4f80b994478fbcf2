"""When personal data goes, and that going is safe to repeat: each kind on
the day before its deadline and just after it, a municipality's own
periods, a message still on its way, a second pass, the dry run, the log
line, expired sessions, the worker's hourly pass and its batches."""

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db.models import Model
from django.test import Client

from skranke.access_log.models import AccessRecord
from skranke.access_log.recording import record_access
from skranke.accounts.models import Role, User
from skranke.booking.models import Booking
from skranke.contact_centre.models import Call, Contact, Topic
from skranke.core import clock
from skranke.core.models import Location, Service
from skranke.notifications.models import Message
from skranke.privacy.erasure import (
    BATCH,
    count_due_personal_data,
    erase_all_due_personal_data,
    erase_personal_data,
)
from skranke.privacy.models import RetentionSettings
from skranke.surveys.models import Answer
from tests.booking.test_staff_booking import member
from tests.centre import at

pytestmark = pytest.mark.django_db

MARKER = "MARKER-7f3a"
# Tuesday 8 December 2026, 10:00; in UTC, so that adding days crosses
# summer time as the clock does.
THEN = at(8, 10).astimezone(UTC)


def a_booking(location: Location, service: Service, *, start: datetime = THEN) -> Booking:
    number = Booking.objects.count()
    return Booking.objects.create(
        code=f"CODE{number:02d}",
        token=f"{MARKER}-token-{number}",
        location=location,
        service=service,
        desk=location.desks.first(),
        start=start + timedelta(minutes=20 * number),
        end=start + timedelta(minutes=20 * number + 20),
        name=f"{MARKER}-name",
        phone="+4529517342",
        email="marker-7f3a@example.org",
        language="da",
        channel=Booking.Channel.WEB,
        note=f"{MARKER}-note",
        created_at=start - timedelta(days=3),
    )


def a_message(location: Location, service: Service, *, sent_at: datetime = THEN) -> Message:
    return Message.objects.create(
        booking=a_booking(location, service),
        kind=Message.Kind.CONFIRMATION,
        channel=Message.Channel.SMS,
        recipient="+4529517342",
        language="da",
        status=Message.Status.SENT,
        due_at=sent_at,
        next_attempt_at=sent_at,
        sent_at=sent_at,
        subject=f"{MARKER}-subject",
        body=f"{MARKER}-body with the link",
        provider_id=f"{MARKER}-provider",
    )


def a_contact(location: Location, service: Service) -> Contact:
    topic = Topic.objects.create(municipality=location.municipality, name_da="Pas")
    return Contact.objects.create(
        municipality=location.municipality,
        channel=Contact.Channel.PHONE,
        topic=topic,
        outcome=Contact.Outcome.SETTLED,
        at=THEN,
        note=f"{MARKER}-note",
    )


def a_call(location: Location, service: Service) -> Call:
    return Call.objects.create(
        municipality=location.municipality, call_id="c-1", offered_at=THEN, agent=MARKER
    )


def an_answer(location: Location, service: Service) -> Answer:
    return Answer.objects.create(
        location=location,
        service=service,
        source=Answer.Source.LINK,
        answered_at=THEN,
        satisfaction=4,
        comment=f"{MARKER}-comment",
    )


def holds_marker(row: Model) -> bool:
    row.refresh_from_db()
    return any(MARKER in str(value) for value in vars(row).values())


KINDS: dict[str, tuple[Callable[[Location, Service], Model], str, int]] = {
    "bookings": (a_booking, "booking_days", 90),
    "messages": (a_message, "message_days", 30),
    "contact notes": (a_contact, "contact_note_days", 90),
    "call records": (a_call, "call_record_days", 90),
    "survey comments": (an_answer, "survey_comment_days", 90),
}


@pytest.mark.parametrize("kind", KINDS)
def test_nothing_goes_the_day_before_its_deadline_and_all_of_it_goes_after(
    centre: Location, passport: Service, kind: str
) -> None:
    make, _setting, days = KINDS[kind]
    row = make(centre, passport)
    clock.set_now(THEN + timedelta(days=days - 1))
    erase_personal_data()
    assert holds_marker(row)
    clock.set_now(THEN + timedelta(days=days, minutes=1))
    assert erase_personal_data() >= 1
    assert not holds_marker(row)


@pytest.mark.parametrize("kind", KINDS)
def test_a_municipality_keeps_data_for_its_own_periods(
    centre: Location, passport: Service, kind: str
) -> None:
    make, setting, _days = KINDS[kind]
    RetentionSettings.objects.create(municipality=centre.municipality, **{setting: 200})
    row = make(centre, passport)
    clock.set_now(THEN + timedelta(days=199))
    erase_personal_data()
    assert holds_marker(row)
    clock.set_now(THEN + timedelta(days=200, minutes=1))
    erase_personal_data()
    assert not holds_marker(row)


def test_without_settings_a_municipality_has_the_defaults(centre: Location) -> None:
    settings = RetentionSettings(municipality=centre.municipality)
    assert (
        settings.booking_days,
        settings.contact_note_days,
        settings.message_days,
        settings.survey_comment_days,
        settings.call_record_days,
        settings.access_log_days,
    ) == (90, 90, 30, 90, 90, 1826)


def test_what_is_erased_leaves_the_rows_the_statistics_count(
    centre: Location, passport: Service
) -> None:
    booking = a_booking(centre, passport)
    answer = an_answer(centre, passport)
    clock.set_now(THEN + timedelta(days=100))
    erase_personal_data()
    booking.refresh_from_db()
    answer.refresh_from_db()
    assert (booking.name, booking.phone, booking.email, booking.note, booking.token) == (
        "",
        "",
        "",
        "",
        "",
    )
    assert (booking.code, booking.status, booking.start) == ("CODE00", "booked", THEN)
    # Still counted as an answer with a comment, and as satisfied.
    assert (answer.comment, answer.satisfaction) == ("[erased]", 4)


def test_a_message_still_on_its_way_keeps_its_recipient(
    centre: Location, passport: Service
) -> None:
    message = a_message(centre, passport)
    Message.objects.filter(pk=message.pk).update(status=Message.Status.PENDING, sent_at=None)
    clock.set_now(THEN + timedelta(days=40))
    erase_personal_data()
    message.refresh_from_db()
    assert message.recipient == "+4529517342"


def test_a_message_that_belongs_to_no_municipality_goes_after_the_default_period(
    centre: Location,
) -> None:
    # "This number takes no messages", to a number Skranke never wrote to.
    RetentionSettings.objects.create(municipality=centre.municipality, message_days=200)
    message = Message.objects.create(
        kind=Message.Kind.NUMBER_TAKES_NO_TEXTS,
        channel=Message.Channel.SMS,
        recipient="+4529517342",
        language="da",
        status=Message.Status.SENT,
        due_at=THEN,
        next_attempt_at=THEN,
        sent_at=THEN,
        body=f"{MARKER}-body",
    )
    clock.set_now(THEN + timedelta(days=29))
    erase_personal_data()
    assert holds_marker(message)
    clock.set_now(THEN + timedelta(days=30, minutes=1))
    assert count_due_personal_data(now=clock.now())["messages"] == 1
    erase_personal_data()
    message.refresh_from_db()
    assert (message.recipient, message.body) == ("", "")


def test_a_second_pass_changes_nothing(centre: Location, passport: Service) -> None:
    for make, _setting, _days in KINDS.values():
        make(centre, passport)
    later = THEN + timedelta(days=100)
    clock.set_now(later)
    first = erase_all_due_personal_data(now=later)
    assert sum(first.values()) >= 5
    assert sum(erase_all_due_personal_data(now=later).values()) == 0
    assert sum(count_due_personal_data(now=later).values()) == 0
    clock.set_now(later + timedelta(hours=2))  # the worker's next pass
    assert erase_personal_data() == 0


def test_the_dry_run_counts_what_would_go_and_changes_nothing(
    centre: Location, passport: Service
) -> None:
    a_message(centre, passport)  # and its booking
    a_booking(centre, passport)
    a_contact(centre, passport)
    clock.set_now(THEN + timedelta(days=100))
    out = StringIO()
    call_command("erase_personal_data", "--dry-run", stdout=out)
    report = out.getvalue()
    assert "booking details: 2" in report
    assert "text messages and e-mails: 1" in report
    assert "contact notes: 1" in report
    assert "survey comments: 0" in report
    assert "Dry run: nothing was erased." in report
    assert Booking.objects.exclude(name="").count() == 2
    assert Contact.objects.exclude(note="").count() == 1

    out = StringIO()
    call_command("erase_personal_data", stdout=out)
    assert "Erased:\n  booking details: 2\n" in out.getvalue()
    assert Booking.objects.exclude(name="").count() == 0
    assert Contact.objects.exclude(note="").count() == 0
    assert MARKER not in out.getvalue()


def test_the_log_line_has_counts_and_no_personal_data(
    centre: Location, passport: Service, caplog: pytest.LogCaptureFixture
) -> None:
    for make, _setting, _days in KINDS.values():
        make(centre, passport)
    clock.set_now(THEN + timedelta(days=100))
    with caplog.at_level(logging.INFO, logger="skranke.privacy"):
        erase_personal_data()
    lines = [record.getMessage() for record in caplog.records if record.name == "skranke.privacy"]
    assert len(lines) == 1
    assert "bookings=2 " in lines[0]  # one of them the message's
    assert "contact_notes=1 " in lines[0]
    assert MARKER not in lines[0]
    assert "29517342" not in lines[0]
    assert "example.org" not in lines[0]


def test_expired_sessions_go_and_live_ones_stay(centre: Location) -> None:
    with time_machine.travel(THEN, tick=False) as traveller:
        clock.reset()
        abandoned = SessionStore()
        abandoned["booking_drafts"] = {"k": {"name": MARKER}}
        abandoned.set_expiry(3600)
        abandoned.save()
        traveller.move_to(THEN + timedelta(hours=2))
        live = SessionStore()
        live["x"] = 1
        live.save()
        erase_personal_data()
        assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]


def test_the_worker_looks_once_an_hour(centre: Location, passport: Service) -> None:
    clock.set_now(THEN + timedelta(days=100))
    assert erase_personal_data() == 0
    booking = a_booking(centre, passport)
    clock.advance(timedelta(minutes=59))
    assert erase_personal_data() == 0
    assert holds_marker(booking)
    clock.advance(timedelta(minutes=2))
    assert erase_personal_data() == 1
    assert not holds_marker(booking)


def test_a_backlog_goes_a_batch_a_round_until_none_is_left(
    centre: Location, passport: Service
) -> None:
    for _number in range(5):
        a_booking(centre, passport)
    clock.set_now(THEN + timedelta(days=100))
    # The next round goes on at once, without waiting an hour.
    assert [erase_personal_data(batch=2) for _round in range(4)] == [2, 2, 1, 0]
    assert Booking.objects.exclude(name="").count() == 0
    assert BATCH == 500


def test_an_administrator_sets_the_periods_in_the_admin(
    centre: Location, staff_client: Callable[[User], Client]
) -> None:
    client = staff_client(member(Role.ADMINISTRATOR, centre))
    page = client.get("/admin/privacy/retentionsettings/add/")
    content = page.content.decode()
    assert page.status_code == 200
    assert 'value="90"' in content
    assert 'value="1826"' in content
    assert "the secret part of the booking link" in content
    response = client.post(
        "/admin/privacy/retentionsettings/add/",
        {
            "municipality": centre.municipality.pk,
            "booking_days": 60,
            "contact_note_days": 30,
            "message_days": 7,
            "survey_comment_days": 30,
            "call_record_days": 30,
            "access_log_days": 3,
        },
    )
    assert "Ensure this value is greater than or equal to 180." in response.content.decode()
    assert not RetentionSettings.objects.exists()


def test_the_staff_access_log_goes_after_its_own_longer_period(
    centre: Location, passport: Service
) -> None:
    """Who looked at a booking outlives the booking's own details (a citizen
    may ask years later), and then goes too."""
    booking = a_booking(centre, passport)
    clock.set_now(THEN)
    staff = User.objects.create_user(username="frida", municipality=centre.municipality)
    record_access(actor=staff, action=AccessRecord.Action.VIEWED_BOOKING, booking=booking)
    clock.set_now(THEN + timedelta(days=5 * 365))
    assert count_due_personal_data(now=clock.now())["access_records"] == 0
    erase_all_due_personal_data(now=clock.now())
    assert AccessRecord.objects.filter(booking_code=booking.code).exists()
    clock.set_now(THEN + timedelta(days=5 * 365 + 2))
    assert count_due_personal_data(now=clock.now())["access_records"] == 1
    assert erase_all_due_personal_data(now=clock.now())["access_records"] == 1
    assert not AccessRecord.objects.exists()


def test_a_manager_sees_the_periods_and_cannot_change_them(
    centre: Location, staff_client: Callable[[User], Client]
) -> None:
    RetentionSettings.objects.create(municipality=centre.municipality)
    manager = staff_client(member(Role.MANAGER, centre))
    assert manager.get("/admin/privacy/retentionsettings/").status_code == 200
    assert manager.get("/admin/privacy/retentionsettings/add/").status_code == 403
