"""Free text refuses a CPR number wherever it comes in: a telephone
meeting's note (web form and API), the contact centre's note and the
survey's comment; and each field says what not to write. Ordinary numbers
(a phone number, a date) pass."""

import json
from collections.abc import Callable
from datetime import time

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client

from skranke.accounts.models import Role, User
from skranke.booking.details import clean_citizen_details
from skranke.booking.forms import DetailsForm, StaffBookingForm
from skranke.booking.models import Booking
from skranke.contact_centre.models import Contact, Topic
from skranke.core.errors import InvalidInput
from skranke.core.free_text import validate_free_text
from skranke.core.models import Desk, DeskShift, Location, Service
from skranke.surveys.forms import SurveyForm
from tests.booking.test_staff_booking import member

CPR_NUMBERS = [
    "010190-1234",
    "0101901234",
    "010190 1234",
    "Mit cpr er 311299-4321, ring gerne",
    "cpr:241070-1111.",
    # As people type them: in groups, with dots, slashes, and the dashes a
    # phone or a word processor puts in (en dash, em dash, minus, hyphen).
    "01 01 90 1234",
    "010190\u20131234",
    "010190\u20141234",
    "010190\u22121234",
    "010190\u20101234",
    "010190 \u2013 1234",
    "01.01.90.1234",
    "01/01/90/1234",
    "010190 - 1234",
    "cpr nr. 010190.1234",
]
ORDINARY = [
    "Ring på 20 12 34 56 eller 20123456",
    "Flytning 01-01-2026 til Aarhus",
    "Kl. 10.30, pris 150 kr., sag 2026-0012",
    "+45 20123456",
    "1234567890",  # no day 12 of month 34
    "",
    "Mødet 01.01.2026 kl. 10.30",
    "Tlf. +45 20 30 40 50",
    "01/01/2026 kl 1030",
    "Sag 12.12.2026 og 13.12.2026",
]


def test_a_cpr_number_in_a_name_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        clean_citizen_details(name="Ane Hansen 010190-1234", phone="20123456")
    assert refused.value.field == "name"


@pytest.mark.parametrize("text", CPR_NUMBERS)
def test_a_cpr_number_is_refused_with_a_clear_message(text: str) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_free_text(text)
    assert refused.value.code == "cpr_number"
    assert "remove the CPR number" in refused.value.messages[0]


@pytest.mark.parametrize("text", ORDINARY)
def test_phone_numbers_and_dates_pass(text: str) -> None:
    validate_free_text(text)


@pytest.fixture
def phone_service(centre: Location) -> Service:
    service = Service.objects.create(
        municipality=centre.municipality,
        slug="tlf-folkeregister",
        name_da="Telefonmøde: Folkeregister",
        duration_minutes=15,
        kind=Service.Kind.PHONE,
    )
    service.locations.add(centre)
    line = Desk.objects.create(location=centre, name="Telefon 1", kind=Desk.Kind.PHONE_LINE)
    for weekday in range(5):
        shift = DeskShift.objects.create(desk=line, weekday=weekday, starts=time(10), ends=time(15))
        shift.services.set([service])
    return service


DETAILS = {"name": "Ane Hansen", "phone": "20 12 34 56", "email": "", "sms_consent": "on"}
DETAILS_URL = "/bestil/tlf-folkeregister/raadhus/oplysninger/?start=2026-12-08T10:00"


def english_client() -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_telephone_meetings_note_refuses_a_cpr_number_on_the_web(
    phone_service: Service,
) -> None:
    client = english_client()
    refused = client.post(DETAILS_URL, DETAILS | {"note": "Sygedagpenge, cpr 010190-1234"})
    assert refused.status_code == 200  # the page again, the field marked
    assert "remove the CPR number" in refused.content.decode()
    accepted = client.post(DETAILS_URL, DETAILS | {"note": "Flytning 01-01-2026, tlf 20123456"})
    assert accepted.status_code == 302


@pytest.mark.django_db
def test_the_note_fields_say_what_not_to_write() -> None:
    citizen_note = DetailsForm(phone_meeting=True).fields["note"]
    staff_note = StaffBookingForm(phone_meeting=True).fields["note"]
    survey_comment = SurveyForm().fields["comment"]
    for field in (citizen_note, staff_note, survey_comment):
        assert "CPR number" in str(field.help_text)
        assert "health" in str(field.help_text)


def post_booking(client: Client, note: str) -> object:
    body = {
        "location": "raadhus",
        "service": "tlf-folkeregister",
        "start": "2026-12-08T10:00:00+01:00",
        "name": "Ane Hansen",
        "phone": "20 12 34 56",
        "note": note,
    }
    return client.post("/api/v1/bookings", json.dumps(body), content_type="application/json")


def test_the_api_refuses_a_cpr_number_in_the_note_in_its_usual_shape(
    phone_service: Service,
) -> None:
    client = Client(headers={"Accept-Language": "en"})
    refused = post_booking(client, "0101901234")
    assert refused.status_code == 422  # type: ignore[attr-defined]
    body = refused.json()  # type: ignore[attr-defined]
    assert body["error"] == "invalid"
    assert set(body["fields"]) == {"note"}
    assert body["fields"]["note"].startswith("Please remove the CPR number")
    assert not Booking.objects.exists()
    accepted = post_booking(client, "Ring 20 12 34 56, flytter 01-01-2026")
    assert accepted.status_code == 201  # type: ignore[attr-defined]
    assert Booking.objects.get().note == "Ring 20 12 34 56, flytter 01-01-2026"


@pytest.fixture
def topic(centre: Location) -> Topic:
    return Topic.objects.create(municipality=centre.municipality, name_da="Pas")


def test_the_contact_log_refuses_a_cpr_number_in_the_note(
    topic: Topic, centre: Location, staff_client: Callable[[User], Client]
) -> None:
    client = staff_client(member(Role.CONTACT_AGENT, centre))
    entered = {"channel": "phone", "topic": str(topic.pk), "outcome": "settled"}
    refused = client.post("/personale/kontaktcenter/", entered | {"note": "010190 1234 ringede"})
    assert refused.status_code == 422
    page = refused.content.decode()
    assert "remove the CPR number" in page
    assert "No CPR number and no health details" in page
    assert not Contact.objects.exists()
    client.post("/personale/kontaktcenter/", entered | {"note": "Ringer igen 20123456"})
    assert Contact.objects.get().note == "Ringer igen 20123456"


@pytest.mark.django_db
def test_the_survey_form_refuses_a_cpr_number_in_the_comment() -> None:
    refused = SurveyForm({"comment": "Mit cpr er 010190-1234"})
    assert not refused.is_valid()
    assert "remove the CPR number" in refused.errors["comment"][0]
    assert SurveyForm({"comment": "Ventede fra 10:00 til 10:20, ring 20123456"}).is_valid()
