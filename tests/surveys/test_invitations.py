"""Invitations to the satisfaction survey: two hours after a finished visit
or a reached telephone meeting, only with consent, once in 30 days per
phone number or e-mail address, with a link that names no errand."""

from datetime import datetime, timedelta

import pytest

from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.models import Location, Service
from skranke.notifications.composing import compose_message
from skranke.notifications.models import Message
from skranke.phone_meetings.models import MeetingCall
from skranke.queueing.models import Visit
from skranke.surveys.invitations import invite_to_surveys
from skranke.surveys.models import Invitation
from tests.stats.visits import make_booking, make_visit

pytestmark = pytest.mark.django_db

TEN = datetime(2026, 12, 7, 10, 0, tzinfo=clock.LOCAL_ZONE)


def finished_visit(
    location: Location, service: Service, *, phone: str = "+4520000001", **booking: object
) -> Booking:
    """A booked visit at ten that ended at 10:15, for a citizen who agreed
    to a survey and to text messages unless told otherwise."""
    values: dict[str, object] = {"survey_consent": True, "sms_consent": True, "phone": phone}
    values.update(booking)
    made = make_booking(location=location, service=service, start=TEN, **values)
    make_visit(location=location, service=service, arrived=TEN, waited=5, served=10, booking=made)
    return made


def test_the_invitation_goes_about_two_hours_after_the_visit(
    centre: Location, passport: Service
) -> None:
    booking = finished_visit(centre, passport)
    clock.set_now(TEN + timedelta(hours=2))  # the visit ended 1 h 45 min ago
    invite_to_surveys()
    assert not Invitation.objects.exists()
    clock.set_now(TEN + timedelta(hours=2, minutes=20))
    assert invite_to_surveys() == 1
    message = Message.objects.get(kind=Message.Kind.SURVEY)
    assert message.booking == booking
    assert message.channel == Message.Channel.SMS
    invitation = Invitation.objects.get(booking=booking)
    assert invitation.sent
    assert invitation.expires_at == clock.now() + timedelta(days=7)
    text = compose_message(message=message).body
    assert f"/undersoegelse/{invitation.token}/" in text
    assert "Passport" not in text
    assert "Pas" not in text.split("/undersoegelse/")[0]
    assert invite_to_surveys() == 0  # once


def test_no_consent_no_survey(centre: Location, passport: Service) -> None:
    finished_visit(centre, passport, survey_consent=False)
    clock.set_now(TEN + timedelta(hours=3))
    assert invite_to_surveys() == 0
    assert not Message.objects.filter(kind=Message.Kind.SURVEY).exists()


def test_nobody_is_asked_twice_in_thirty_days(centre: Location, passport: Service) -> None:
    first = finished_visit(centre, passport)
    clock.set_now(TEN + timedelta(hours=3))
    invite_to_surveys()
    second = make_booking(
        location=centre,
        service=passport,
        start=TEN + timedelta(days=10),
        survey_consent=True,
        sms_consent=True,
        phone=first.phone,
    )
    make_visit(location=centre, service=passport, arrived=second.start, booking=second)
    clock.set_now(second.start + timedelta(hours=3))
    invite_to_surveys()
    assert not Invitation.objects.get(booking=second).sent
    assert Message.objects.filter(kind=Message.Kind.SURVEY).count() == 1
    third = make_booking(
        location=centre,
        service=passport,
        start=TEN + timedelta(days=31),
        survey_consent=True,
        email="ane@example.org",
        phone=first.phone,
    )
    make_visit(location=centre, service=passport, arrived=third.start, booking=third)
    clock.set_now(third.start + timedelta(hours=3))
    invite_to_surveys()
    assert Invitation.objects.get(booking=third).sent


def test_visits_the_desk_did_not_end_are_not_asked_about(
    centre: Location, passport: Service
) -> None:
    booking = finished_visit(centre, passport)
    Visit.objects.filter(booking=booking).update(not_ended_by_staff=True)
    clock.set_now(TEN + timedelta(hours=3))
    assert invite_to_surveys() == 0


def test_a_reached_telephone_meeting_is_asked_about(centre: Location) -> None:
    topic = Service.objects.create(
        municipality=centre.municipality,
        slug="tlf",
        name_da="Telefonmøde",
        duration_minutes=15,
        kind=Service.Kind.PHONE,
    )
    booking = make_booking(
        location=centre, service=topic, start=TEN, survey_consent=True, email="ane@example.org"
    )
    MeetingCall.objects.create(
        booking=booking,
        started_at=TEN,
        finished_at=TEN + timedelta(minutes=10),
        outcome=MeetingCall.Outcome.REACHED,
    )
    clock.set_now(TEN + timedelta(hours=3))
    assert invite_to_surveys() == 1
    message = Message.objects.get(kind=Message.Kind.SURVEY)
    assert message.channel == Message.Channel.EMAIL
    composed = compose_message(message=message)
    assert "Rådhuset" in composed.subject
    assert "Telefonmøde" not in composed.body
