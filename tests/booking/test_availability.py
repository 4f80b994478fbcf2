from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from skranke.booking.availability import Policy, find_slots, zone_offsets
from skranke.booking.booking import book_appointment
from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.models import Desk, DeskShift, Location, Service, SpecialDay
from skranke.core.schedule import mark_schedule_changed
from tests.centre import at, citizen

pytestmark = pytest.mark.django_db


def local_times(slots: list) -> list[str]:
    return [slot.local_start.strftime("%d %H:%M") for slot in slots]


def slots_on(day: int, centre: Location, service: Service, policy: Policy) -> list:
    return find_slots(
        location=centre,
        service=service,
        first_day=date(2026, 12, day),
        last_day=date(2026, 12, day),
        policy=policy,
    )


def test_times_are_on_the_services_grid_inside_opening_hours(
    centre: Location, passport: Service, citizens_policy: Policy
) -> None:
    times = local_times(slots_on(8, centre, passport, citizens_policy))
    assert times[:3] == ["08 10:00", "08 10:20", "08 10:40"]
    assert times[-1] == "08 14:40"  # the last 20 minutes before closing at 15
    assert len(times) == 15


def test_nothing_is_offered_before_the_lead_time(
    centre: Location, passport: Service, citizens_policy: Policy
) -> None:
    clock.set_now(at(7, 10, 5))  # Monday 10:05: two hours' notice → 12:05
    assert local_times(slots_on(7, centre, passport, citizens_policy))[0] == "07 12:20"


def test_staff_may_book_at_short_notice(centre: Location, passport: Service) -> None:
    clock.set_now(at(7, 10, 5))
    staff = Policy.for_staff(centre)
    assert local_times(slots_on(7, centre, passport, staff))[0] == "07 10:20"


def test_a_policy_pinned_to_a_moment_never_reads_the_real_clock(
    centre: Location, passport: Service, card: Service
) -> None:
    # The clock says a year later; a caller working for Monday 7 December
    # (the demo loader) still gets that Monday's times and can book them.
    clock.set_now(at(7, 10, 5) + timedelta(days=365))
    monday = Policy.for_staff(centre, at=at(7, 10, 5))
    assert local_times(slots_on(7, centre, passport, monday))[0] == "07 10:20"
    booking = book_appointment(
        location=centre,
        service=card,
        start=at(8, 10),
        citizen=citizen(1),
        channel=Booking.Channel.PHONE,
        policy=monday,
    )
    assert booking.created_at == at(7, 10, 5)
    # The same booking is too soon for the same rules at a later moment.
    later = Policy.for_staff(centre, at=at(8, 11))
    assert slots_on(8, centre, card, later)[0].local_start.strftime("%H:%M") == "11:00"


def test_a_public_holiday_offers_nothing(
    centre: Location, passport: Service, citizens_policy: Policy
) -> None:
    assert slots_on(24, centre, passport, citizens_policy) == []  # Christmas Eve


def test_a_closed_special_day_offers_nothing(
    centre: Location, passport: Service, citizens_policy: Policy
) -> None:
    SpecialDay.objects.create(location=centre, date=date(2026, 12, 9), closed=True)
    assert slots_on(9, centre, passport, citizens_policy) == []


def test_nothing_is_offered_beyond_the_horizon(
    centre: Location, passport: Service, citizens_policy: Policy
) -> None:
    slots = find_slots(
        location=centre,
        service=passport,
        first_day=date(2026, 12, 7),
        last_day=date(2027, 6, 1),
        policy=citizens_policy,
    )
    assert max(slot.local_start.date() for slot in slots) <= date(2026, 12, 7) + timedelta(60)


def test_a_time_shows_its_free_desks_and_disappears_when_they_are_booked(
    centre: Location, passport: Service, citizens_policy: Policy
) -> None:
    [slot] = [s for s in slots_on(8, centre, passport, citizens_policy) if s.start == at(8, 10)]
    assert slot.capacity == 2
    for number in range(2):
        book_appointment(
            location=centre,
            service=passport,
            start=at(8, 10),
            citizen=citizen(number),
            channel=Booking.Channel.WEB,
            policy=citizens_policy,
        )
    assert at(8, 10) not in [s.start for s in slots_on(8, centre, passport, citizens_policy)]


def test_a_booking_blocks_overlapping_times_of_other_services(
    centre: Location, passport: Service, card: Service, citizens_policy: Policy
) -> None:
    for number in range(2):  # both desks 10:00-10:20
        book_appointment(
            location=centre,
            service=passport,
            start=at(8, 10),
            citizen=citizen(number),
            channel=Booking.Channel.WEB,
            policy=citizens_policy,
        )
    times = local_times(slots_on(8, centre, card, citizens_policy))
    assert times[0] == "08 10:20"


def test_a_short_errand_goes_where_it_fragments_least(
    centre: Location, passport: Service, card: Service, citizens_policy: Policy
) -> None:
    desk_1, _ = Desk.objects.order_by("name")
    # Desk 1 is busy 10:20-14:40, leaving gaps 10:00-10:20 and 14:40-15:00;
    # desk 2 is free all day. A 10-minute errand at 10:00 belongs in desk 1's
    # small gap, keeping desk 2's long stretch whole for passports.
    Booking.objects.create(
        code="AAAAAA",
        token="t",
        location=centre,
        service=passport,
        desk=desk_1,
        start=at(8, 10, 20),
        end=at(8, 14, 40),
        name="x",
        phone="+4520000099",
        language="da",
        channel="web",
    )
    booking = book_appointment(
        location=centre,
        service=card,
        start=at(8, 10),
        citizen=citizen(1),
        channel=Booking.Channel.WEB,
        policy=citizens_policy,
    )
    assert booking.desk == desk_1


def test_a_dated_shift_replaces_the_weekly_one(
    centre: Location, passport: Service, citizens_policy: Policy
) -> None:
    # Wednesday 9 December: only desk 1, and only 12-14.
    SpecialDay.objects.create(location=centre, date=date(2026, 12, 9))
    centre.special_days.get().hours.create(opens=time(10), closes=time(15))
    desk_1, desk_2 = Desk.objects.order_by("name")
    shift = DeskShift.objects.create(
        desk=desk_1, date=date(2026, 12, 9), starts=time(12), ends=time(14)
    )
    shift.services.set([passport])
    DeskShift.objects.create(desk=desk_2, date=date(2026, 12, 9), starts=time(10), ends=time(11))
    slots = slots_on(9, centre, passport, citizens_policy)
    assert local_times(slots)[0] == "09 12:00"
    assert local_times(slots)[-1] == "09 13:40"
    assert {slot.desks for slot in slots} == {(desk_1.pk,)}


def test_held_back_capacity_is_released_on_the_day(
    centre: Location, passport: Service, citizens_policy: Policy
) -> None:
    passport.held_back_percent = 50
    passport.save()
    # Tuesday, ahead: one of the two desks is held back, so one booking
    # fills a time for citizens online; staff can still use the other.
    book_appointment(
        location=centre,
        service=passport,
        start=at(8, 10),
        citizen=citizen(1),
        channel=Booking.Channel.WEB,
        policy=citizens_policy,
    )
    assert at(8, 10) not in [s.start for s in slots_on(8, centre, passport, citizens_policy)]
    staff_slots = slots_on(8, centre, passport, Policy.for_staff(centre))
    assert at(8, 10) in [s.start for s in staff_slots]
    # On the day itself, the held-back desk is released to everyone.
    clock.set_now(at(8, 7))
    assert at(8, 10) in [s.start for s in slots_on(8, centre, passport, citizens_policy)]


def test_thirty_days_cost_a_fixed_number_of_queries_however_many_bookings(
    centre: Location, passport: Service, card: Service, citizens_policy: Policy
) -> None:
    def count_queries() -> tuple[int, int]:
        """Queries the first time after a change of schedule, and after."""
        mark_schedule_changed(location_ids=[centre.pk])
        return count_queries_once(), count_queries_once()

    def count_queries_once() -> int:
        refreshed = Location.objects.select_related("municipality").get(pk=centre.pk)
        with CaptureQueriesContext(connection) as queries:
            find_slots(
                location=refreshed,
                service=passport,
                first_day=date(2026, 12, 7),
                last_day=date(2027, 1, 5),
                policy=Policy.for_citizens(refreshed),
            )
        return len(queries)

    empty = count_queries()
    for number, slot in enumerate(
        find_slots(
            location=centre,
            service=card,
            first_day=date(2026, 12, 8),
            last_day=date(2026, 12, 18),
            policy=Policy.for_staff(centre),
        )[:40]
    ):
        Booking.objects.create(
            code=f"B{number:05d}",
            token="t",
            location=centre,
            service=card,
            desk_id=slot.desks[0],
            start=slot.start,
            end=slot.end,
            name="x",
            phone=f"+4530{number:06d}",
            language="da",
            channel="web",
        )
    full = count_queries()
    assert full == empty
    first, after = full
    assert first <= 6
    # Unchanged, the schedule is a version check.
    assert after == first - 3


def test_a_visit_may_run_across_touching_shifts(
    centre: Location, card: Service, citizens_policy: Policy
) -> None:
    # Desk 1's Tuesday is split into two shifts that meet at 12:00; desk 2
    # is off. A 30-minute errand at 11:45 fits across the seam.
    desk_1, desk_2 = Desk.objects.order_by("name")
    DeskShift.objects.filter(desk=desk_2, weekday=1).delete()
    morning = DeskShift.objects.get(desk=desk_1, weekday=1)
    morning.ends = time(12)
    morning.save()
    afternoon = DeskShift.objects.create(desk=desk_1, weekday=1, starts=time(12), ends=time(15))
    afternoon.services.set(morning.services.all())
    card.duration_minutes = 30
    card.slot_step_minutes = 15
    card.save()
    assert "08 11:45" in local_times(slots_on(8, centre, card, citizens_policy))


def test_half_a_held_back_desk_rounds_up(
    centre: Location, passport: Service, citizens_policy: Policy
) -> None:
    desk = Desk.objects.get(name="2")
    desk.active = False
    desk.save()
    passport.held_back_percent = 50
    passport.save()
    assert slots_on(8, centre, passport, citizens_policy) == []


@pytest.mark.parametrize(
    "sunday",
    [date(2027, 3, 28), date(2027, 10, 31)],
    ids=["summer time begins", "summer time ends"],
)
def test_a_booking_holds_its_wall_clock_time_on_the_days_the_clocks_change(
    centre: Location, passport: Service, sunday: date
) -> None:
    """A Sunday opening on the night the clocks go forward or back: a booking
    at 10:00 takes 10:00-10:20 on the wall clock, not an hour beside it."""
    clock.set_now(datetime.combine(sunday - timedelta(days=6), time(8), tzinfo=clock.LOCAL_ZONE))
    special = SpecialDay.objects.create(location=centre, date=sunday, note_da="Søndagsåbent")
    special.hours.create(opens=time(10), closes=time(12))
    for desk in Desk.objects.filter(location=centre):
        shift = DeskShift.objects.create(desk=desk, date=sunday, starts=time(10), ends=time(12))
        shift.services.set([passport])
    ten = datetime.combine(sunday, time(10), tzinfo=clock.LOCAL_ZONE)
    policy = Policy.for_citizens(centre)
    book_appointment(
        location=centre,
        service=passport,
        start=ten,
        citizen=citizen(1),
        channel=Booking.Channel.WEB,
        policy=policy,
    )
    slots = find_slots(
        location=centre, service=passport, first_day=sunday, last_day=sunday, policy=policy
    )
    capacity = {slot.local_start.strftime("%H:%M"): slot.capacity for slot in slots}
    assert capacity == {"10:00": 1, "10:20": 2, "10:40": 2, "11:00": 2, "11:20": 2, "11:40": 2}


def test_the_zone_offsets_of_a_period_name_the_moment_the_clocks_change() -> None:
    def local(day: date) -> datetime:
        return datetime.combine(day, time(0), tzinfo=clock.LOCAL_ZONE)

    winter = zone_offsets(start=local(date(2026, 12, 1)), end=local(date(2026, 12, 31)))
    assert winter == [(int(local(date(2026, 12, 1)).timestamp()), 3600)]
    # Summer time begins at 01:00 UTC on the last Sunday of March, and ends
    # at 01:00 UTC on the last Sunday of October: a year holds both.
    year = zone_offsets(start=local(date(2027, 1, 1)), end=local(date(2028, 1, 1)))
    assert year == [
        (int(local(date(2027, 1, 1)).timestamp()), 3600),
        (int(datetime(2027, 3, 28, 1, tzinfo=UTC).timestamp()), 7200),
        (int(datetime(2027, 10, 31, 1, tzinfo=UTC).timestamp()), 3600),
    ]
