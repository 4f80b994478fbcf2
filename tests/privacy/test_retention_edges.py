"""What waits is not kept for ever: a message that never goes is given up
two days after it was due and its recipient goes with the other
messages'; the record of an erasure on request goes with the access log;
a citizen's session holding the details they typed ends an hour after
the latest step, not after a staff member's working day."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client

from skranke.booking.availability import Policy
from skranke.booking.booking import book_appointment
from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.models import Location, Service
from skranke.notifications.models import Message
from skranke.notifications.too_late import give_up_late_messages
from skranke.privacy.erasure import erase_all_due_personal_data
from skranke.privacy.models import ErasureRequest
from tests.centre import at, citizen

pytestmark = pytest.mark.django_db


def test_a_message_that_never_went_is_given_up_and_then_erased(
    centre: Location, passport: Service
) -> None:
    booking = book_appointment(
        location=centre,
        service=passport,
        start=at(9, 10),
        citizen=citizen(1, sms_consent=True),
        channel=Booking.Channel.WEB,
        policy=Policy.for_staff(centre),
    )
    confirmation = Message.objects.get(booking=booking, kind="confirmation")
    # Put off again and again (the hour's text budget spent, say).
    Message.objects.filter(pk=confirmation.pk).update(
        next_attempt_at=clock.now() + timedelta(days=99)
    )
    clock.set_now(clock.now() + timedelta(hours=47))
    assert give_up_late_messages() == 0
    clock.set_now(clock.now() + timedelta(hours=2))
    assert give_up_late_messages() == 1
    confirmation.refresh_from_db()
    assert confirmation.status == Message.Status.SKIPPED
    assert confirmation.recipient  # until the message period is over
    erase_all_due_personal_data(now=clock.now() + timedelta(days=31))
    confirmation.refresh_from_db()
    assert confirmation.recipient == ""


def test_an_erasure_request_goes_with_the_access_log(centre: Location) -> None:
    ErasureRequest.objects.create(
        actor_name="admin", municipality=centre.municipality, reason="Borgerens ønske", counts={}
    )
    erase_all_due_personal_data(now=clock.now() + timedelta(days=365))
    assert ErasureRequest.objects.count() == 1
    erase_all_due_personal_data(now=clock.now() + timedelta(days=5 * 365 + 2))
    assert not ErasureRequest.objects.exists()


def test_a_citizens_typed_details_are_kept_an_hour_not_a_working_day(
    centre: Location, passport: Service
) -> None:
    client = Client()
    details = {"name": "Ane Hansen", "phone": "20123456", "email": "", "sms_consent": "on"}
    slug = centre.slug
    answer = client.post(f"/bestil/pas/{slug}/oplysninger/?start=2026-12-08T10:00", details)
    assert answer.status_code == 302
    age = client.session.get_expiry_age()
    assert age == settings.BOOKING_DRAFT_MINUTES * 60 == 3600
    assert age < settings.SESSION_COOKIE_AGE
