"""A manager closes a day, shortens the hours or removes a shift in the
admin: the bookings it strands are counted, and the manager is led to
cancel them with a message to each citizen. Nothing is stranded silently."""

import re
from collections.abc import Callable
from datetime import date, datetime, time

import pytest
from django.test import Client

from skranke.accounts.models import Role, User
from skranke.booking.availability import Policy, find_stranded_bookings
from skranke.booking.booking import book_appointment
from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.models import DeskShift, Location, Service, SpecialDay
from skranke.notifications.models import Message
from tests.booking.test_staff_booking import member
from tests.centre import at, citizen
from tests.notifications.test_manager_pages import cancel_day_form

pytestmark = pytest.mark.django_db


def book(centre: Location, service: Service, start: datetime, number: int) -> Booking:
    return book_appointment(
        location=centre,
        service=service,
        start=start,
        citizen=citizen(number, sms_consent=True),
        channel=Booking.Channel.PHONE,
        policy=Policy.for_staff(centre),
    )


def test_bookings_on_a_closed_day_or_outside_shorter_hours_are_stranded(
    centre: Location, passport: Service
) -> None:
    morning = book(centre, passport, at(9, 10), 1)
    afternoon = book(centre, passport, at(9, 14, 20), 2)
    other_day = book(centre, passport, at(10, 10), 3)
    assert find_stranded_bookings(location=centre, now=clock.now()) == []
    shorter = SpecialDay.objects.create(location=centre, date=date(2026, 12, 9))
    shorter.hours.create(opens=time(10), closes=time(12))
    assert find_stranded_bookings(location=centre, now=clock.now()) == [afternoon]
    shorter.closed = True
    shorter.save()
    assert find_stranded_bookings(location=centre, now=clock.now()) == [morning, afternoon]
    assert other_day not in find_stranded_bookings(location=centre, now=clock.now())


def test_a_removed_shift_strands_the_bookings_on_its_desk(
    centre: Location, passport: Service
) -> None:
    first = book(centre, passport, at(9, 10), 1)
    second = book(centre, passport, at(9, 10), 2)
    assert {first.desk_id, second.desk_id} == set(centre.desks.values_list("pk", flat=True))
    DeskShift.objects.filter(desk_id=second.desk_id, weekday=2).delete()  # Wednesday
    assert find_stranded_bookings(location=centre, now=clock.now()) == [second]


def test_closing_a_day_in_the_admin_says_how_many_and_leads_to_cancelling_them(
    centre: Location, passport: Service, staff_client: Callable[[User], Client]
) -> None:
    for number, start in enumerate([at(9, 10), at(9, 11), at(9, 13)]):
        book(centre, passport, start, number)
    client = staff_client(member(Role.MANAGER, centre))
    response = client.post(
        "/admin/core/specialday/add/",
        {
            "location": centre.pk,
            "date": "2026-12-09",
            "closed": "on",
            "note_da": "Lukket",
            "note_en": "Closed",
            "hours-TOTAL_FORMS": "0",
            "hours-INITIAL_FORMS": "0",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "3 bookings at Rådhuset are now outside the opening hours or shifts" in page
    [link] = re.findall(r'href="(/personale/tider/aflys-dag/\?[^"]+)"', page)
    assert Booking.objects.filter(status=Booking.Status.BOOKED).count() == 3
    tool = client.get(link.replace("&amp;", "&")).content.decode()
    assert 'value="2026-12-09"' in tool
    assert re.search(rf'<option value="{centre.pk}" selected>', tool)
    form = cancel_day_form(centre, stranded_only="on")
    review = client.post("/personale/tider/aflys-dag/", form).content.decode()
    assert "3 bookings will be cancelled." in review
    client.post("/personale/tider/aflys-dag/", form | {"confirmed": "1"})
    assert Booking.objects.filter(status=Booking.Status.CANCELLED).count() == 3
    told = Message.objects.filter(kind=Message.Kind.CANCELLED_BY_CENTRE)
    assert told.count() == 3


def test_shorter_hours_cancel_only_the_stranded_bookings(
    centre: Location, passport: Service, staff_client: Callable[[User], Client]
) -> None:
    kept = book(centre, passport, at(9, 10), 1)
    stranded = book(centre, passport, at(9, 14), 2)
    shorter = SpecialDay.objects.create(location=centre, date=date(2026, 12, 9))
    shorter.hours.create(opens=time(10), closes=time(12))
    client = staff_client(member(Role.MANAGER, centre))
    form = cancel_day_form(centre, stranded_only="on", confirmed="1")
    client.post("/personale/tider/aflys-dag/", form)
    kept.refresh_from_db()
    stranded.refresh_from_db()
    assert (kept.status, stranded.status) == (Booking.Status.BOOKED, Booking.Status.CANCELLED)
