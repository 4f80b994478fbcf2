"""Bad configuration gets a clear message, in the admin and in the model."""

from collections.abc import Callable
from datetime import date, time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

from skranke.accounts.models import Role, User
from skranke.core.models import (
    Desk,
    DeskShift,
    Location,
    OpeningHours,
    Service,
    SpecialDay,
    SpecialDayHours,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(location: Location) -> Desk:
    OpeningHours.objects.create(location=location, weekday=0, opens=time(10), closes=time(17))
    return Desk.objects.create(location=location, name="1")


@pytest.fixture
def administrator_client(location: Location, staff_client: Callable[[User], Client]) -> Client:
    user = User.objects.create_user(
        "anne", password="pw", municipality=location.municipality, role=Role.ADMINISTRATOR
    )
    return staff_client(user)


def shift(desk: Desk, starts: time, ends: time, **when: object) -> DeskShift:
    return DeskShift(desk=desk, starts=starts, ends=ends, **({"weekday": 0} | when))


def test_closing_before_opening_is_refused(location: Location) -> None:
    hours = OpeningHours(location=location, weekday=0, opens=time(15), closes=time(10))
    with pytest.raises(ValidationError, match="end must be later than the start"):
        hours.full_clean()


def test_the_database_also_refuses_closing_before_opening(location: Location) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        OpeningHours.objects.create(location=location, weekday=0, opens=time(15), closes=time(10))


def test_a_duration_must_be_positive(location: Location) -> None:
    service = Service(
        municipality=location.municipality, slug="pas", name_da="Pas", duration_minutes=0
    )
    with pytest.raises(ValidationError) as error:
        service.full_clean()
    assert "duration_minutes" in error.value.message_dict


def test_overlapping_shifts_on_one_desk_are_refused(desk: Desk) -> None:
    shift(desk, time(10), time(13)).save()
    with pytest.raises(ValidationError, match="overlaps another shift"):
        shift(desk, time(12), time(15)).full_clean(exclude=["services"])


def test_back_to_back_shifts_are_fine(desk: Desk) -> None:
    shift(desk, time(10), time(13)).save()
    shift(desk, time(13), time(17)).full_clean(exclude=["services"])


def test_shifts_on_different_desks_may_overlap(desk: Desk, location: Location) -> None:
    other = Desk.objects.create(location=location, name="2")
    shift(desk, time(10), time(13)).save()
    shift(other, time(10), time(13)).full_clean(exclude=["services"])


def test_a_shift_outside_opening_hours_is_refused(desk: Desk) -> None:
    with pytest.raises(ValidationError, match=r"within the opening hours \(Monday: 10:00–17:00\)"):
        shift(desk, time(16), time(18)).full_clean(exclude=["services"])


def test_a_shift_on_a_closed_weekday_is_refused(desk: Desk) -> None:
    with pytest.raises(ValidationError, match="closed"):
        shift(desk, time(10), time(12), weekday=2).full_clean(exclude=["services"])


def test_a_dated_shift_follows_that_days_special_hours(desk: Desk, location: Location) -> None:
    extended = SpecialDay.objects.create(location=location, date=date(2026, 12, 14))
    SpecialDayHours.objects.create(special_day=extended, opens=time(10), closes=time(19))
    evening = shift(desk, time(17), time(19), weekday=None, date=extended.date)
    evening.full_clean(exclude=["services"])


def test_a_shift_is_weekly_or_dated_not_both(desk: Desk) -> None:
    both = shift(desk, time(10), time(12), date=date(2026, 12, 14))
    with pytest.raises(ValidationError, match="either a weekday or a date"):
        both.full_clean(exclude=["services"])


def opening_hours_post(location: Location, rows: list[tuple[int, str, str]]) -> dict[str, str]:
    data = {
        "municipality": str(location.municipality_id),
        "name": location.name,
        "slug": location.slug,
        "address": location.address,
        "phone": "",
        "opening_hours-TOTAL_FORMS": str(len(rows)),
        "opening_hours-INITIAL_FORMS": "0",
        "opening_hours-MIN_NUM_FORMS": "0",
        "opening_hours-MAX_NUM_FORMS": "1000",
    }
    for index, (weekday, opens, closes) in enumerate(rows):
        data |= {
            f"opening_hours-{index}-weekday": str(weekday),
            f"opening_hours-{index}-opens": opens,
            f"opening_hours-{index}-closes": closes,
            f"opening_hours-{index}-location": str(location.pk),
        }
    return data


def test_the_admin_accepts_several_intervals_a_day(
    administrator_client: Client, location: Location
) -> None:
    rows = [(1, "08:00", "09:30"), (1, "10:00", "15:00"), (5, "10:00", "13:00")]
    response = administrator_client.post(
        f"/admin/core/location/{location.pk}/change/", opening_hours_post(location, rows)
    )
    assert response.status_code == 302
    assert location.opening_hours.count() == 3


def test_the_admin_explains_overlapping_opening_hours(
    administrator_client: Client, location: Location
) -> None:
    rows = [(1, "10:00", "15:00"), (1, "14:00", "16:00")]
    response = administrator_client.post(
        f"/admin/core/location/{location.pk}/change/", opening_hours_post(location, rows)
    )
    assert response.status_code == 200
    assert "10:00–15:00 overlaps 14:00–16:00" in response.content.decode()
    assert location.opening_hours.count() == 0


def special_day_post(location: Location, *, closed: bool, hours: list[tuple[str, str]]) -> dict:
    data = {
        "location": str(location.pk),
        "date": "2026-12-14",
        "note_da": "Udvidet åbningstid",
        "note_en": "",
        "hours-TOTAL_FORMS": str(len(hours)),
        "hours-INITIAL_FORMS": "0",
        "hours-MIN_NUM_FORMS": "0",
        "hours-MAX_NUM_FORMS": "1000",
    }
    if closed:
        data["closed"] = "on"
    for index, (opens, closes) in enumerate(hours):
        data |= {f"hours-{index}-opens": opens, f"hours-{index}-closes": closes}
    return data


def test_an_open_special_day_needs_hours(administrator_client: Client, location: Location) -> None:
    response = administrator_client.post(
        "/admin/core/specialday/add/", special_day_post(location, closed=False, hours=[])
    )
    assert response.status_code == 200
    assert "tick “closed all day”" in response.content.decode()
    assert not SpecialDay.objects.exists()


def test_an_extended_special_day_is_saved(administrator_client: Client, location: Location) -> None:
    response = administrator_client.post(
        "/admin/core/specialday/add/",
        special_day_post(location, closed=False, hours=[("10:00", "19:00")]),
    )
    assert response.status_code == 302
    assert SpecialDay.objects.get().hours.get().closes == time(19)


def test_the_admins_table_fields_are_named_by_column_and_row(
    administrator_client: Client, location: Location
) -> None:
    # A tabular inline and a list's editable column show the field's name
    # only in a column heading, which a screen reader does not tie to the
    # field: each field carries its column and its row in its own name.
    OpeningHours.objects.create(location=location, weekday=0, opens=time(9), closes=time(12))
    OpeningHours.objects.create(location=location, weekday=0, opens=time(13), closes=time(15))
    page = administrator_client.get(f"/admin/core/location/{location.pk}/change/").content.decode()
    assert 'aria-label="Weekday, row 2"' in page
    assert 'aria-label="Closes, row 2"' in page
    assert 'aria-label="Delete, row 1"' in page
    assert 'aria-label="Opens, new row"' in page  # the blank row "add another" copies

    Service.objects.create(
        municipality=location.municipality, name_da="Pas", slug="pas", duration_minutes=15
    )
    listed = administrator_client.get("/admin/core/service/").content.decode()
    assert 'aria-label="Duration in minutes, Pas"' in listed
