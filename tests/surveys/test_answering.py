"""Answering the survey: once, within seven days, anonymously, and never
with a CPR number; the terminal by the exit takes one tap."""

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.test import Client

from skranke.accounts.models import Device
from skranke.core import clock
from skranke.core.models import Location, Service
from skranke.surveys.invitations import invite
from skranke.surveys.models import Answer, Invitation
from tests.centre import device_token
from tests.stats.visits import make_booking

pytestmark = pytest.mark.django_db

TEN = datetime(2026, 12, 7, 10, 0, tzinfo=clock.LOCAL_ZONE)
ANSWERS = {
    "satisfaction": "5",
    "on_time": "yes",
    "easy_to_find": "yes",
    "booked_via": "website",
    "knew_required": "no",
    "comment": "Fint",
}


@pytest.fixture
def invitation(centre: Location, passport: Service) -> Invitation:
    booking = make_booking(
        location=centre,
        service=passport,
        start=TEN,
        name="Ane Marker",
        phone="+4520999999",
        email="marker@example.org",
        survey_consent=True,
        sms_consent=True,
    )
    clock.set_now(TEN + timedelta(hours=3))
    made = invite(booking=booking, now=clock.now())
    assert made is not None
    return made


def english() -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def url(invitation: Invitation) -> str:
    return f"/undersoegelse/{invitation.token}/"


def test_a_citizen_answers_once_and_the_answer_is_anonymous(invitation: Invitation) -> None:
    client = english()
    assert client.get(url(invitation)).status_code == 200
    response = client.post(url(invitation), ANSWERS)
    assert response.status_code == 302
    answer = Answer.objects.get()
    assert (answer.satisfaction, answer.on_time, answer.booked_via) == (5, "yes", "website")
    assert answer.service_id == invitation.booking.service_id
    stored = " ".join(str(getattr(answer, field.attname)) for field in Answer._meta.concrete_fields)
    for personal in ("Ane", "Marker", "20999999", "marker@example.org", invitation.booking.code):
        assert personal not in stored
    again = client.post(url(invitation), ANSWERS)
    assert "already answered" in again.content.decode()
    assert Answer.objects.count() == 1


def test_an_expired_link_is_closed_and_an_unknown_one_is_not_found(
    invitation: Invitation,
) -> None:
    clock.set_now(invitation.expires_at + timedelta(minutes=1))
    response = english().post(url(invitation), ANSWERS)
    assert "has closed" in response.content.decode()
    assert not Answer.objects.exists()
    assert Client().get("/undersoegelse/not-a-token/").status_code == 404


def test_a_cpr_number_in_the_comment_is_refused(invitation: Invitation) -> None:
    for comment in ("Mit cpr er 010190-1234", "0101901234 skilsmisse", "010190 1234"):
        response = english().post(url(invitation), {**ANSWERS, "comment": comment})
        assert response.status_code == 422
        assert "remove the CPR number" in response.content.decode()
    assert not Answer.objects.exists()
    invitation.refresh_from_db()
    assert invitation.answered_at is None
    # Ordinary numbers are fine: a date, a price, a phone number's digits.
    fine = english().post(url(invitation), {**ANSWERS, "comment": "Kl. 10.30, pris 150 kr."})
    assert fine.status_code == 302


def test_an_empty_form_asks_for_one_answer(invitation: Invitation) -> None:
    response = english().post(url(invitation), {})
    assert response.status_code == 422
    assert "at least one question" in response.content.decode()


def test_the_terminal_takes_one_tap(centre: Location, staff_client: Callable[..., Client]) -> None:
    terminal = Client()
    terminal.post("/enhed/", {"token": device_token(centre, Device.Kind.SURVEY_TERMINAL)})
    page = terminal.get("/undersoegelse/terminal/")
    assert page.status_code == 200
    response = terminal.post("/undersoegelse/terminal/", {"smiley": "4"})
    assert response.status_code == 302
    assert terminal.get(response["Location"]).status_code == 200
    answer = Answer.objects.get()
    assert (answer.source, answer.satisfaction, answer.location) == ("terminal", 5, centre)
    terminal.post("/undersoegelse/terminal/", {"smiley": "9"})
    assert Answer.objects.count() == 1
    assert Client().get("/undersoegelse/terminal/").status_code == 302  # devices only
