from datetime import date, time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from skranke.core.models import Location, OpeningHours, SpecialDay, SpecialDayHours
from skranke.core.opening_hours import opening_calendar, opening_intervals_on

pytestmark = pytest.mark.django_db


@pytest.fixture
def week(location: Location) -> Location:
    # Monday 10-17, Tuesday 8-9:30 and 10-15, Saturday 10-13.
    for weekday, opens, closes in [
        (0, time(10), time(17)),
        (1, time(8), time(9, 30)),
        (1, time(10), time(15)),
        (5, time(10), time(13)),
    ]:
        OpeningHours.objects.create(location=location, weekday=weekday, opens=opens, closes=closes)
    return location


def test_a_weekday_has_its_weekly_hours(week: Location) -> None:
    tuesday = date(2026, 12, 8)
    assert opening_intervals_on(location=week, day=tuesday) == [
        (time(8), time(9, 30)),
        (time(10), time(15)),
    ]


def test_a_saturday_can_be_open(week: Location) -> None:
    assert opening_intervals_on(location=week, day=date(2026, 12, 12)) == [(time(10), time(13))]


def test_a_day_without_hours_is_closed(week: Location) -> None:
    assert opening_intervals_on(location=week, day=date(2026, 12, 13)) == []


def test_a_public_holiday_is_closed_and_named(week: Location) -> None:
    # Second Easter Day 2027 is a Monday.
    [day] = opening_calendar(location=week, first_day=date(2027, 3, 29), last_day=date(2027, 3, 29))
    assert day.intervals == []
    assert day.note == "Anden påskedag"


def test_christmas_eve_is_closed_though_not_a_public_holiday_by_law(week: Location) -> None:
    # 24 December 2029 is a Monday.
    assert opening_intervals_on(location=week, day=date(2029, 12, 24)) == []


def test_a_special_day_can_open_a_public_holiday(week: Location) -> None:
    special = SpecialDay.objects.create(
        location=week, date=date(2027, 3, 29), note_da="Åbent for brevstemmer"
    )
    SpecialDayHours.objects.create(special_day=special, opens=time(10), closes=time(12))
    [day] = opening_calendar(location=week, first_day=special.date, last_day=special.date)
    assert day.intervals == [(time(10), time(12))]
    assert day.note == "Åbent for brevstemmer"


def test_a_special_day_can_extend_the_hours(week: Location) -> None:
    special = SpecialDay.objects.create(
        location=week, date=date(2026, 12, 14), note_da="Udvidet åbningstid før sommerferien"
    )
    SpecialDayHours.objects.create(special_day=special, opens=time(10), closes=time(19))
    assert opening_intervals_on(location=week, day=special.date) == [(time(10), time(19))]


def test_a_special_day_can_close_an_ordinary_day(week: Location) -> None:
    SpecialDay.objects.create(location=week, date=date(2026, 12, 14), closed=True)
    assert opening_intervals_on(location=week, day=date(2026, 12, 14)) == []


def test_a_whole_season_costs_a_few_queries_and_then_one(week: Location) -> None:
    for most in (4, 1):  # the schedule's version and parts; then its version only
        with CaptureQueriesContext(connection) as queries:
            days = opening_calendar(
                location=week, first_day=date(2026, 12, 1), last_day=date(2027, 1, 29)
            )
        assert len(days) == 60
        assert len(queries) <= most


def test_may_day_is_an_ordinary_day(week: Location) -> None:
    # 1 May 2028 is a Monday.
    assert opening_intervals_on(location=week, day=date(2028, 5, 1)) == [(time(10), time(17))]


def test_constitution_day_is_closed(week: Location) -> None:
    # 5 June 2028 is a Monday.
    assert opening_intervals_on(location=week, day=date(2028, 6, 5)) == []
