"""Each process keeps locations' schedules, and never uses one that has
changed since: whatever changes the hours, days, desks or shifts, and
wherever it happens, the next read sees it."""

import threading
from datetime import date, time

import pytest
from django.db import connection, transaction

from skranke.booking.availability import Policy, find_slots
from skranke.core.models import Desk, DeskShift, Location, OpeningHours, Service, SpecialDay
from skranke.core.opening_hours import opening_intervals_on

TUESDAY = date(2026, 12, 8)


def tuesday_hours(location: Location) -> list[tuple[time, time]]:
    return opening_intervals_on(location=location, day=TUESDAY)


def tuesday_desks(location: Location, service: Service) -> set[int]:
    slots = find_slots(
        location=location,
        service=service,
        first_day=TUESDAY,
        last_day=TUESDAY,
        policy=Policy.for_staff(location),
    )
    return {desk for slot in slots for desk in slot.desks}


@pytest.mark.django_db
def test_changed_weekly_hours_are_seen_at_once(centre: Location) -> None:
    assert tuesday_hours(centre) == [(time(10), time(15))]
    hours = OpeningHours.objects.get(location=centre, weekday=1)
    hours.closes = time(17)
    hours.save()
    assert tuesday_hours(centre) == [(time(10), time(17))]
    hours.delete()
    assert tuesday_hours(centre) == []


@pytest.mark.django_db
def test_a_special_day_is_seen_when_added_and_when_removed(centre: Location) -> None:
    assert tuesday_hours(centre) == [(time(10), time(15))]
    special = SpecialDay.objects.create(location=centre, date=TUESDAY, closed=True)
    assert tuesday_hours(centre) == []
    special.delete()
    assert tuesday_hours(centre) == [(time(10), time(15))]


@pytest.mark.django_db
def test_a_shift_no_longer_handling_a_service_stops_offering_it(
    centre: Location, passport: Service
) -> None:
    first, second = Desk.objects.filter(location=centre).order_by("name")
    assert tuesday_desks(centre, passport) == {first.pk, second.pk}
    DeskShift.objects.get(desk=second, weekday=1).services.remove(passport)
    assert tuesday_desks(centre, passport) == {first.pk}


@pytest.mark.django_db
def test_a_closed_desk_stops_offering_times(centre: Location, passport: Service) -> None:
    first, second = Desk.objects.filter(location=centre).order_by("name")
    assert tuesday_desks(centre, passport) == {first.pk, second.pk}
    second.active = False
    second.save()
    assert tuesday_desks(centre, passport) == {first.pk}


@pytest.mark.django_db
def test_a_change_that_is_rolled_back_leaves_no_trace(centre: Location) -> None:
    def close_tuesdays_then_fail() -> None:
        with transaction.atomic():
            OpeningHours.objects.filter(location=centre, weekday=1).delete()
            # Read, and so kept, inside the transaction that is then undone.
            assert tuesday_hours(centre) == []
            raise RuntimeError

    assert tuesday_hours(centre) == [(time(10), time(15))]
    with pytest.raises(RuntimeError):
        close_tuesdays_then_fail()
    assert tuesday_hours(centre) == [(time(10), time(15))]
    # The next real change must not meet what the undone one left behind.
    hours = OpeningHours.objects.get(location=centre, weekday=1)
    hours.closes = time(17)
    hours.save()
    assert tuesday_hours(centre) == [(time(10), time(17))]


@pytest.mark.django_db(transaction=True)
def test_a_change_made_elsewhere_is_seen(centre: Location) -> None:
    """Another connection stands in for another process (a manager in the
    admin while this worker serves citizens)."""
    assert tuesday_hours(centre) == [(time(10), time(15))]

    def close_tuesdays() -> None:
        try:
            OpeningHours.objects.get(location=centre, weekday=1).delete()
        finally:
            connection.close()

    elsewhere = threading.Thread(target=close_tuesdays)
    elsewhere.start()
    elsewhere.join()
    assert tuesday_hours(centre) == []
