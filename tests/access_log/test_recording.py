"""Every staff page that shows or changes a citizen's booking writes the
rows that say who did it, in one INSERT, naming the booking but holding
nothing of the citizen."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from skranke.access_log.models import AccessRecord
from skranke.access_log.recording import Action, record_access
from skranke.accounts.models import IntegrationToken, Role, User
from skranke.booking.models import Booking
from skranke.contact_centre.models import Topic
from skranke.core import clock
from skranke.core.models import Desk, Location
from skranke.queueing.checkin import check_in_booking
from tests.access_log.conftest import BookFor, assert_nothing_personal, member, rows
from tests.centre import at

pytestmark = pytest.mark.django_db

V = AccessRecord.Action


def inserts(context: CaptureQueriesContext) -> list[str]:
    return [query["sql"] for query in context.captured_queries if "INSERT" in query["sql"]]


def test_a_list_of_forty_bookings_is_one_insert_of_forty_rows(
    centre: Location, book: BookFor, front_desk: User
) -> None:
    # Two desks, three 20-minute times an hour, 10-15: 30 a day.
    bookings = [
        book(n, day=8 + n // 30, hour=10 + (n % 30) // 6, minute=(n % 3) * 20) for n in range(40)
    ]
    with CaptureQueriesContext(connection) as context:
        written = record_access(actor=front_desk, action=Action.VIEWED_DAY_LIST, booking=bookings)
    assert written == 40
    assert len(inserts(context)) == 1
    assert AccessRecord.objects.filter(booking__in=bookings).count() == 40


def test_the_booking_page_notes_who_looked(
    centre: Location, book: BookFor, front_desk: User, staff_client
) -> None:
    booking = book(1)
    page = staff_client(front_desk).get(f"/personale/tider/{booking.code}/")
    assert page.status_code == 200
    assert rows() == [("frida", V.VIEWED_BOOKING, booking.code)]
    record = AccessRecord.objects.get()
    assert (record.user, record.booking, record.municipality) == (
        front_desk,
        booking,
        centre.municipality,
    )
    assert record.at == clock.now()
    assert_nothing_personal()


def test_the_days_list_notes_each_booking_on_it(
    centre: Location, book: BookFor, front_desk: User, staff_client
) -> None:
    shown = [book(1), book(2, hour=11)]
    book(3, day=9)  # another day: not on the list
    page = staff_client(front_desk).get("/personale/tider/dag/?dag=2026-12-08")
    assert "Borger 1" in page.content.decode()
    assert sorted(rows()) == sorted(("frida", V.VIEWED_DAY_LIST, b.code) for b in shown)
    assert_nothing_personal()


def test_a_staff_search_notes_the_bookings_it_found_but_not_what_was_typed(
    centre: Location, book: BookFor, front_desk: User, staff_client
) -> None:
    found = book(1)
    book(2, hour=11)
    client = staff_client(front_desk)
    client.post("/personale/tider/soeg/", {"soeg": "20 00 00 01"})
    assert rows() == [("frida", V.SEARCHED, found.code)]
    client.post("/personale/tider/soeg/", {"soeg": "nobody at all"})
    assert len(rows()) == 1
    assert_nothing_personal()


def test_a_staff_move_and_cancel_show_on_the_bookings_history(
    centre: Location, book: BookFor, front_desk: User, staff_client
) -> None:
    booking = book(1)
    clock.set_now(at(7, 10, 5))
    client = staff_client(front_desk)
    client.post(f"/personale/tider/{booking.code}/", {"start": "2026-12-08T12:00"})
    clock.set_now(at(7, 10, 7))
    client.post(f"/personale/tider/{booking.code}/aflys/")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    changes = [row for row in rows() if row[1] in AccessRecord.CHANGES]
    assert changes == [("frida", V.MOVED, booking.code), ("frida", V.CANCELLED, booking.code)]
    page = client.get(f"/personale/tider/{booking.code}/").content.decode()
    assert "Moved the booking, Frida" in page
    assert "Cancelled the booking, Frida" in page
    assert "10:07" in page


def test_a_centre_closure_notes_every_booking_it_cancelled(
    centre: Location, book: BookFor, staff_client
) -> None:
    manager = member(Role.MANAGER, centre, "maja")
    cancelled = [book(1), book(2, hour=11)]
    staff_client(manager).post(
        "/personale/tider/aflys-dag/",
        {
            "location": centre.pk,
            "day": "2026-12-08",
            "reason_da": "Strømsvigt",
            "reason_en": "Power cut",
            "confirmed": "1",
        },
    )
    assert sorted(rows()) == sorted(("maja", V.CANCELLED, b.code) for b in cancelled)


def test_the_desk_notes_the_citizen_at_it_and_the_no_show_once(
    centre: Location, book: BookFor, front_desk: User, staff_client
) -> None:
    booking = book(1, day=7, hour=10)
    clock.set_now(at(7, 9, 55))
    visit = check_in_booking(location=centre, code=booking.code)
    desk = Desk.objects.get(location=centre, name="1")
    client = staff_client(front_desk)
    client.post(f"/personale/skranke/{desk.pk}/handling/", {"action": "call"})
    page = client.get(f"/personale/skranke/{desk.pk}/").content.decode()
    assert "Borger 1" in page
    for _refresh in range(3):  # the list refreshes itself: noted once a day
        client.get(f"/personale/skranke/{desk.pk}/koe/")
    client.post(
        f"/personale/skranke/{desk.pk}/handling/",
        {"action": "finish", "outcome": "no_show", "visit": visit.pk},
    )
    assert sorted(rows()) == sorted(
        [
            ("frida", V.VIEWED_DAY_LIST, booking.code),
            ("frida", V.VIEWED_DESK_CITIZEN, booking.code),
            ("frida", V.NO_SHOW, booking.code),
        ]
    )
    no_show = AccessRecord.objects.get(action=V.NO_SHOW)
    assert (no_show.visit_id, no_show.location) == (visit.pk, centre)
    assert_nothing_personal()


def test_the_api_no_show_is_noted_with_who_marked_it(
    centre: Location, book: BookFor, front_desk: User, staff_client
) -> None:
    booking = book(1, day=7, hour=10)
    clock.set_now(at(7, 9, 55))
    visit = check_in_booking(location=centre, code=booking.code)
    desk = Desk.objects.get(location=centre, name="1")
    client = staff_client(front_desk)
    client.post(f"/api/v1/desks/{desk.pk}/call-next")
    answer = client.post(f"/api/v1/visits/{visit.pk}/no-show")
    assert answer.status_code == 200
    assert rows() == [("frida", V.NO_SHOW, booking.code)]


def test_the_worklist_notes_each_telephone_meeting_once_a_day(
    centre: Location, book: BookFor, staff_client
) -> None:
    caller = member(Role.CONTACT_AGENT, centre, "carl")
    caller.phone_skill = True
    caller.save()
    meeting = _phone_meeting(centre)
    client = staff_client(caller)
    page = client.get("/personale/telefonmoeder/").content.decode()
    assert meeting.name in page
    client.get("/personale/telefonmoeder/liste/")
    assert rows() == [("carl", V.VIEWED_WORKLIST, meeting.code)]
    clock.set_now(at(8, 9, 0))  # the next day is a new day
    assert record_access(
        actor=caller, action=Action.VIEWED_WORKLIST, booking=[meeting], once_a_day=True
    )


def _phone_meeting(centre: Location) -> Booking:
    from datetime import time

    from skranke.booking.availability import Policy
    from skranke.booking.booking import book_appointment
    from skranke.core.models import DeskShift, Service
    from tests.centre import citizen

    service = Service.objects.create(
        municipality=centre.municipality,
        slug="tlf",
        name_da="Telefonmøde",
        duration_minutes=15,
        kind=Service.Kind.PHONE,
    )
    service.locations.add(centre)
    line = Desk.objects.create(location=centre, name="Telefon 1", kind=Desk.Kind.PHONE_LINE)
    shift = DeskShift.objects.create(desk=line, weekday=0, starts=time(10), ends=time(15))
    shift.services.set([service])
    return book_appointment(
        location=centre,
        service=service,
        start=at(7, 10),
        citizen=citizen(7),
        channel=Booking.Channel.WEB,
        policy=Policy.for_staff(centre),
    )


def test_a_contact_with_a_note_is_noted_without_the_note(
    centre: Location, book: BookFor, staff_client
) -> None:
    agent = member(Role.CONTACT_AGENT, centre, "carl")
    topic = Topic.objects.create(municipality=centre.municipality, name_da="Pas")
    booking = book(1)
    client = staff_client(agent)
    client.post(
        "/personale/kontaktcenter/",
        {"channel": "phone", "topic": topic.pk, "outcome": "settled", "note": "Flytter snart"},
    )
    client.post(
        "/personale/kontaktcenter/",
        {"channel": "phone", "topic": topic.pk, "outcome": "settled", "booking": booking.code},
    )
    client.post(
        "/personale/kontaktcenter/", {"channel": "phone", "topic": topic.pk, "outcome": "settled"}
    )
    assert rows() == [("carl", V.LOGGED_CONTACT, ""), ("carl", V.LOGGED_CONTACT, booking.code)]
    assert AccessRecord.objects.filter(contact__isnull=False).count() == 2
    assert_nothing_personal()


def test_an_integration_token_is_an_actor_of_its_municipality(
    centre: Location, book: BookFor
) -> None:
    token = IntegrationToken.objects.create(
        municipality=centre.municipality, name="Telefoni", token_hash="x" * 64
    )
    booking = book(1)
    record_access(actor=token, action=Action.VIEWED_BOOKING, booking=booking)
    record = AccessRecord.objects.get()
    assert (record.token, record.user, record.actor_name) == (token, None, "Telefoni (integration)")
    assert record.municipality == centre.municipality


def test_nobody_signed_in_is_not_noted(centre: Location, book: BookFor) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert record_access(actor=AnonymousUser(), action=Action.VIEWED_BOOKING, booking=book(1)) == 0
    assert not AccessRecord.objects.exists()
