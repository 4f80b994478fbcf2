"""The phone system posts its call records to POST /api/v1/contacts/calls
with an integration token: the token decides the municipality, a call sent
twice is recorded once, and invalid calls are named by their index."""

from typing import Any

import pytest
from django.test import Client

from skranke.accounts.models import IntegrationToken
from skranke.accounts.tokens import issue_token, revoke_token
from skranke.contact_centre.models import Call
from skranke.core.models import Municipality

pytestmark = pytest.mark.django_db

URL = "/api/v1/contacts/calls"


def make_token(municipality: Municipality) -> tuple[IntegrationToken, str]:
    integration = IntegrationToken(municipality=municipality, name="Phone system")
    token = issue_token(holder=integration)
    integration.save()
    return integration, token


@pytest.fixture
def token(municipality: Municipality) -> str:
    return make_token(municipality)[1]


def post(body: Any, token: str = "") -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return Client().post(
        URL,
        body,
        content_type="application/json",
        headers=headers | {"Accept-Language": "en"},
    )


def call(call_id: str = "A1", **changes: Any) -> dict[str, Any]:
    return {
        "call_id": call_id,
        "queue": "Pas",
        "offered_at": "2026-12-07T10:00:00+01:00",
        "answered_at": "2026-12-07T10:00:12+01:00",
        "ended_at": "2026-12-07T10:04:00+01:00",
        "agent": "Ane",
    } | changes


def test_one_call_is_recorded_once_however_often_it_is_sent(
    municipality: Municipality, token: str
) -> None:
    first = post(call(), token)
    assert first.status_code == 201
    assert first.json() == {"created": 1, "already_there": 0}
    again = post(call(), token)
    assert again.status_code == 200
    assert again.json() == {"created": 0, "already_there": 1}
    recorded = Call.objects.get()
    assert (recorded.municipality, recorded.call_id, recorded.abandoned) == (
        municipality,
        "A1",
        False,
    )
    assert recorded.offered_at.isoformat() == "2026-12-07T09:00:00+00:00"


def test_a_list_of_calls_is_counted_new_and_already_there(token: str) -> None:
    post([call("A1")], token)
    unanswered = call("A3", answered_at=None, ended_at="2026-12-07T10:01:00+01:00")
    del unanswered["agent"]
    answer = post([call("A1"), call("A2"), call("A2"), unanswered], token)
    assert answer.status_code == 201
    assert answer.json() == {"created": 2, "already_there": 2}
    assert Call.objects.count() == 3
    assert Call.objects.get(call_id="A3").abandoned  # not answered, not said: abandoned


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic dXNlcjpwdw=="}],
)
def test_without_a_valid_token_nothing_is_recorded(token: str, headers: dict[str, str]) -> None:
    answer = Client().post(URL, call(), content_type="application/json", headers=headers)
    assert answer.status_code == 401
    assert answer.json()["error"] == "unauthorized"
    assert set(answer.json()) == {"error", "message", "fields"}
    assert not Call.objects.exists()


def test_the_token_is_checked_before_the_body(token: str) -> None:
    assert post({"nonsense": True}).status_code == 401


def test_a_revoked_token_is_refused_at_once(municipality: Municipality) -> None:
    integration, token = make_token(municipality)
    assert post(call("R1"), token).status_code == 201
    revoke_token(holder=integration)
    assert post(call("R2"), token).status_code == 401
    assert list(Call.objects.values_list("call_id", flat=True)) == ["R1"]


def test_the_token_decides_the_municipality(municipality: Municipality, token: str) -> None:
    andeby = Municipality.objects.create(name="Andeby", slug="andeby")
    _, andeby_token = make_token(andeby)
    assert post(call("SAME"), andeby_token).status_code == 201
    # Naming another municipality in the body changes nothing.
    answer = post(call("SAME") | {"municipality": "andeby", "municipality_id": andeby.pk}, token)
    assert answer.json() == {"created": 1, "already_there": 0}
    assert sorted(Call.objects.values_list("municipality__slug", flat=True)) == [
        "andeby",
        "testkommune",
    ]


def test_invalid_calls_are_named_by_their_index_and_none_is_recorded(token: str) -> None:
    answer = post([call("V1"), call("V2", offered_at="2026-12-07T10:00:00")], token)
    assert answer.status_code == 422
    assert answer.json()["error"] == "invalid"
    assert list(answer.json()["fields"]) == ["1.offered_at"]  # a time without its offset
    answer = post(
        [
            call("V1"),
            call("V2", answered_at="2026-12-07T09:59:00+01:00"),
            call("V3"),
            call("V4", abandoned=True),
        ],
        token,
    )
    assert answer.status_code == 422
    assert answer.json() == {
        "error": "invalid",
        "message": "Some of the input is not valid.",
        "fields": {
            "1.answered_at": "The call was answered before it was offered.",
            "3.abandoned": "The call is marked abandoned but was answered.",
        },
    }
    assert not Call.objects.exists()


def test_a_time_at_the_calendars_edge_is_refused_not_a_server_error(token: str) -> None:
    # 23:00 at -05:00 on the calendar's last day is past its end in UTC.
    edge = "9999-12-31T23:00:00-05:00"
    answer = post(call(offered_at=edge, answered_at=edge, ended_at=edge), token)
    assert answer.status_code == 422
    assert answer.json()["fields"] == {"0.offered_at": "This time is outside the calendar."}
    assert not Call.objects.exists()


def test_one_call_on_its_own_is_index_0(token: str) -> None:
    answer = post(call(ended_at="2026-12-07T10:00:05+01:00"), token)
    assert answer.status_code == 422
    assert answer.json()["fields"] == {"0.ended_at": "The call ended before it was answered."}


def test_at_most_1000_calls_a_request(token: str) -> None:
    answer = post([call(f"N{number}") for number in range(1001)], token)
    assert answer.status_code == 422
    assert post([], token).status_code == 422
    assert not Call.objects.exists()


def test_a_numeric_call_id_is_read_as_text(token: str) -> None:
    assert post(call(12345), token).status_code == 201
    assert Call.objects.get().call_id == "12345"
