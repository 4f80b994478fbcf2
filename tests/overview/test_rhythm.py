"""Today's rhythm: per half hour of the opening hours, the forecast's
expected citizens (the planning page's, for today), those who came, and
the median wait of those called."""

from datetime import timedelta

import pytest

from skranke.core import clock
from skranke.core.models import Location, Service
from skranke.overview.rhythm import read_day_rhythm
from skranke.planning.demand import forecast_visits
from skranke.queueing.calling import call_next
from skranke.queueing.checkin import issue_walk_in_ticket
from skranke.queueing.serving import open_desk
from tests.booking.test_staff_booking import member
from tests.centre import at
from tests.stats.visits import make_visit

pytestmark = pytest.mark.django_db


def test_the_half_hours_so_far_beside_the_forecast(centre: Location, postal_vote: Service) -> None:
    # Six weeks of history: two citizens at 10:05 and one at 11:10 each weekday.
    for days_back in range(1, 43):
        day = at(7, 10, 5) - timedelta(days=days_back)
        if day.weekday() < 5:
            make_visit(location=centre, service=postal_vote, arrived=day)
            make_visit(location=centre, service=postal_vote, arrived=day)
            make_visit(location=centre, service=postal_vote, arrived=day + timedelta(minutes=65))
    staff = member("front_desk", centre)
    desk = centre.desks.get(name="1")
    clock.set_now(at(7, 10, 2))
    issue_walk_in_ticket(location=centre, service=postal_vote)
    clock.set_now(at(7, 10, 40))
    issue_walk_in_ticket(location=centre, service=postal_vote)
    open_desk(desk=desk, staff=staff)
    clock.set_now(at(7, 10, 50))
    call_next(desk=desk, staff=staff)  # the 10:02 citizen, after 48 minutes

    rhythm = read_day_rhythm(location=centre, now=clock.now())
    assert rhythm is not None
    assert rhythm.has_forecast
    half_hours = {row.starts: row for row in rhythm.half_hours}
    # Opening hours 10–15: ten half hours.
    assert list(half_hours) == [
        f"{hour}:{minute}" for hour in range(10, 15) for minute in ("00", "30")
    ]
    assert half_hours["10:00"].arrived == 1
    assert half_hours["10:00"].median_wait_minutes == 48
    assert half_hours["10:30"].arrived == 1
    assert half_hours["10:30"].median_wait_minutes is None  # not called yet
    assert half_hours["11:00"].arrived is None  # still to come
    demand = forecast_visits(location=centre, today=clock.today(), days_ahead=0)
    assert demand is not None
    (today,) = [day for day in demand.forecast.days if day.day == clock.today()]
    assert half_hours["10:00"].expected == pytest.approx(today.by_interval[20])
    assert half_hours["10:00"].expected == pytest.approx(2, rel=0.1)
    assert half_hours["11:00"].expected == pytest.approx(1, rel=0.1)
    assert half_hours["12:00"].expected == 0


def test_without_history_only_what_came_and_on_a_closed_day_nothing(
    centre: Location, postal_vote: Service
) -> None:
    clock.set_now(at(7, 10, 2))
    issue_walk_in_ticket(location=centre, service=postal_vote)
    rhythm = read_day_rhythm(location=centre, now=clock.now())
    assert rhythm is not None
    assert not rhythm.has_forecast
    assert rhythm.half_hours[0].arrived == 1
    assert rhythm.half_hours[0].expected is None
    assert read_day_rhythm(location=centre, now=at(6, 10, 0)) is None  # a Sunday
