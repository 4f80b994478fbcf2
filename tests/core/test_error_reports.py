"""A failing request is reported to ADMINS by e-mail without the citizen's
data: no name, phone number or secret token, in any part of the report."""

import json

import pytest
from django.core import mail
from django.test import Client, RequestFactory, override_settings
from django.views.debug import ExceptionReporter

from skranke.booking.models import Booking
from skranke.core.models import Location, Service
from skranke.web.error_reports import PrivateExceptionReporter

pytestmark = pytest.mark.django_db

NAME, PHONE, TOKEN = "Gertrud Hansen", "+4520123456", "hemmelig-nøgle-123"


@pytest.fixture
def failing_booking(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(**details: object) -> Booking:
        citizen = details["citizen"]  # a local variable the traceback shows
        raise RuntimeError(f"the database went away while booking for {len(str(citizen))}")

    monkeypatch.setattr("skranke.api.bookings.book_appointment", fail)


@override_settings(ADMINS=[("Drift", "drift@kommune.invalid")], DEBUG=False)
@pytest.mark.usefixtures("failing_booking")
def test_the_error_mail_carries_no_personal_data(centre: Location, passport: Service) -> None:
    client = Client(raise_request_exception=False)
    client.cookies["django_language"] = "da"
    response = client.post(
        f"/api/v1/bookings?token={TOKEN}",
        json.dumps(
            {
                "location": centre.slug,
                "service": passport.slug,
                "start": "2026-12-08T10:00:00+01:00",
                "name": NAME,
                "phone": PHONE,
            }
        ),
        content_type="application/json",
        HTTP_REFERER=f"https://kommune.invalid/tid/ABC?token={TOKEN}&phone={PHONE}",
    )
    assert response.status_code == 500
    assert NAME not in response.content.decode()
    (report,) = mail.outbox
    everything = (
        report.subject + report.body + "".join(str(content) for _, content, _ in report.attachments)
    )
    # The report is still useful: what failed, where.
    assert "RuntimeError" in everything
    assert "/api/v1/bookings" in everything
    for secret in (NAME, "Gertrud", PHONE, "20123456", TOKEN):
        assert secret not in everything


@override_settings(DEBUG=True)
def test_a_developer_sees_everything_with_debug_on() -> None:
    request = RequestFactory().get(f"/api/v1/bookings/ABC?token={TOKEN}")
    try:
        raise RuntimeError
    except RuntimeError as error:
        report = PrivateExceptionReporter(request, type(error), error, error.__traceback__)
        assert isinstance(report, ExceptionReporter)
        text = report.get_traceback_text()
    assert TOKEN in text
