from datetime import timedelta

import pytest

from skranke.booking.availability import Policy, find_slot
from skranke.booking.booking import (
    CODE_ALPHABET,
    book_appointment,
    cancel_appointment,
    reschedule_appointment,
)
from skranke.booking.details import clean_citizen_details
from skranke.booking.errors import IdempotencyKeyReused, LimitReached, SlotTaken
from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.errors import InvalidInput
from skranke.core.models import Location, Municipality, Service
from tests.centre import at, citizen

pytestmark = pytest.mark.django_db


def book(centre: Location, service: Service, start, who=None, **options) -> Booking:
    return book_appointment(
        location=centre,
        service=service,
        start=start,
        citizen=who or citizen(),
        channel=options.pop("channel", Booking.Channel.WEB),
        policy=options.pop("policy", Policy.for_citizens(centre)),
        **options,
    )


def test_a_booking_gets_a_short_readable_code_and_a_secret_token(
    centre: Location, passport: Service
) -> None:
    booking = book(centre, passport, at(8, 10))
    assert len(booking.code) == 6
    assert set(booking.code) <= set(CODE_ALPHABET)
    assert len(booking.token) >= 32
    assert booking.end - booking.start == timedelta(minutes=20)
    assert booking.desk is not None


def test_the_last_free_desk_can_be_taken_only_once(centre: Location, passport: Service) -> None:
    book(centre, passport, at(8, 10), citizen(1))
    book(centre, passport, at(8, 10), citizen(2))
    with pytest.raises(SlotTaken):
        book(centre, passport, at(8, 10), citizen(3))
    assert Booking.objects.filter(start=at(8, 10)).count() == 2


def test_a_time_that_is_never_offered_is_not_called_taken(
    centre: Location, passport: Service
) -> None:
    with pytest.raises(InvalidInput, match="not one of the offered times"):
        book(centre, passport, at(12, 10))  # a Saturday: closed
    with pytest.raises(InvalidInput, match="not one of the offered times"):
        book(centre, passport, at(8, 10, 5))  # off the 20-minute grid


def test_past_and_too_distant_times_are_refused(centre: Location, passport: Service) -> None:
    with pytest.raises(InvalidInput, match="too soon"):
        book(centre, passport, at(7, 9))
    with pytest.raises(InvalidInput, match="too far ahead"):
        book(centre, passport, at(7, 10) + timedelta(days=70))


def test_services_without_booking_say_so(centre: Location, passport: Service) -> None:
    passport.booking_required = False
    passport.save()
    with pytest.raises(InvalidInput, match="do not need to book"):
        book(centre, passport, at(8, 10))


def test_one_active_booking_per_service_per_person(centre: Location, passport: Service) -> None:
    book(centre, passport, at(8, 10), citizen(1, name="Ane Hansen"))
    with pytest.raises(LimitReached, match="already have a booking for this errand"):
        book(centre, passport, at(9, 10), citizen(1, name="ane  HANSEN"))


def test_one_active_booking_per_service_per_person_by_email(
    centre: Location, passport: Service
) -> None:
    book(centre, passport, at(8, 10), citizen(1, email="a@example.dk"))
    with pytest.raises(LimitReached):
        book(centre, passport, at(9, 10), citizen(2, name="Borger 1", email="a@example.dk"))


def test_at_most_three_active_bookings_per_citizen(centre: Location, card: Service) -> None:
    others = Service.objects.bulk_create(
        Service(
            municipality=centre.municipality, slug=f"s{n}", name_da=f"S{n}", duration_minutes=10
        )
        for n in range(3)
    )
    for service in others:
        service.locations.add(centre)
        for desk in centre.desks.all():
            for shift in desk.shifts.all():
                shift.services.add(service)
    for day, service in zip((8, 9, 10), others, strict=True):
        book(centre, service, at(day, 10), citizen(1))
    with pytest.raises(LimitReached, match="as many bookings as one person"):
        book(centre, card, at(11, 10), citizen(1))


def test_a_cancelled_booking_frees_its_time_and_its_limit(
    centre: Location, passport: Service
) -> None:
    first = book(centre, passport, at(8, 10), citizen(1))
    book(centre, passport, at(8, 10), citizen(2))
    cancelled = cancel_appointment(booking=first)
    assert cancelled.status == Booking.Status.CANCELLED
    assert cancel_appointment(booking=first).sequence == cancelled.sequence  # no-op
    again = book(centre, passport, at(8, 10), citizen(1))
    assert again.status == Booking.Status.BOOKED


def test_reschedule_moves_the_booking_and_counts_the_sequence(
    centre: Location, passport: Service
) -> None:
    booking = book(centre, passport, at(8, 10))
    moved = reschedule_appointment(
        booking=booking, start=at(8, 10, 20), policy=Policy.for_citizens(centre)
    )
    assert (moved.pk, moved.code, moved.start) == (booking.pk, booking.code, at(8, 10, 20))
    assert moved.sequence == booking.sequence + 1


def test_reschedule_to_an_overlapping_time_on_the_same_desk_works(
    centre: Location, card: Service
) -> None:
    # 10:00-10:10 → 10:10-10:20 would overlap nothing; 10:00 → 10:00 + grid.
    booking = book(centre, card, at(8, 10))
    moved = reschedule_appointment(
        booking=booking, start=at(8, 10, 10), policy=Policy.for_citizens(centre)
    )
    assert moved.start == at(8, 10, 10)


def test_a_failed_reschedule_leaves_the_old_booking_untouched(
    centre: Location, passport: Service
) -> None:
    booking = book(centre, passport, at(8, 11), citizen(1))
    book(centre, passport, at(8, 10), citizen(2))
    book(centre, passport, at(8, 10), citizen(3))
    with pytest.raises(SlotTaken):
        reschedule_appointment(booking=booking, start=at(8, 10), policy=Policy.for_citizens(centre))
    booking.refresh_from_db()
    assert (booking.start, booking.status, booking.sequence) == (at(8, 11), "booked", 0)
    assert (
        find_slot(
            location=centre, service=passport, start=at(8, 11), policy=Policy.for_citizens(centre)
        ).capacity
        == 1
    )


def test_a_manager_can_squeeze_in_beyond_capacity(centre: Location, passport: Service) -> None:
    book(centre, passport, at(8, 10), citizen(1))
    book(centre, passport, at(8, 10), citizen(2))
    squeezed = book(
        centre, passport, at(8, 10), citizen(3), squeeze_in=True, policy=Policy.for_staff(centre)
    )
    assert squeezed.squeezed_in
    assert squeezed.desk is None


def test_an_idempotency_key_replay_returns_the_same_booking(
    centre: Location, passport: Service
) -> None:
    first = book(centre, passport, at(8, 10), idempotency_key="k-1", fingerprint="f")
    replay = book(centre, passport, at(8, 10), idempotency_key="k-1", fingerprint="f")
    assert replay.pk == first.pk
    assert Booking.objects.count() == 1
    with pytest.raises(IdempotencyKeyReused):
        book(centre, passport, at(9, 10), citizen(2), idempotency_key="k-1", fingerprint="g")


def test_a_booking_whose_time_has_passed_cannot_be_cancelled(
    centre: Location, passport: Service
) -> None:
    booking = book(centre, passport, at(8, 10))
    clock.set_now(at(8, 11))
    with pytest.raises(InvalidInput, match="no longer be changed"):
        cancel_appointment(booking=booking)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED


def test_a_booking_cannot_be_moved_once_its_service_is_withdrawn_online(
    centre: Location, passport: Service
) -> None:
    booking = book(centre, passport, at(8, 10))
    passport.bookable_online = False
    passport.save()
    with pytest.raises(InvalidInput, match="cannot be booked online"):
        reschedule_appointment(booking=booking, start=at(8, 11), policy=Policy.for_citizens(centre))


def test_limits_count_only_the_bookings_in_this_municipality(
    centre: Location, passport: Service
) -> None:
    elsewhere = Municipality.objects.create(name="Nabo", slug="nabo", max_active_bookings=1)
    other_place = Location.objects.create(
        municipality=elsewhere, name="Nabo", slug="nabo", address="N"
    )
    Booking.objects.create(
        code="NABO01",
        token="t",
        location=other_place,
        service=Service.objects.create(
            municipality=elsewhere, slug="x", name_da="X", duration_minutes=10
        ),
        start=at(9, 10),
        end=at(9, 10, 10),
        name="x",
        phone=citizen(1).phone,
        language="da",
        channel="web",
    )
    assert book(centre, passport, at(8, 10), citizen(1)).status == "booked"


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("phone", {"phone": "12"}),
        ("phone", {"phone": "not a number"}),
        ("email", {"email": "not-an-email"}),
        ("name", {"name": "   "}),
        ("name", {"name": "x" * 101}),
        ("note", {"note": "x" * 501}),
        ("language", {"language": "fr"}),
    ],
)
def test_bad_details_name_the_field(field: str, values: dict[str, str]) -> None:
    details = {"name": "Ane Hansen", "phone": "20 12 34 56"} | values
    with pytest.raises(InvalidInput) as error:
        clean_citizen_details(**details)
    assert error.value.field == field


def test_details_are_normalised() -> None:
    details = clean_citizen_details(
        name="  Ane   Hansen ", phone="20 12 34 56", email=" Ane@Example.DK "
    )
    assert (details.name, details.phone, details.email) == (
        "Ane Hansen",
        "+4520123456",
        "ane@example.dk",
    )


def test_a_note_typed_on_several_lines_is_kept() -> None:
    # Browsers send a text area's line breaks as CR LF.
    details = clean_citizen_details(
        name="Ane Hansen", phone="20123456", note="Første linje\r\nAnden linje\rTredje"
    )
    assert details.note == "Første linje\nAnden linje\nTredje"


def test_squeezing_in_never_goes_outside_the_opening_hours(
    centre: Location, passport: Service
) -> None:
    with pytest.raises(InvalidInput, match="not one of the offered times"):
        book(centre, passport, at(12, 10), squeeze_in=True, policy=Policy.for_staff(centre))


def test_a_code_that_is_already_taken_is_drawn_again(
    centre: Location, passport: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = book(centre, passport, at(8, 10), citizen(1))
    codes = iter([first.code, "NEWKOD"])
    monkeypatch.setattr("skranke.booking.booking.new_booking_code", lambda: next(codes))
    second = book(centre, passport, at(8, 10), citizen(2))
    assert second.code == "NEWKOD"
