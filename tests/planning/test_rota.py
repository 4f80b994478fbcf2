"""The rota: the solver covers the need with fewer hours than staffing for
the peak and names what it cannot cover; applying it writes dated desk
shifts that change the times offered, or refuses and changes nothing
when a booking would lose its desk or bookings hold its days past the
lock timeout; the telephones get their own rota from their own patterns,
shown but never applied; and only managers of the place see the page."""

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, time, timedelta

import psycopg.errors
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.test import Client

from skranke.accounts.models import Role, User
from skranke.booking.availability import Policy, find_slots
from skranke.booking.models import Booking
from skranke.contact_centre.models import Call
from skranke.core import clock
from skranke.core.models import Desk, DeskShift, Location, Municipality, Service
from skranke.demo.contact_year import load_contact_history
from skranke.demo.loading import load_demo_data
from skranke.demo.shift_patterns import PHONE_PATTERNS
from skranke.demo.visit_history import load_visit_history
from skranke.planning.counter.need import plan_counter_need
from skranke.planning.models import RotaSettings, ShiftPattern
from skranke.planning.phones.need import plan_phone_need
from skranke.planning.rota.apply import RotaRefused, apply_rota
from skranke.planning.rota.patterns import Pattern, read_patterns
from skranke.planning.rota.rota import Rota, build_rota, peak_hours
from skranke.planning.rota.solver import plan_rota
from tests.booking.test_staff_booking import member
from tests.centre import MONDAY
from tests.planning.test_phones import make_calls
from tests.stats.visits import make_booking, make_visit

TUESDAY = date(2026, 12, 8)
URL = "/personale/planlaegning/vagtplan/"


def half_hour(hour: int, minute: int = 0) -> int:
    return (hour * 60 + minute) // 30


def day_need(counts_from_ten: list[int]) -> list[int]:
    """48 half hours, `counts_from_ten` starting at 10:00."""
    need = [0] * 48
    need[half_hour(10) : half_hour(10) + len(counts_from_ten)] = counts_from_ten
    return need


# 10:00-17:00, busy late morning, quiet afternoon: a citizen service centre.
BUSY_MORNING = [3, 4, 5, 5, 5, 4, 3, 2, 2, 2, 2, 2, 1, 1]

COUNTER_BLOCKS = [
    Pattern(key=f"{length}@{start}", name="Skranke", start=start, length=length, most_staff=6)
    for length in (4, 6)
    for start in range(half_hour(10), half_hour(17) - length + 1)
]
LONG_DAY = Pattern(
    key="long", name="Lang dag", start=half_hour(10), length=14, break_start=6, break_length=1
)


def test_the_rota_covers_the_need_with_fewer_hours_than_staffing_for_the_peak() -> None:
    need = {TUESDAY + timedelta(days=offset): day_need(BUSY_MORNING) for offset in range(3)}
    rota = plan_rota(need=need, patterns=[*COUNTER_BLOCKS, LONG_DAY], desks=6)
    assert rota.uncovered == []
    assert rota.covered_share == 1.0
    assert rota.peak_hours == peak_hours(need) == 3 * 5 * 7
    assert rota.hours <= 0.9 * rota.peak_hours
    assert rota.solved_optimally
    for day in rota.days:
        assert all(planned >= wanted for planned, wanted in zip(day.planned, day.need, strict=True))


def test_patterns_that_cannot_cover_the_need_name_the_half_hours_left_short() -> None:
    need = {TUESDAY: day_need([2] * 14)}  # 10:00-17:00
    morning = Pattern(
        key="m", name="Formiddag", start=half_hour(10), length=8, break_start=4, break_length=1
    )
    rota = plan_rota(need=need, patterns=[replace(morning, most_staff=2)])
    # Both on their break at 12:00, and nobody after 14:00.
    assert [(gap.day, gap.label, gap.missing) for gap in rota.uncovered] == [
        (TUESDAY, label, 2)
        for label in [
            "12:00–12:30",
            "14:00–14:30",
            "14:30–15:00",
            "15:00–15:30",
            "15:30–16:00",
            "16:00–16:30",
            "16:30–17:00",
        ]
    ]
    assert rota.covered_share == pytest.approx(7 / 14)


def test_no_more_shifts_run_at_once_than_there_are_desks() -> None:
    need = {TUESDAY: day_need([4] * 6)}
    rota = plan_rota(need=need, patterns=[replace(LONG_DAY, most_staff=9)], desks=3)
    assert max(rota.days[0].planned) == 3
    assert {gap.missing for gap in rota.uncovered} == {1}
    assert len(rota.uncovered) == 6


def test_a_lower_share_to_cover_trades_a_few_half_hours_for_hours() -> None:
    need = {TUESDAY: day_need([2, 2, 2, 2, 3, 2, 2, 2])}
    whole = plan_rota(need=need, patterns=COUNTER_BLOCKS)
    traded = plan_rota(need=need, patterns=COUNTER_BLOCKS, cover_share=0.85)
    assert whole.covered_share == 1.0
    assert traded.hours < whole.hours
    assert traded.covered_share >= 0.85
    assert all(gap.missing == 1 for gap in traded.uncovered)


def test_a_week_of_patterns_with_flexible_starts_counts_staff_once_per_pattern() -> None:
    blocks = Pattern.variants(
        key=1,
        name="Skranke 2 timer",
        starts=time(10),
        latest_start=time(15),
        length_minutes=120,
        break_minutes=0,
        break_after_minutes=0,
        weekdays=frozenset({1}),
        most_staff=2,
    )
    assert [block.start for block in blocks] == list(range(half_hour(10), half_hour(15) + 1))
    rota = plan_rota(need={TUESDAY: day_need([3] * 14)}, patterns=blocks)
    assert sum(shift.staff for shift in rota.days[0].shifts) == 2


# --- The demo town hall's history ---------------------------------------------

LOADED_ON = datetime(2026, 11, 30, 8, 0, tzinfo=clock.LOCAL_ZONE)


@pytest.mark.django_db
def test_the_demo_week_meets_the_targets_and_the_page_shows_it(
    staff_client: Callable[[User], Client],
) -> None:
    clock.set_now(LOADED_ON)
    load_demo_data(now=LOADED_ON)
    town_hall = Location.objects.get(slug="raadhuset")
    load_visit_history(location=town_hall, today=LOADED_ON.date())
    monday = date(2026, 12, 14)
    counter = plan_counter_need(
        location=town_hall,
        today=LOADED_ON.date(),
        days=[monday + timedelta(days=offset) for offset in range(7)],
    )
    assert counter is not None
    assert sorted(day.weekday() for day in counter.need) == [0, 1, 2, 3, 4, 5]
    # The desks are planned for more citizens than expected, by as much as
    # the forecast may be off: never fewer, and more wherever anyone comes.
    for day, expected in counter.arrivals.items():
        planned = counter.planned[day]
        assert (planned >= expected).all()
        assert (planned[expected > 0] > expected[expected > 0]).all()
    rota = plan_rota(
        need=counter.need,
        patterns=read_patterns(location=town_hall),
        desks=6,
        cover_share=0.98,
        time_limit_seconds=10,
    )
    # What the rota promises, however soon the solver stopped: how long it
    # takes is bench/rota.py's to measure (R1), not a test's.
    assert rota.covered_share >= 0.98
    assert all(gap.missing == 1 for gap in rota.uncovered)
    assert all(max(day.planned) <= 6 for day in rota.days)
    # The shifts follow the need instead of staffing the peak all day (on
    # this week 8 % fewer hours, with the margin for the forecast's error).
    assert rota.hours <= 0.95 * rota.peak_hours

    RotaSettings.objects.create(municipality=town_hall.municipality, hourly_cost=400)
    manager = User.objects.get(username="leder")
    page = staff_client(manager).get(f"{URL}?sted={town_hall.pk}&uge=2026-12-14&daekning=98")
    assert page.status_code == 200
    shown = page.context["rota"]
    assert shown.covered_share >= 0.98
    assert page.context["saved_kroner"] == round((shown.peak_hours - shown.hours) * 400)
    assert "Apply as desk shifts" in page.content.decode()


# --- The telephones --------------------------------------------------------------

NOT_APPLIED = "This rota is not applied here: the contact centre's agents are not desks in Skranke"
PHONES = ShiftPattern.Applies.PHONES


@pytest.mark.django_db
def test_the_demo_telephones_week_is_covered_and_shown_without_an_apply_button(
    staff_client: Callable[[User], Client],
) -> None:
    clock.set_now(LOADED_ON)
    municipality = load_demo_data(now=LOADED_ON)
    load_contact_history(municipality=municipality, today=LOADED_ON.date())
    town_hall = Location.objects.get(slug="raadhuset")
    monday = date(2026, 12, 14)
    need = plan_phone_need(
        municipality=municipality,
        today=LOADED_ON.date(),
        days=[monday + timedelta(days=offset) for offset in range(7)],
        max_occupancy=0.85,
        shrinkage=0.3,
    )
    assert need is not None
    # The telephones are answered on weekdays only.
    assert sorted(day.weekday() for day in need) == [0, 1, 2, 3, 4]
    rota = plan_rota(
        need=need,
        patterns=read_patterns(location=town_hall, applies_to=PHONES),
        cover_share=0.98,
        time_limit_seconds=10,
    )
    assert rota.covered_share >= 0.98
    assert rota.hours < rota.peak_hours
    assert {shift.pattern.name for day in rota.days for shift in day.shifts} <= {
        name for name, *_fields in PHONE_PATTERNS
    }

    page = staff_client(User.objects.get(username="leder")).get(
        f"{URL}?sted={town_hall.pk}&uge=2026-12-14&daekning=98&for=telefoner"
    )
    assert page.status_code == 200
    shown = page.context["rota"]
    assert shown.covered_share >= 0.98
    assert page.context["saved_kroner"] == round((shown.peak_hours - shown.hours) * 350)
    content = page.content.decode()
    assert NOT_APPLIED in content
    assert "Apply as desk shifts" not in content
    assert "comparison" not in page.context

    # The demo's calls peak in the morning (demo/contact_year.py), so the
    # patterns can follow the need instead of staffing the peak all day.
    assert rota.hours <= 0.9 * rota.peak_hours


def phone_pattern(location: Location, **fields: object) -> ShiftPattern:
    return ShiftPattern.objects.create(
        location=location,
        applies_to=PHONES,
        name=str(fields.pop("name", "Telefon hel dag")),
        starts=time(9),
        length_minutes=6 * 60,
        most_staff=20,
        **fields,
    )


@pytest.mark.django_db
def test_counter_patterns_are_never_used_for_the_telephones_nor_the_other_way_round(
    centre: Location, staff_client: Callable[[User], Client]
) -> None:
    ShiftPattern.objects.create(
        location=centre, name="Skranke", starts=time(10), length_minutes=120
    )
    phone_pattern(centre)
    assert [pattern.name for pattern in read_patterns(location=centre)] == ["Skranke"]
    assert [pattern.name for pattern in read_patterns(location=centre, applies_to=PHONES)] == [
        "Telefon hel dag"
    ]

    make_calls(centre.municipality)
    page = staff_client(member(Role.MANAGER, centre)).get(f"{URL}?for=telefoner")
    names = {shift.pattern.name for day in page.context["rota"].days for shift in day.shifts}
    assert names == {"Telefon hel dag"}


@pytest.mark.django_db
def test_without_patterns_for_the_telephones_the_page_says_so(
    centre: Location, staff_client: Callable[[User], Client]
) -> None:
    ShiftPattern.objects.create(
        location=centre, name="Skranke", starts=time(10), length_minutes=120
    )
    make_calls(centre.municipality)
    page = staff_client(member(Role.MANAGER, centre)).get(f"{URL}?for=telefoner")
    assert page.context["missing"] == "patterns"
    assert "no shift patterns for the telephones yet" in page.content.decode()


@pytest.mark.django_db
def test_the_telephones_rota_is_shown_but_never_applied(
    centre: Location, staff_client: Callable[[User], Client]
) -> None:
    phone_pattern(centre)
    make_calls(centre.municipality)
    page = staff_client(member(Role.MANAGER, centre)).get(f"{URL}?for=telefoner&daekning=100")
    assert page.status_code == 200
    rota = page.context["rota"]
    # 60 calls a day from 9 to 15: every weekday of the week needs agents.
    assert [day.day.weekday() for day in rota.days] == [0, 1, 2, 3, 4]
    assert rota.uncovered == []
    assert "desks" not in page.context
    content = page.content.decode()
    assert NOT_APPLIED in content
    assert "Apply as desk shifts" not in content
    assert 'action="/personale/planlaegning/vagtplan/anvend/"' not in content
    assert '<option value="telefoner" selected>' in content


@pytest.mark.django_db
def test_without_call_records_the_telephones_page_says_so(
    centre: Location, staff_client: Callable[[User], Client]
) -> None:
    phone_pattern(centre)
    page = staff_client(member(Role.MANAGER, centre)).get(f"{URL}?for=telefoner")
    assert page.status_code == 200
    assert page.context["missing"] == "history"
    content = page.content.decode()
    assert "There are too few call records to forecast the week's calls" in content
    assert NOT_APPLIED in content


@pytest.mark.django_db
def test_call_records_without_end_times_give_the_telephones_plans_reason(
    centre: Location, staff_client: Callable[[User], Client]
) -> None:
    phone_pattern(centre)
    make_calls(centre.municipality)
    Call.objects.update(ended_at=None)
    page = staff_client(member(Role.MANAGER, centre)).get(f"{URL}?for=telefoner")
    assert "the handling time cannot be measured" in page.content.decode()
    assert "rota" not in page.context


# --- Applying -----------------------------------------------------------------

FORENOON = Pattern(key="f", name="Formiddag", start=half_hour(10), length=4)  # 10-12


def one_forenoon_on_tuesday() -> Rota:
    return build_rota(need={TUESDAY: day_need([1] * 4)}, counts={TUESDAY: {FORENOON: 1}})


def times_on(location: Location, service: Service, day: date) -> list[tuple[str, int]]:
    return [
        (slot.local_start.strftime("%H:%M"), slot.capacity)
        for slot in find_slots(
            location=location,
            service=service,
            first_day=day,
            last_day=day,
            policy=Policy.for_staff(location),
        )
    ]


@pytest.mark.django_db
def test_applying_writes_dated_shifts_that_change_the_times_offered(
    centre: Location, passport: Service
) -> None:
    before = times_on(centre, passport, TUESDAY)
    assert before[0] == ("10:00", 2)
    assert before[-1] == ("14:40", 2)

    applied = apply_rota(
        location=centre, rota=one_forenoon_on_tuesday(), user=member(Role.MANAGER, centre)
    )

    assert applied.days == [TUESDAY]
    assert times_on(centre, passport, TUESDAY) == [
        (f"{10 + minute // 60}:{minute % 60:02d}", 1) for minute in range(0, 120, 20)
    ]
    # The other days keep their weekly shifts.
    assert times_on(centre, passport, TUESDAY + timedelta(days=1)) == [
        (f"{10 + minute // 60}:{minute % 60:02d}", 2) for minute in range(0, 300, 20)
    ]
    worked = DeskShift.objects.get(date=TUESDAY, services=passport)
    assert (worked.starts, worked.ends) == (time(10), time(12))


@pytest.mark.django_db
def test_the_staff_member_is_put_at_the_desk_that_holds_a_booking(
    centre: Location, passport: Service
) -> None:
    second = Desk.objects.get(location=centre, name="2")
    make_booking(
        location=centre,
        service=passport,
        start=datetime(2026, 12, 8, 10, 20, tzinfo=clock.LOCAL_ZONE),
        status=Booking.Status.BOOKED,
        desk=second,
    )
    apply_rota(location=centre, rota=one_forenoon_on_tuesday(), user=member(Role.MANAGER, centre))
    assert DeskShift.objects.get(date=TUESDAY, services=passport).desk == second


@pytest.mark.django_db
def test_a_rota_that_would_strand_a_booking_is_refused_and_changes_nothing(
    centre: Location, passport: Service
) -> None:
    booking = make_booking(
        location=centre,
        service=passport,
        start=datetime(2026, 12, 8, 13, 0, tzinfo=clock.LOCAL_ZONE),
        status=Booking.Status.BOOKED,
        desk=Desk.objects.get(location=centre, name="2"),
    )
    before = times_on(centre, passport, TUESDAY)
    shifts = list(DeskShift.objects.order_by("pk").values_list("pk", "date", "starts", "ends"))

    with pytest.raises(RotaRefused) as refused:
        apply_rota(
            location=centre, rota=one_forenoon_on_tuesday(), user=member(Role.MANAGER, centre)
        )

    assert [held.code for held in refused.value.bookings] == [booking.code]
    assert refused.value.bookings[0].start.strftime("%H:%M") == "13:00"
    assert "1 booking would lose its desk" in refused.value.message
    assert (
        list(DeskShift.objects.order_by("pk").values_list("pk", "date", "starts", "ends")) == shifts
    )
    assert times_on(centre, passport, TUESDAY) == before


@pytest.mark.django_db
def test_a_rota_for_today_is_refused(centre: Location) -> None:
    today = build_rota(
        need={date(2026, 12, 7): day_need([1] * 4)}, counts={date(2026, 12, 7): {FORENOON: 1}}
    )
    with pytest.raises(RotaRefused):
        apply_rota(location=centre, rota=today, user=member(Role.MANAGER, centre))
    assert not DeskShift.objects.filter(date__isnull=False).exists()


LOCK_TIMEOUT_REFUSAL = "times on those days are being booked or changed right now"


def lock_timeout(**_arguments: object) -> None:
    """What a lock taken on PostgreSQL raises past the lock timeout
    (booking/locking.py): Django's OperationalError from psycopg's
    LockNotAvailable."""
    cause = psycopg.errors.LockNotAvailable("canceling statement due to lock timeout")
    raise OperationalError(str(cause)) from cause


# SQLite never reaches a lock timeout (its writers queue for the whole
# database), so these make the locks raise what PostgreSQL's do: they check
# what applying a rota does with that error, not the timeout itself, which
# test_rota_locks.py checks on PostgreSQL with a real holder of the day.
@pytest.mark.parametrize(
    "timed_out",
    [
        # The day's lock, while bookings hold it.
        "skranke.planning.rota.apply.lock_days",
        # A row lock after the shifts are written: the timeout covers the
        # rest of the transaction.
        "skranke.planning.rota.apply.mark_schedule_changed",
    ],
)
@pytest.mark.django_db
def test_a_rota_held_up_past_the_lock_timeout_is_refused_and_changes_nothing(
    centre: Location, passport: Service, monkeypatch: pytest.MonkeyPatch, timed_out: str
) -> None:
    before = times_on(centre, passport, TUESDAY)
    shifts = list(DeskShift.objects.order_by("pk").values_list("pk", "date", "starts", "ends"))
    monkeypatch.setattr(timed_out, lock_timeout)

    with pytest.raises(RotaRefused) as refused:
        apply_rota(
            location=centre, rota=one_forenoon_on_tuesday(), user=member(Role.MANAGER, centre)
        )

    assert LOCK_TIMEOUT_REFUSAL in refused.value.message
    assert refused.value.bookings == []
    assert (
        list(DeskShift.objects.order_by("pk").values_list("pk", "date", "starts", "ends")) == shifts
    )
    assert times_on(centre, passport, TUESDAY) == before


def visits_for_three_weeks(centre: Location, passport: Service) -> None:
    """Enough history for the counter's forecast: four passports on each
    weekday of the three weeks before the clock's Monday."""
    for offset in range(21, 0, -1):
        day = MONDAY.date() - timedelta(days=offset)
        if day.weekday() < 5:
            for hour in (10, 11, 12, 13):
                arrived = datetime.combine(day, time(hour), tzinfo=clock.LOCAL_ZONE)
                make_visit(location=centre, service=passport, arrived=arrived)


@pytest.mark.django_db
def test_the_manager_reads_a_lock_timeout_as_a_refusal_in_danish_not_an_error_page(
    centre: Location,
    passport: Service,
    staff_client: Callable[[User], Client],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    visits_for_three_weeks(centre, passport)
    ShiftPattern.objects.create(
        location=centre, name="Skranke", starts=time(10), length_minutes=300, most_staff=2
    )
    client = staff_client(member(Role.MANAGER, centre))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    page = client.get(f"{URL}?sted={centre.pk}&uge=2026-12-14&daekning=100")
    reviewed = {"sted": centre.pk, "uge": "2026-12-14", "daekning": "100"}
    monkeypatch.setattr("skranke.planning.rota.apply.lock_days", lock_timeout)

    answer = client.post(f"{URL}anvend/", {**reviewed, "plan": page.context["plan"]}, follow=True)

    assert answer.status_code == 200
    assert "der bliver booket eller ændret tider på de dage lige nu" in answer.content.decode()
    assert not DeskShift.objects.filter(date__isnull=False).exists()


# --- Who sees the page ----------------------------------------------------------


@pytest.mark.django_db
def test_front_desk_staff_are_refused(
    centre: Location, staff_client: Callable[[User], Client]
) -> None:
    client = staff_client(member(Role.FRONT_DESK, centre))
    assert client.get(URL).status_code == 403
    assert client.post(f"{URL}anvend/", {"sted": centre.pk, "plan": "x"}).status_code == 403


@pytest.mark.django_db
def test_another_municipalitys_place_is_never_shown(
    centre: Location, staff_client: Callable[[User], Client]
) -> None:
    other = Municipality.objects.create(name="Nabokommune", slug="nabo")
    elsewhere = Location.objects.create(
        municipality=other, name="Nabo Borgerservice", slug="nabo-bs", address="Vej 1"
    )
    ShiftPattern.objects.create(
        location=elsewhere, name="Nabovagt", starts=time(10), length_minutes=120
    )
    page = staff_client(member(Role.MANAGER, centre)).get(f"{URL}?sted={elsewhere.pk}")
    assert page.status_code == 200
    assert page.context["place"] == centre
    assert "Nabo" not in page.content.decode()


@pytest.mark.django_db
def test_a_tampered_plan_is_refused_with_a_message(
    centre: Location, staff_client: Callable[[User], Client]
) -> None:
    client = staff_client(member(Role.MANAGER, centre))
    answer = client.post(
        f"{URL}anvend/", {"sted": centre.pk, "uge": "2026-12-14", "plan": "x"}, follow=True
    )
    assert "could not be read" in answer.content.decode()
    assert not DeskShift.objects.filter(date__isnull=False).exists()


@pytest.mark.django_db
def test_a_manager_adds_a_shift_pattern_in_the_admin_with_weekdays_ticked(
    centre: Location, staff_client: Callable[[User], Client]
) -> None:
    client = staff_client(member(Role.MANAGER, centre))
    assert client.get("/admin/planning/shiftpattern/add/").status_code == 200
    answer = client.post(
        "/admin/planning/shiftpattern/add/",
        {
            "location": centre.pk,
            "applies_to": "counter",
            "name": "Formiddag",
            "starts": "10:00",
            "latest_start": "11:00",
            "length_minutes": "180",
            "break_minutes": "0",
            "break_after_minutes": "0",
            "weekdays": ["0", "2", "4"],
            "most_staff": "2",
            "active": "on",
        },
    )
    assert answer.status_code == 302
    pattern = ShiftPattern.objects.get()
    assert pattern.weekdays == "024"
    assert len(read_patterns(location=centre)) == 3  # 10:00, 10:30 and 11:00


@pytest.mark.django_db
def test_a_break_outside_the_shift_is_refused(centre: Location) -> None:
    pattern = ShiftPattern(
        location=centre,
        name="Lang",
        starts=time(10),
        length_minutes=240,
        break_minutes=30,
        break_after_minutes=240,
    )
    with pytest.raises(ValidationError) as refused:
        pattern.full_clean()
    assert "break_after_minutes" in refused.value.message_dict
