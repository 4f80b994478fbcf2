"""GET /api/v1/planning/erlang: the published example, the municipality's
targets and its callers' patience when not given, 422 for impossible
input, and only for managers and integrations."""

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from django.test import Client

from skranke.accounts.models import Role, User
from skranke.contact_centre.models import Call
from skranke.core import clock
from skranke.core.models import Location, Municipality
from skranke.planning.phones.call_history import read_call_history
from tests.booking.test_staff_booking import member
from tests.contact_centre.test_calls_api import make_token

pytestmark = pytest.mark.django_db

URL = "/api/v1/planning/erlang"
EXAMPLE = {"calls": 100, "interval_minutes": 30, "aht_seconds": 180, "target_seconds": 20}
NOW = datetime(2026, 12, 7, 12, 0, tzinfo=clock.LOCAL_ZONE)


def call(municipality: Municipality, number: int, *, waited: float, talked: float | None) -> None:
    offered = NOW - timedelta(days=1, minutes=number)
    Call.objects.create(
        municipality=municipality,
        call_id=f"c{number}",
        offered_at=offered,
        answered_at=None if talked is None else offered + timedelta(seconds=waited),
        ended_at=offered + timedelta(seconds=waited + (talked or 0)),
        abandoned=talked is None,
    )


def test_a_manager_gets_the_published_example(
    centre: Location, staff_client: Callable[[User], Client]
) -> None:
    manager = staff_client(member(Role.MANAGER, centre))
    body = manager.get(
        URL,
        {
            **EXAMPLE,
            "service_level": 0.8,
            "max_occupancy": 0.85,
            "shrinkage": 0.3,
            "patience_seconds": 180,
        },
    ).json()
    assert body["erlang_c"] == {
        "agents": 14,
        "service_level": 0.8884,
        "asa_seconds": 7.84,
        "occupancy": 0.7143,
        "agents_with_shrinkage": 20,
    }
    assert body["erlang_a"]["agents"] == 12
    assert body["erlang_a"]["agents_with_shrinkage"] == 18


def test_patience_comes_from_the_call_records_when_not_given(centre: Location) -> None:
    municipality = centre.municipality
    call(municipality, 1, waited=30, talked=200)
    call(municipality, 2, waited=30, talked=160)
    call(municipality, 3, waited=60, talked=None)
    call(municipality, 4, waited=60, talked=None)
    history = read_call_history(
        municipality=municipality, starts=NOW - timedelta(days=90), ends=NOW
    )
    # Two hung up in 180 s of waiting, the answered callers' 60 s included.
    assert history.patience_seconds == pytest.approx(90)
    assert history.handling_seconds == pytest.approx(180)
    clock.set_now(NOW)
    token = make_token(municipality)[1]
    body = Client().get(URL, EXAMPLE, headers={"Authorization": f"Bearer {token}"}).json()
    assert body["patience_seconds"] == 90.0
    assert body["erlang_a"]["agents"] <= body["erlang_c"]["agents"]


def test_without_any_hang_ups_there_is_no_erlang_a(centre: Location) -> None:
    token = make_token(centre.municipality)[1]
    body = Client().get(URL, EXAMPLE, headers={"Authorization": f"Bearer {token}"}).json()
    assert body["patience_seconds"] is None
    assert body["erlang_a"] is None
    assert body["erlang_c"]["agents"] == 14


def test_impossible_input_is_422(centre: Location) -> None:
    token = make_token(centre.municipality)[1]
    headers = {"Authorization": f"Bearer {token}"}
    for query in (
        {**EXAMPLE, "aht_seconds": 0},
        {**EXAMPLE, "calls": -1},
        {**EXAMPLE, "service_level": 1.5},
        {**EXAMPLE, "calls": 90_000},  # more than any centre's agents could take
    ):
        answer = Client().get(URL, query, headers=headers)
        assert answer.status_code == 422, query
        assert answer.json()["error"] in {"invalid", "impossible"}


@pytest.mark.parametrize(
    ("query", "said"),
    [
        # No caller is answered in no time: math.log(0) once answered 500.
        ({"target_seconds": 0}, "target_seconds"),
        # Callers who may hang up will: a target of none lost has no plan.
        ({"abandoned": 0}, "abandoned"),
        # Callers who hang up within a second are not a centre to plan for.
        ({"patience_seconds": 0.2}, "patience"),
    ],
)
def test_degenerate_targets_are_refused_with_a_reason(
    centre: Location, query: dict[str, float], said: str
) -> None:
    token = make_token(centre.municipality)[1]
    answer = Client().get(
        URL,
        {**EXAMPLE, "patience_seconds": 180, **query},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 422
    assert answer.json()["error"] in {"invalid", "impossible"}
    assert said in str(answer.json()).lower()


def test_front_desk_and_strangers_are_refused(
    centre: Location, staff_client: Callable[[User], Client]
) -> None:
    assert Client().get(URL, EXAMPLE).status_code == 401
    front_desk = staff_client(member(Role.FRONT_DESK, centre))
    assert front_desk.get(URL, EXAMPLE).status_code == 401
