"""A service marked sensitive is not named in what reaches the citizen's
phone, inbox or calendar: text messages, e-mails and the calendar file say
"your appointment". Other services are still named."""

from datetime import time

import pytest
from django.core import mail
from django.test import override_settings
from icalendar import Calendar

from skranke.booking.availability import Policy
from skranke.booking.booking import book_appointment
from skranke.booking.models import Booking
from skranke.core.models import Desk, DeskShift, Location, Service
from skranke.notifications.composing import compose_message
from skranke.notifications.delivery import deliver_due_messages
from skranke.notifications.models import Message
from tests.centre import at, citizen

pytestmark = pytest.mark.django_db

Kind = Message.Kind


@pytest.fixture
def sickness_benefit(centre: Location) -> Service:
    service = Service.objects.create(
        municipality=centre.municipality,
        slug="tlf-sygedagpenge",
        name_da="Telefonmøde: Sygedagpenge",
        name_en="Telephone meeting: Sickness benefit",
        duration_minutes=15,
        kind=Service.Kind.PHONE,
        sensitive=True,
    )
    service.locations.add(centre)
    line = Desk.objects.create(location=centre, name="Telefon 1", kind=Desk.Kind.PHONE_LINE)
    for weekday in range(5):
        shift = DeskShift.objects.create(desk=line, weekday=weekday, starts=time(10), ends=time(15))
        shift.services.set([service])
    return service


def book(centre: Location, service: Service, language: str = "da") -> Booking:
    return book_appointment(
        location=centre,
        service=service,
        start=at(9, 10),
        citizen=citizen(1, sms_consent=True, email="borger@example.dk", language=language),
        channel=Booking.Channel.WEB,
        policy=Policy.for_staff(centre),
    )


def everything_sent(booking: Booking, kinds: tuple[str, ...]) -> str:
    """Every text message and e-mail of `kinds` for `booking`, subject and
    body, as one text."""
    parts = []
    for kind in kinds:
        for channel in Message.Channel.values:
            draft = Message(booking=booking, kind=kind, channel=channel, language=booking.language)
            composed = compose_message(message=draft)
            parts += [composed.subject, composed.body]
    return "\n".join(parts)


PHONE_MEETING_KINDS = (Kind.CONFIRMATION, Kind.REMINDER, Kind.RESCHEDULED, Kind.TRIED_TO_CALL)
VISIT_KINDS = (Kind.CONFIRMATION, Kind.REMINDER, Kind.RESCHEDULED, Kind.CANCELLED)


@pytest.mark.parametrize("language", ["da", "en"])
def test_a_sensitive_telephone_meetings_messages_do_not_name_it(
    centre: Location, sickness_benefit: Service, language: str
) -> None:
    sent = everything_sent(book(centre, sickness_benefit, language), PHONE_MEETING_KINDS)
    assert "Sygedagpenge" not in sent
    assert "Sickness benefit" not in sent
    if language == "en":  # the Danish words come with the translations
        assert "your appointment" in sent


def test_a_sensitive_visits_messages_do_not_name_it(centre: Location, passport: Service) -> None:
    passport.name_da, passport.sensitive = "Kontanthjælp", True
    passport.save()
    sent = everything_sent(book(centre, passport, "en"), VISIT_KINDS)
    assert "Kontanthjælp" not in sent
    assert "your appointment" in sent


def test_an_ordinary_service_is_still_named(centre: Location, passport: Service) -> None:
    sent = everything_sent(book(centre, passport, "en"), VISIT_KINDS)
    assert sent.count("(Pas)") == 3  # confirmation, reminder, move; a cancellation needs not
    assert sent.count("for Pas") == 4  # and every e-mail
    assert "your appointment" not in sent


def calendar_summary_of_the_confirmation(centre: Location, service: Service) -> str:
    with override_settings(SMS_TRANSPORT="console", EMAIL_TRANSPORT="email"):
        book(centre, service, "en")
        deliver_due_messages()
    (email,) = mail.outbox
    ((_name, content, _mimetype),) = email.attachments
    (event,) = Calendar.from_ical(content).walk("VEVENT")
    return str(event["SUMMARY"])


def test_the_calendar_file_of_a_sensitive_service_says_appointment(
    centre: Location, sickness_benefit: Service
) -> None:
    assert (
        calendar_summary_of_the_confirmation(centre, sickness_benefit)
        == "Your appointment – Rådhuset"
    )


def test_the_calendar_file_of_an_ordinary_service_names_it(
    centre: Location, passport: Service
) -> None:
    assert calendar_summary_of_the_confirmation(centre, passport) == "Pas – Rådhuset"
