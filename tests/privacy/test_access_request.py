"""A citizen's right of access and erasure: an administrator finds what is
held about a citizen by mobile number and/or e-mail address, gives it to
them as JSON or PDF, and erases it at their request, within the
municipality; everything posted, so that no number or address goes into
an address (clock: the centre of tests/centre.py, December 2026)."""

import json
import re
import subprocess
import tempfile

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from skranke.access_log.models import AccessRecord
from skranke.access_log.recording import Action, record_access
from skranke.accounts.models import Role, User
from skranke.booking.availability import Policy
from skranke.booking.booking import book_appointment
from skranke.booking.models import Booking
from skranke.contact_centre.contact_log import log_contact
from skranke.contact_centre.models import Contact, Topic
from skranke.core import clock
from skranke.core.models import Location, Municipality, Service
from skranke.notifications.delivery import deliver_due_messages
from skranke.notifications.models import Message
from skranke.privacy.models import ErasureRequest
from tests.access_log.conftest import member
from tests.centre import at, citizen

pytestmark = pytest.mark.django_db

URL = "/personale/indsigt/"
PHONE = "+4520000001"
EMAIL = "borger1@example.dk"
NOTE = "Flytter til Aarhus"
CONTACT_NOTE = "Ringede om sit pas"


@pytest.fixture
def admin(centre: Location) -> User:
    return member(Role.ADMINISTRATOR, centre, "anna")


@pytest.fixture
def front_desk(centre: Location) -> User:
    return member(Role.FRONT_DESK, centre, "frida")


def book(centre: Location, service: Service, *, day: int, number: int = 1) -> Booking:
    return book_appointment(
        location=centre,
        service=service,
        start=at(day, 10),
        citizen=citizen(number, email=f"borger{number}@example.dk", note=NOTE, sms_consent=True),
        channel=Booking.Channel.WEB,
        policy=Policy.for_staff(centre),
    )


@pytest.fixture
def history(
    centre: Location, passport: Service, card: Service, front_desk: User
) -> dict[str, Booking]:
    """A citizen's booking on Tuesday 8 December (past by Wednesday), one on
    Friday 11 December (still to come), a contact about the first, their
    messages sent, and a front-desk member who looked; then Wednesday."""
    past = book(centre, passport, day=8)
    future = book(centre, card, day=11)
    somebody_else = book(centre, passport, day=8, number=2)
    agent = member(Role.CONTACT_AGENT, centre, "karim")
    topic = Topic.objects.create(municipality=centre.municipality, name_da="Pas")
    log_contact(
        agent=agent,
        channel=Contact.Channel.PHONE,
        topic_id=topic.pk,
        outcome=Contact.Outcome.SETTLED,
        booking_code=past.code,
        note=CONTACT_NOTE,
    )
    deliver_due_messages()
    clock.set_now(at(7, 9, 12))
    record_access(actor=front_desk, action=Action.VIEWED_BOOKING, booking=past)
    clock.set_now(at(9, 8, 30))
    deliver_due_messages()  # the reminders, by the worker
    return {"past": past, "future": future, "somebody_else": somebody_else}


@pytest.fixture
def elsewhere(passport: Service) -> Booking:
    """The same number and address at another municipality's town hall."""
    town = Municipality.objects.create(name="Andeby", slug="andeby")
    hall = Location.objects.create(municipality=town, name="Andeby Rådhus", slug="andeby")
    return Booking.objects.create(
        code="ANDEBY22",
        token="x" * 32,
        location=hall,
        service=passport,
        start=at(3, 10),
        end=at(3, 10, 15),
        status=Booking.Status.SERVED,
        name="Andeby-borger",
        phone=PHONE,
        email=EMAIL,
        language="da",
        channel=Booking.Channel.WEB,
    )


def search(client: Client, **fields: str):
    return client.post(URL, {"action": "search", **fields})


def test_an_administrator_finds_a_citizens_data_and_who_looked_at_it(
    history: dict[str, Booking], elsewhere: Booking, admin: User, staff_client
) -> None:
    client = staff_client(admin)
    assert URL in client.get("/personale/").content.decode()
    answer = search(client, phone="20 00 00 01")
    page = answer.content.decode()
    assert answer.status_code == 200
    assert history["past"].code in page
    assert history["future"].code in page
    assert history["somebody_else"].code not in page
    assert "Borger 1" in page
    assert NOTE in page
    assert CONTACT_NOTE in page
    assert "Confirmation" in page  # the messages sent to the number
    assert "Frida" in page
    assert "Viewed the booking" in page
    # Another municipality's booking with the same number is never shown.
    assert elsewhere.code not in page
    assert "Andeby" not in page
    # The search itself is in the access log, for each booking found.
    searched = AccessRecord.objects.filter(user=admin, action=Action.SEARCHED)
    assert {record.booking_code for record in searched} == {
        history["past"].code,
        history["future"].code,
    }


def test_the_e_mail_address_alone_finds_the_same_bookings(
    history: dict[str, Booking], admin: User, staff_client
) -> None:
    page = search(staff_client(admin), email="BORGER1@example.dk").content.decode()
    assert history["past"].code in page
    assert history["future"].code in page
    assert history["somebody_else"].code not in page


def test_front_desk_staff_and_managers_may_not_see_the_page(
    history: dict[str, Booking], centre: Location, front_desk: User, staff_client
) -> None:
    manager = member(Role.MANAGER, centre, "maja")
    for user in (front_desk, manager):
        client = staff_client(user)
        assert client.get(URL).status_code == 403
        assert search(client, phone=PHONE).status_code == 403
        assert URL not in client.get("/personale/").content.decode()


def test_the_data_protection_officer_may_look_but_not_erase(
    history: dict[str, Booking], front_desk: User, staff_client
) -> None:
    front_desk.user_permissions.add(Permission.objects.get(codename="read_access_log"))
    officer = User.objects.get(pk=front_desk.pk)
    client = staff_client(officer)
    page = search(client, phone=PHONE).content.decode()
    assert history["past"].code in page
    assert 'value="erase"' not in page
    erase = client.post(URL, {"action": "erase", "phone": PHONE, "reason": "Anmodning"})
    assert erase.status_code == 403
    assert Booking.objects.get(pk=history["past"].pk).name == "Borger 1"


def test_the_json_export_holds_the_citizens_data(
    history: dict[str, Booking], admin: User, staff_client
) -> None:
    answer = staff_client(admin).post(URL, {"action": "json", "phone": PHONE, "email": EMAIL})
    assert answer["Content-Type"].startswith("application/json")
    assert "attachment" in answer["Content-Disposition"]
    data = json.loads(answer.content)
    codes = {booking["code"] for booking in data["bookings"]}
    assert codes == {history["past"].code, history["future"].code}
    assert {booking["note"] for booking in data["bookings"]} == {NOTE}
    assert [contact["note"] for contact in data["contacts"]] == [CONTACT_NOTE]
    assert data["messages"]
    assert {m["recipient"] for m in data["messages"]} <= {PHONE, EMAIL}
    assert any(row["who"] == "frida" for row in data["access_log"])
    assert AccessRecord.objects.filter(user=admin, action=Action.EXPORTED).count() == 2


def test_the_pdf_export_is_a_pdf_with_the_bookings(
    history: dict[str, Booking], admin: User, staff_client
) -> None:
    answer = staff_client(admin).post(URL, {"action": "pdf", "phone": PHONE})
    assert answer["Content-Type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(answer.content)
        file.flush()
        text = subprocess.run(
            ["pdftotext", "-layout", file.name, "-"], capture_output=True, text=True, check=True
        ).stdout
    assert history["past"].code in text
    assert CONTACT_NOTE in text


def test_erasing_needs_a_reason(history: dict[str, Booking], admin: User, staff_client) -> None:
    page = staff_client(admin).post(URL, {"action": "erase", "phone": PHONE, "reason": " "})
    assert "Write the reason for the erasure" in page.content.decode()
    assert Booking.objects.get(pk=history["past"].pk).name == "Borger 1"
    assert not ErasureRequest.objects.exists()


def test_erasing_blanks_the_past_and_keeps_what_is_to_come(
    history: dict[str, Booking], admin: User, staff_client
) -> None:
    past, future = history["past"], history["future"]
    reason = "Anmodning pr. e-mail 8. december, sag 2026-1234"
    answer = staff_client(admin).post(
        URL, {"action": "erase", "phone": PHONE, "email": EMAIL, "reason": reason}
    )
    page = answer.content.decode()
    past.refresh_from_db()
    assert (past.name, past.phone, past.email, past.note, past.token) == ("", "", "", "", "")
    past_messages = Message.objects.filter(booking=past)
    assert past_messages.exists()
    assert set(past_messages.values_list("recipient", "body")) == {("", "")}
    assert Contact.objects.get(booking=past).note == ""
    # The booking still to come is refused, with a clear message.
    future.refresh_from_db()
    assert (future.name, future.phone, future.note) == ("Borger 1", PHONE, NOTE)
    assert "The citizen must cancel them first" in page
    assert future.code in page
    assert Message.objects.filter(booking=future).exclude(recipient="").exists()
    # Another citizen's booking is untouched.
    assert Booking.objects.get(pk=history["somebody_else"].pk).name == "Borger 2"
    # The erasure is recorded: the request with its reason, and the log.
    request = ErasureRequest.objects.get()
    assert (request.user, request.reason, request.refused) == (admin, reason, 1)
    assert request.counts["bookings"] == 1
    erased = AccessRecord.objects.filter(action=Action.ERASED_ON_REQUEST)
    assert [(row.actor_name, row.booking_code) for row in erased] == [("anna", past.code)]


def test_a_cancelled_booking_to_come_may_be_erased(
    history: dict[str, Booking], admin: User, staff_client
) -> None:
    future = history["future"]
    Booking.objects.filter(pk=future.pk).update(status=Booking.Status.CANCELLED)
    staff_client(admin).post(URL, {"action": "erase", "phone": PHONE, "reason": "Anmodning"})
    assert Booking.objects.get(pk=future.pk).name == ""


def test_no_phone_number_or_address_goes_into_an_address(
    history: dict[str, Booking], admin: User, staff_client
) -> None:
    client = staff_client(admin)
    pages = [
        client.get(URL),
        search(client, phone=PHONE, email=EMAIL),
        client.post(URL, {"action": "erase", "phone": PHONE, "reason": ""}),
    ]
    for answer in pages:
        assert answer.request["PATH_INFO"] == URL
        assert answer.request.get("QUERY_STRING", "") == ""
        html = answer.content.decode()
        forms = re.findall(r"<form[^>]*>", html)
        assert forms
        assert all('method="post"' in form for form in forms), forms
        for link in re.findall(r'(?:href|action)="([^"]*)"', html):
            assert "20000001" not in link, link
            assert "borger1" not in link.lower(), link
        assert answer["Cache-Control"] == "no-store"
