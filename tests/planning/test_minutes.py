"""Minutes per service from the cleaned service times: the percentile
where a minute of waiting and a minute of idle desk cost the same, and
the ticket group's times for a service with too few of its own."""

from datetime import date, datetime, timedelta

import pytest

from skranke.core import clock
from skranke.core.models import Location, Service
from skranke.planning.counter.minutes import advise_minutes, recommended_share
from tests.stats.visits import make_visit

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 11, 2, 9, 0, tzinfo=clock.LOCAL_ZONE)


def visits(location: Location, service: Service, minutes: list[float]) -> None:
    for number, served in enumerate(minutes):
        make_visit(
            location=location,
            service=service,
            arrived=MONDAY + timedelta(days=number % 5, minutes=number),
            served=served,
        )


def advice_for(location: Location, *services: Service, **costs: float):  # type: ignore[no-untyped-def]
    return advise_minutes(
        location_ids=[location.pk],
        services=list(services),
        first=date(2026, 11, 1),
        end=date(2026, 12, 1),
        **costs,
    )


def test_the_share_balances_waiting_against_idle_desks() -> None:
    assert recommended_share(wait_cost=4, idle_cost=1) == pytest.approx(0.8)
    assert recommended_share(wait_cost=1, idle_cost=1) == pytest.approx(0.5)
    with pytest.raises(ValueError, match="positive"):
        recommended_share(wait_cost=0, idle_cost=1)


def test_the_80th_percentile_of_the_trusted_times_in_whole_minutes(
    centre: Location, passport: Service
) -> None:
    visits(centre, passport, [float(minutes) for minutes in range(11, 51)])
    forgotten = make_visit(location=centre, service=passport, arrived=MONDAY, served=400)
    forgotten.not_ended_by_staff = True
    forgotten.save()
    (advice,) = advice_for(centre, passport)
    assert advice.based_on == "service"
    assert advice.figure.used == 40
    assert advice.figure.left_out == {"not_ended_by_staff": 1}
    assert advice.percentile_minutes == pytest.approx(42.2)  # 11…50, interpolated
    assert advice.recommended_minutes == 42
    assert advice.change == 42 - passport.duration_minutes
    (even,) = advice_for(centre, passport, wait_cost=1, idle_cost=1)
    assert even.recommended_minutes == 31  # the median, 30.5, to the nearest minute


def test_too_few_visits_borrow_the_ticket_group_or_give_no_advice(
    centre: Location, passport: Service, card: Service
) -> None:
    card.ticket_letter = passport.ticket_letter
    card.save()
    visits(centre, passport, [10.0] * 40)
    visits(centre, card, [30.0] * 5)
    _passport, borrowed = advice_for(centre, passport, card)
    assert borrowed.too_few
    assert borrowed.based_on == "ticket_group"
    assert borrowed.recommended_minutes == 10  # 40 of the group's 45 times are 10 minutes
    card.ticket_letter = "Z"
    card.save()
    (alone,) = advice_for(centre, card)
    assert (alone.based_on, alone.recommended_minutes) == ("none", None)
