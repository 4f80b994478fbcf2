"""What managers see of the messages to citizens, the failed ones they try
again, and the day they cancel when the centre must close."""

from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client, override_settings

from skranke.accounts.models import Role, User
from skranke.booking.availability import Policy
from skranke.booking.booking import book_appointment, cancel_bookings_by_centre
from skranke.booking.models import Booking
from skranke.core.errors import InvalidInput
from skranke.core.models import Desk, Location, Service, SpecialDay
from skranke.notifications.delivery import deliver_due_messages
from skranke.notifications.models import Message
from tests.booking.test_staff_booking import member
from tests.centre import at, citizen

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], Client]


def book(centre: Location, service: Service, number: int, moment) -> Booking:  # type: ignore[no-untyped-def]
    return book_appointment(
        location=centre,
        service=service,
        start=moment,
        citizen=citizen(number, sms_consent=True, language="en"),
        channel=Booking.Channel.WEB,
        policy=Policy.for_staff(centre),
    )


def cancel_day_form(centre: Location, **changes: object) -> dict[str, object]:
    """The cancel-a-day form for Wednesday 9 December at `centre`."""
    return {
        "location": centre.pk,
        "day": "2026-12-09",
        "desk": "",
        "reason_da": "Strømsvigt.",
        "reason_en": "Power cut.",
    } | changes


@pytest.fixture
def elsewhere(centre: Location) -> Location:
    return Location.objects.create(
        municipality=centre.municipality, name="Biblioteket", slug="bibliotek", address="Vej 2"
    )


def test_a_manager_sees_messages_per_day_and_kind(
    centre: Location, passport: Service, staff_client: ClientFor
) -> None:
    book(centre, passport, 1, at(9, 10))
    book(centre, passport, 2, at(9, 11))
    first = Message.objects.filter(kind="confirmation").order_by("pk").first()
    assert first is not None
    Message.objects.filter(pk=first.pk).update(status="dead", last_error="GatewayAPI answered 503")
    page = staff_client(member(Role.MANAGER, centre)).get("/personale/beskeder/")
    text = page.content.decode()
    assert page.status_code == 200
    # Today: two confirmations, one waiting and one failed; the reminders
    # are due the day before the time.
    rows = {(row["day"].day, str(row["kind"])): row for row in page.context["rows"]}
    assert (rows[(7, "Confirmation")]["waiting"], rows[(7, "Confirmation")]["failed"]) == (1, 1)
    assert rows[(8, "Reminder")]["waiting"] == 2
    assert "<td>Confirmation</td>" in text
    assert "GatewayAPI answered 503" in text
    assert "Try again" in text


def test_a_manager_tries_a_failed_message_again(
    centre: Location, passport: Service, staff_client: ClientFor
) -> None:
    book(centre, passport, 1, at(9, 10))
    message = Message.objects.get(kind="confirmation")
    Message.objects.filter(pk=message.pk).update(status="dead")
    client = staff_client(member(Role.MANAGER, centre))
    response = client.post(f"/personale/beskeder/{message.pk}/igen/")
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == "pending"


def test_a_manager_sees_and_retries_only_their_own_places_messages(
    centre: Location, elsewhere: Location, passport: Service, staff_client: ClientFor
) -> None:
    book(centre, passport, 1, at(9, 10))
    message = Message.objects.get(kind="confirmation")
    Message.objects.filter(pk=message.pk).update(status="dead", last_error="refused")
    client = staff_client(member(Role.MANAGER, elsewhere))
    assert "refused" not in client.get("/personale/beskeder/").content.decode()
    assert client.post(f"/personale/beskeder/{message.pk}/igen/").status_code == 404
    message.refresh_from_db()
    assert message.status == "dead"


def test_a_message_whose_recipient_was_erased_is_not_tried_again(
    centre: Location, passport: Service, staff_client: ClientFor
) -> None:
    book(centre, passport, 1, at(9, 10))
    message = Message.objects.get(kind="confirmation")
    # Dead, and its retention period over (privacy/erasure.py blanked it).
    Message.objects.filter(pk=message.pk).update(status="dead", recipient="", body="")
    client = staff_client(member(Role.MANAGER, centre))
    answer = client.post(f"/personale/beskeder/{message.pk}/igen/", follow=True)
    assert "its recipient has been erased" in answer.content.decode()
    message.refresh_from_db()
    assert message.status == "dead"


def test_front_desk_staff_do_not_manage_messages(centre: Location, staff_client: ClientFor) -> None:
    client = staff_client(member(Role.FRONT_DESK, centre))
    assert client.get("/personale/beskeder/").status_code == 403
    assert client.get("/personale/tider/aflys-dag/").status_code == 403


def test_the_development_page_shows_sent_texts_only_with_debug(
    centre: Location, passport: Service
) -> None:
    book(centre, passport, 1, at(9, 10))
    deliver_due_messages()
    assert Client().get("/udvikling/beskeder/").status_code == 404
    with override_settings(DEBUG=True):
        page = Client().get("/udvikling/beskeder/").content.decode()
    assert "Your time at Rådhuset" in page


def test_a_manager_cancels_a_day_and_every_citizen_is_told(
    centre: Location, passport: Service, staff_client: ClientFor
) -> None:
    kept = book(centre, passport, 9, at(10, 10))  # another day
    cancelled = [book(centre, passport, n, at(9, 10 + n)) for n in range(3)]
    client = staff_client(member(Role.MANAGER, centre))
    form = cancel_day_form(centre)
    review = client.post("/personale/tider/aflys-dag/", form).content.decode()
    assert "3 bookings will be cancelled" in review
    assert "has to cancel your time Wednesday 9 December at 10:00. Power cut." in review
    # Both languages are previewed, whichever the first citizen booked in.
    assert "Rådhuset må aflyse din tid onsdag 9. december kl. 10:00. Strømsvigt." in review
    assert Booking.objects.filter(status="cancelled").count() == 0  # not before confirming
    response = client.post("/personale/tider/aflys-dag/", form | {"confirmed": "1"})
    assert response.status_code == 302
    for booking in cancelled:
        booking.refresh_from_db()
        assert booking.status == "cancelled"
        told = Message.objects.get(booking=booking, kind="cancelled_by_centre")
        assert told.reason == "Power cut."  # in the language the citizen booked in
        assert not Message.objects.filter(booking=booking, kind="reminder", status="pending")
    kept.refresh_from_db()
    assert kept.status == "booked"


def test_the_closed_day_s_notes_are_offered_as_the_reasons(
    centre: Location, passport: Service, staff_client: ClientFor
) -> None:
    """A manager who has just closed a day in the admin, with its notes,
    follows the link to cancel its bookings: the reasons are there."""
    SpecialDay.objects.create(
        location=centre, date=at(9, 10).date(), closed=True,
        note_da="Lukket pga. strømsvigt", note_en="Closed: power cut",
    )  # fmt: skip
    client = staff_client(member(Role.MANAGER, centre))
    page = client.get(f"/personale/tider/aflys-dag/?sted={centre.pk}&dag=2026-12-09")
    form = page.context["form"]
    assert form.initial["reason_da"] == "Lukket pga. strømsvigt"
    assert form.initial["reason_en"] == "Closed: power cut"
    assert 'value="Lukket pga. strømsvigt"' in page.content.decode()


def test_a_citizen_who_booked_in_danish_gets_the_danish_reason(
    centre: Location, passport: Service, staff_client: ClientFor
) -> None:
    danish = book_appointment(
        location=centre,
        service=passport,
        start=at(9, 10),
        citizen=citizen(1, sms_consent=True, language="da"),
        channel=Booking.Channel.WEB,
        policy=Policy.for_staff(centre),
    )
    english = book(centre, passport, 2, at(9, 11))
    client = staff_client(member(Role.MANAGER, centre))
    form = cancel_day_form(centre, confirmed="1")
    client.post("/personale/tider/aflys-dag/", form)
    reasons = {
        message.booking_id: message.reason
        for message in Message.objects.filter(kind="cancelled_by_centre")
    }
    assert reasons == {danish.pk: "Strømsvigt.", english.pk: "Power cut."}


def test_a_day_can_be_cancelled_for_one_desk_only(
    centre: Location, passport: Service, staff_client: ClientFor
) -> None:
    both = [book(centre, passport, n, at(9, 10)) for n in range(2)]
    desk = Desk.objects.get(pk=both[0].desk_id)
    client = staff_client(member(Role.MANAGER, centre))
    form = cancel_day_form(centre, desk=desk.pk)
    client.post("/personale/tider/aflys-dag/", form | {"confirmed": "1"})
    statuses = {b.pk: Booking.objects.get(pk=b.pk).status for b in both}
    assert statuses == {both[0].pk: "cancelled", both[1].pk: "booked"}


def test_a_manager_cannot_cancel_another_places_day(
    centre: Location, elsewhere: Location, passport: Service, staff_client: ClientFor
) -> None:
    booking = book(centre, passport, 1, at(9, 10))
    client = staff_client(member(Role.MANAGER, elsewhere))
    form = cancel_day_form(centre, confirmed="1")
    page = client.post("/personale/tider/aflys-dag/", form)
    assert page.status_code == 200  # the form again, with the error
    assert "Select a valid choice" in page.content.decode()
    booking.refresh_from_db()
    assert booking.status == "booked"


def test_the_cancelled_days_success_is_said_once(
    centre: Location, passport: Service, staff_client: ClientFor
) -> None:
    book(centre, passport, 1, at(9, 10))
    client = staff_client(member(Role.MANAGER, centre))
    form = cancel_day_form(centre, confirmed="1")
    page = client.post("/personale/tider/aflys-dag/", form, follow=True).content.decode()
    assert page.count("1 booking was cancelled") == 1


def test_a_reason_holding_a_cpr_number_is_refused_and_nothing_is_cancelled(
    centre: Location, passport: Service, staff_client: ClientFor
) -> None:
    """The centre's reason goes out by SMS to every citizen of the day."""
    booking = book(centre, passport, 1, at(9, 10))
    client = staff_client(member(Role.MANAGER, centre))
    form = cancel_day_form(centre, reason_da="Ring til 01 01 90–1234", confirmed="1")
    page = client.post("/personale/tider/aflys-dag/", form)
    assert page.status_code == 200
    assert "remove the CPR number" in page.content.decode()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED
    with pytest.raises(InvalidInput):
        cancel_bookings_by_centre(
            location=centre,
            day=date(2026, 12, 9),
            reason_da="Strømsvigt",
            reason_en="cpr 010190.1234",
        )
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED
