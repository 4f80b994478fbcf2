from datetime import date, datetime, timedelta

import pytest
from django.core.management import call_command

from skranke.accounts.devices import find_device
from skranke.accounts.models import Role, User
from skranke.booking.availability import Policy, find_slots
from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.models import DeskShift, Location, OpeningHours, Service, SpecialDay
from skranke.demo.data import (
    DEMO_BOOKINGS,
    DEMO_DEVICE_TOKENS,
    DEMO_PASSWORD,
    DEMO_PHONE_MEETINGS_TODAY,
    DEMO_PHONE_PREFIX,
)
from skranke.demo.loading import load_demo_data
from skranke.queueing.models import Visit

pytestmark = pytest.mark.django_db

# A Monday morning the demo is loaded at; the tests never read the real date.
DEMO_MONDAY = datetime(2026, 11, 23, 8, 0, tzinfo=clock.LOCAL_ZONE)


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Location, Service, OpeningHours, DeskShift, SpecialDay, User)
    }


def test_loading_the_demo_twice_changes_nothing(stopped_clock: datetime) -> None:
    call_command("load_demo")
    first = counts()
    call_command("load_demo")
    assert counts() == first


def test_the_demo_has_the_services_of_the_annual_report() -> None:
    load_demo_data(now=DEMO_MONDAY)
    names = set(Service.objects.values_list("name_en", flat=True))
    for expected in ["Passport", "Driving licence", "MitID", "Marriage", "Property tax", "Other"]:
        assert expected in names
    assert set(Service.objects.filter(booking_required=False).values_list("slug", flat=True)) == {
        "brevstemme",
        "dokumentboks",
    }
    assert Service.objects.filter(kind=Service.Kind.PHONE).count() == 6


def test_the_demo_opens_on_saturday_and_has_an_extended_day() -> None:
    load_demo_data(now=DEMO_MONDAY)
    town_hall = Location.objects.get(slug="raadhuset")
    assert town_hall.opening_hours.filter(weekday=5).exists()
    extended = town_hall.special_days.get(closed=False)
    assert extended.date == date(2027, 6, 24)
    assert "sommerferien" in extended.note_da


def test_there_is_one_demo_user_per_role_who_can_log_in() -> None:
    load_demo_data(now=DEMO_MONDAY)
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert User.objects.get(username="leder").check_password(DEMO_PASSWORD)


def test_every_demo_shift_lies_within_opening_hours() -> None:
    load_demo_data(now=DEMO_MONDAY)
    for shift in DeskShift.objects.select_related("desk__location"):
        shift.full_clean(exclude=["services"])


def test_the_demo_has_a_few_bookings_and_replaces_only_its_own(stopped_clock: datetime) -> None:
    call_command("load_demo")
    demo_bookings = Booking.objects.filter(phone__startswith=DEMO_PHONE_PREFIX)
    expected = len(DEMO_BOOKINGS) + len(DEMO_PHONE_MEETINGS_TODAY)
    assert demo_bookings.count() == expected
    call_command("load_demo")
    assert demo_bookings.count() == expected


def test_the_demo_day_has_telephone_meetings_for_the_front_desk_to_call(
    stopped_clock: datetime,
) -> None:
    load_demo_data(now=clock.now())
    today = Booking.objects.filter(
        Booking.starting_on(clock.today()), service__kind=Service.Kind.PHONE
    )
    assert today.count() == len(DEMO_PHONE_MEETINGS_TODAY)
    assert all(booking.note for booking in today)
    assert set(User.objects.filter(phone_skill=True).values_list("username", flat=True)) == {
        "skranke"
    }


def test_the_demo_kiosk_and_display_sign_in_and_a_reload_keeps_working() -> None:
    load_demo_data(now=DEMO_MONDAY)
    for kind, token in DEMO_DEVICE_TOKENS.items():
        device = find_device(token=token)
        assert device is not None
        assert (device.kind, device.location.slug) == (kind, "raadhuset")
    # A demo booking checked in (a visit refers to it) does not stop the
    # demo from being loaded again.
    booking = Booking.objects.filter(phone__startswith=DEMO_PHONE_PREFIX).first()
    assert booking is not None
    Visit.objects.create(
        location=booking.location,
        service=booking.service,
        booking=booking,
        day=date(2026, 11, 24),
        ticket_letter="P",
        ticket_number=1,
        arrived_at=booking.start,
    )
    load_demo_data(now=DEMO_MONDAY, reset=True)
    assert not Visit.objects.exists()
    assert Service.objects.get(slug="brevstemme").ticket_letter == "B"


def test_a_later_load_keeps_what_a_manager_changed_and_reset_puts_it_back(
    stopped_clock: datetime,
) -> None:
    call_command("load_demo")
    passport = Service.objects.get(slug="pas")
    passport.duration_minutes = 25
    passport.save()
    town_hall = Location.objects.get(slug="raadhuset")
    closed = SpecialDay.objects.create(location=town_hall, date=date(2026, 12, 9), closed=True)
    call_command("load_demo")  # the next `make run`
    assert Service.objects.get(slug="pas").duration_minutes == 25
    assert SpecialDay.objects.filter(pk=closed.pk).exists()
    call_command("load_demo", "--reset")
    assert Service.objects.get(slug="pas").duration_minutes != 25
    assert not SpecialDay.objects.filter(pk=closed.pk).exists()


def test_a_demo_started_again_weeks_later_books_citizens_again_without_deleting(
    stopped_clock: datetime,
) -> None:
    call_command("load_demo")
    demo = Booking.objects.filter(phone__startswith=DEMO_PHONE_PREFIX)
    first = set(demo.values_list("pk", flat=True))
    clock.set_now(stopped_clock + timedelta(days=21))
    call_command("load_demo")
    assert first < set(demo.values_list("pk", flat=True))
    assert demo.filter(start__gte=clock.now()).exists()


def test_the_demo_offers_telephone_meetings_on_weekdays_only(stopped_clock: datetime) -> None:
    load_demo_data(now=clock.now())
    town_hall = Location.objects.get(slug="raadhuset")
    for service in Service.objects.filter(kind=Service.Kind.PHONE, locations=town_hall):
        slots = find_slots(
            location=town_hall,
            service=service,
            first_day=date(2026, 12, 7),
            last_day=date(2026, 12, 20),
            policy=Policy.for_citizens(town_hall),
        )
        assert slots, service.slug
        assert {slot.local_start.weekday() for slot in slots} <= {0, 1, 2, 3, 4}, service.slug
    passport = Service.objects.get(slug="pas")
    saturday = find_slots(
        location=town_hall,
        service=passport,
        first_day=date(2026, 12, 12),
        last_day=date(2026, 12, 12),
        policy=Policy.for_staff(town_hall),
    )
    assert saturday  # the counter is open on Saturdays
