"""The phone system posts each call's events to POST
/api/v1/contacts/call-events with an integration token: the wallboard
shows the callers waiting now, and each call, once over, is recorded as
the calls API records it, so today's figures move at once. An event sent
twice counts once, events out of order make the same call, and the live
calls go a day after their last event."""

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client

from skranke.accounts.tokens import revoke_token
from skranke.contact_centre.call_events import finish_overdue_calls, forget_old_live_calls
from skranke.contact_centre.models import Call, LiveCall
from skranke.core import clock
from skranke.core.models import Location, Municipality
from skranke.overview.contact_centre_now import read_contact_centre_now, read_phones_waiting
from tests.centre import at
from tests.contact_centre.test_calls_api import make_token
from tests.contact_centre.test_calls_api import post as post_calls
from tests.overview.test_wallboard import wallboard

pytestmark = pytest.mark.django_db

URL = "/api/v1/contacts/call-events"
TEN = at(7, 10, 0)  # Monday 7 December 2026, 10:00 Copenhagen time


@pytest.fixture
def token(centre: Location) -> str:
    return make_token(centre.municipality)[1]


def post(token: str, call_id: str, event: str, moment: datetime | str, **more: Any) -> Any:
    body = {
        "call_id": call_id,
        "event": event,
        "at": moment if isinstance(moment, str) else moment.isoformat(),
    } | more
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return Client().post(
        URL, body, content_type="application/json", headers=headers | {"Accept-Language": "en"}
    )


def sent(token: str, call_id: str, event: str, moment: datetime, **more: Any) -> dict[str, Any]:
    answer = post(token, call_id, event, moment, **more)
    assert answer.status_code == 200, answer.content
    return answer.json()


def seconds(count: int) -> datetime:
    return TEN + timedelta(seconds=count)


def phones(client: Client) -> str:
    """The wallboard's telephones, as its next poll shows them: five
    seconds on, when the figures all its screens share are read again."""
    clock.advance(timedelta(seconds=5))
    text = client.get("/tavle/nu/").content.decode()
    return text.split('id="wallboard-phones"')[1]


def test_a_mornings_events_move_the_wallboard_as_they_come(centre: Location, token: str) -> None:
    # Last Friday's calls came with the night's import.
    Call.objects.create(
        municipality=centre.municipality,
        call_id="F1",
        offered_at=at(4, 10, 0),
        answered_at=at(4, 10, 0) + timedelta(seconds=40),
        ended_at=at(4, 10, 5),
    )
    clock.set_now(TEN)
    board = wallboard(centre)
    assert "Calls waiting" not in phones(board)  # no events: nobody knows who waits
    assert "the night's import" in phones(board)

    clock.set_now(seconds(1))
    assert sent(token, "A1", "offered", seconds(0), queue="Pas") == {
        "call_id": "A1",
        "state": "waiting",
        "changed": True,
    }
    clock.set_now(seconds(61))
    sent(token, "B2", "offered", seconds(60), queue="Pas")
    clock.set_now(seconds(150))
    shown = phones(board)
    assert "<dt>Calls waiting</dt><dd>2</dd>" in shown
    assert "<dt>Longest wait</dt><dd>2 min.</dd>" in shown
    assert "today's come as the first calls end" in shown  # Friday's figures still

    # A1 is answered within 20 s and ends: recorded, today's figures on the
    # wallboard's next check.
    sent(token, "A1", "answered", seconds(15), agent="4711")
    assert sent(token, "A1", "ended", seconds(140)) == {
        "call_id": "A1",
        "state": "recorded",
        "changed": True,
    }
    recorded = Call.objects.get(call_id="A1")
    assert (recorded.queue, recorded.agent, recorded.abandoned) == ("Pas", "4711", False)
    assert (recorded.offered_at, recorded.answered_at) == (seconds(0), seconds(15))
    shown = phones(board)
    assert "Figures of" not in shown
    assert "<dt>Calls waiting</dt><dd>1</dd>" in shown
    assert "<dt>Longest wait</dt><dd>1 min.</dd>" in shown
    assert "<dt>Calls</dt><dd>1</dd>" in shown
    assert "<dt>Answered within 20 s</dt><dd>100 %</dd>" in shown

    # B2's caller hangs up.
    clock.set_now(seconds(200))
    sent(token, "B2", "abandoned", seconds(200))
    shown = phones(board)
    assert "<dt>Calls waiting</dt><dd>0</dd>" in shown
    assert "<dt>Longest wait</dt><dd>–</dd>" in shown
    assert "<dt>Calls</dt><dd>2</dd>" in shown
    assert "<dt>Abandoned</dt><dd>50 %</dd>" in shown


def test_the_same_event_twice_counts_once(centre: Location, token: str) -> None:
    clock.set_now(seconds(300))
    for event, moment in [("offered", 0), ("answered", 10), ("ended", 200)]:
        assert sent(token, "A1", event, seconds(moment))["changed"]
        again = sent(token, "A1", event, seconds(moment + 5))  # a retry, another moment even
        assert not again["changed"]
    assert sent(token, "A1", "offered", seconds(0)) == {
        "call_id": "A1",
        "state": "recorded",
        "changed": False,
    }
    assert Call.objects.get().answered_at == seconds(10)  # the first moment is kept
    figures = read_contact_centre_now(municipality=centre.municipality, today=clock.today())
    assert figures is not None
    assert figures.offered == 1


def test_events_out_of_order_make_the_same_call(centre: Location, token: str) -> None:
    clock.set_now(seconds(300))
    assert sent(token, "A1", "ended", seconds(200))["state"] == "ended"
    assert sent(token, "A1", "answered", seconds(30))["state"] == "ended"  # the offer is missing
    assert not Call.objects.exists()
    assert sent(token, "A1", "offered", seconds(0))["state"] == "recorded"
    recorded = Call.objects.get()
    assert (recorded.offered_at, recorded.answered_at, recorded.ended_at, recorded.abandoned) == (
        seconds(0),
        seconds(30),
        seconds(200),
        False,
    )


def test_a_call_that_ended_unanswered_waits_for_its_answer_then_counts_abandoned(
    centre: Location, token: str
) -> None:
    clock.set_now(seconds(100))
    sent(token, "A1", "offered", seconds(0))
    sent(token, "A1", "ended", seconds(90))
    clock.set_now(seconds(100) + timedelta(minutes=4))
    assert finish_overdue_calls() == 0  # its answer may still come
    clock.set_now(seconds(100) + timedelta(minutes=6))
    assert finish_overdue_calls() == 1
    assert finish_overdue_calls() == 0
    recorded = Call.objects.get()
    assert (recorded.answered_at, recorded.ended_at, recorded.abandoned) == (
        None,
        seconds(90),
        True,
    )
    # The answer comes too late: the record stands, and says why.
    late = post(token, "A1", "answered", seconds(10))
    assert late.status_code == 409
    assert late.json() == {
        "error": "call_conflict",
        "message": "The call is marked abandoned but was answered.",
        "fields": {},
    }


def test_an_event_that_contradicts_the_call_is_refused(centre: Location, token: str) -> None:
    clock.set_now(seconds(100))
    sent(token, "A1", "offered", seconds(10))
    early = post(token, "A1", "answered", seconds(0))
    assert early.status_code == 409
    assert early.json()["message"] == "The call was answered before it was offered."
    sent(token, "A1", "answered", seconds(20))
    hung_up = post(token, "A1", "abandoned", seconds(30))
    assert hung_up.status_code == 409
    assert hung_up.json()["message"] == "The call is marked abandoned but was answered."
    live = LiveCall.objects.get()
    assert (live.answered_at, live.ended_at, live.abandoned) == (seconds(20), None, False)


def test_an_event_of_a_call_recorded_by_the_calls_api_changes_nothing(
    centre: Location, token: str
) -> None:
    clock.set_now(seconds(300))
    record = {
        "call_id": "A1",
        "offered_at": seconds(0).isoformat(),
        "answered_at": seconds(10).isoformat(),
        "ended_at": seconds(200).isoformat(),
    }
    assert post_calls(record, token).status_code == 201
    assert sent(token, "A1", "ended", seconds(200)) == {
        "call_id": "A1",
        "state": "recorded",
        "changed": False,
    }
    assert post(token, "A1", "abandoned", seconds(200)).status_code == 409
    assert not LiveCall.objects.exists()
    assert Call.objects.count() == 1


def test_a_time_without_its_offset_an_unknown_event_and_an_old_time_are_refused(
    centre: Location, token: str
) -> None:
    clock.set_now(seconds(300))
    naive = post(token, "A1", "offered", "2026-12-07T10:00:00")
    assert naive.status_code == 422
    assert naive.json()["fields"] == {"at": "Input should have timezone info"}
    unknown = post(token, "A1", "transferred", seconds(0))
    assert unknown.status_code == 422
    assert list(unknown.json()["fields"]) == ["event"]
    assert "'offered', 'answered', 'ended' or 'abandoned'" in unknown.json()["fields"]["event"]
    old = post(token, "A1", "offered", seconds(0) - timedelta(days=2))
    assert old.status_code == 422
    assert old.json()["fields"] == {"at": "The event must have happened within the last day."}
    ahead = post(token, "A1", "offered", "9999-12-31T23:00:00-05:00")
    assert ahead.status_code == 422
    assert not LiveCall.objects.exists()


def test_a_token_counts_only_for_its_own_municipality(centre: Location, token: str) -> None:
    clock.set_now(seconds(300))
    andeby = Municipality.objects.create(name="Andeby", slug="andeby")
    andeby_integration, andeby_token = make_token(andeby)
    sent(token, "A1", "offered", seconds(0))
    # The same call id from Andeby's phone system is Andeby's own call, and
    # naming Testkommune in the body changes nothing.
    sent(andeby_token, "A1", "answered", seconds(5), municipality=centre.municipality.slug)
    sent(andeby_token, "A1", "ended", seconds(100))
    assert sorted(LiveCall.objects.values_list("municipality__slug", "answered_at")) == [
        ("andeby", seconds(5)),
        ("testkommune", None),
    ]
    waiting = read_phones_waiting(municipality=centre.municipality, now=clock.now())
    assert waiting is not None
    assert waiting.waiting == 1
    # Without a valid token nothing happens.
    revoke_token(holder=andeby_integration)
    for refused in ("", "not-a-token", andeby_token):
        answer = post(refused, "A2", "offered", seconds(0))
        assert answer.status_code == 401
        assert answer.json()["error"] == "unauthorized"
    assert not LiveCall.objects.filter(call_id="A2").exists()


def test_live_calls_go_a_day_after_their_last_event(centre: Location, token: str) -> None:
    clock.set_now(seconds(300))
    sent(token, "ENDED", "offered", seconds(0))
    sent(token, "ENDED", "abandoned", seconds(30))
    sent(token, "LOST", "offered", seconds(60))  # its later events never came
    clock.set_now(seconds(300) + timedelta(minutes=61))
    waiting = read_phones_waiting(municipality=centre.municipality, now=clock.now())
    assert waiting is not None
    assert (waiting.waiting, waiting.longest_wait_minutes) == (0, None)  # lost, not waiting
    clock.set_now(seconds(300) + timedelta(hours=23))
    assert forget_old_live_calls() == 0
    clock.set_now(seconds(300) + timedelta(days=1))
    assert forget_old_live_calls() == 2
    assert not LiveCall.objects.exists()
    assert list(Call.objects.values_list("call_id", flat=True)) == ["ENDED"]
    assert read_phones_waiting(municipality=centre.municipality, now=clock.now()) is None


def test_the_schema_names_the_events_and_has_no_field_for_a_number() -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/contacts/call-events" in schema["paths"]
    fields = schema["components"]["schemas"]["CallEventIn"]["properties"]
    assert set(fields) == {"call_id", "event", "at", "queue", "agent"}
    assert schema["components"]["schemas"]["CallEvent"]["enum"] == [
        "offered",
        "answered",
        "ended",
        "abandoned",
    ]
