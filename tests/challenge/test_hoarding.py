"""A hoarding run from one address: its first bookings go through as
always, past the challenge's threshold each needs a solved challenge (the
API answers 428 without one), and past the rate limit it gets 429 whatever
it solves. Many addresses booking a little switch it on for everyone; a
citizen booking once never meets it, and then it costs one read."""

import json
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from skranke.booking.models import Booking
from tests.challenge.solving import challenge_on_page, solve

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("centre", "passport"),
]

TIMES = [f"2026-12-08T{hour}:{minute:02d}" for hour in (10, 11, 12, 13) for minute in (0, 20, 40)]


def from_address(address: str) -> Client:
    client = Client(REMOTE_ADDR=address)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def api_booking(client: Client, start: str, phone: str, solution: str = "") -> Any:
    body = {
        "location": "raadhus",
        "service": "pas",
        "start": f"{start}:00+01:00",
        "name": "Ane Hansen",
        "phone": phone,
    }
    headers = {"X-Skranke-Challenge": solution} if solution else {}
    return client.post(
        "/api/v1/bookings", json.dumps(body), content_type="application/json", headers=headers
    )


def api_solution(client: Client) -> str:
    answer = client.get("/api/v1/challenge")
    assert answer.status_code == 200
    return solve(answer.json())


def review_page(client: Client, start: str, phone: str) -> tuple[str, str]:
    """The details step; the review page's address and its HTML."""
    details = {"name": "Ane Hansen", "phone": phone, "email": "", "sms_consent": "on"}
    sent = client.post(f"/bestil/pas/raadhus/oplysninger/?start={start}", details)
    assert sent.status_code == 302
    return sent["Location"], client.get(sent["Location"]).content.decode()


def web_booking(client: Client, start: str, phone: str, *, solve_it: bool = True) -> Any:
    """Through the pages, solving the challenge as the page's script would
    when the page has one (unless `solve_it` is False: no JavaScript, no wait)."""
    review, html = review_page(client, start, phone)
    challenge = challenge_on_page(html)
    fields = {"challenge_solution": solve(challenge)} if challenge and solve_it else {}
    return client.post(review, fields)


@pytest.fixture(autouse=True)
def _small_puzzles(settings: Any) -> None:
    """A small puzzle keeps the tests quick (the real one is the same,
    bigger), and small limits keep the runs short."""
    settings.CHALLENGE_MAX_NUMBER = 2000
    settings.RATE_LIMIT_BOOKINGS_PER_ADDRESS_PER_HOUR = 5
    settings.CHALLENGE_AFTER_BOOKINGS_PER_ADDRESS_PER_HOUR = 2


def test_hoarding_through_the_api_meets_the_challenge_and_then_the_limit() -> None:
    client = from_address("192.0.2.7")
    assert api_booking(client, TIMES[0], "20123400").status_code == 201
    assert api_booking(client, TIMES[1], "20123401").status_code == 201
    # The third needs a solved challenge; without one: 428, and where to get one.
    refused = api_booking(client, TIMES[2], "20123402")
    assert refused.status_code == 428
    assert set(refused.json()) == {"error", "message", "fields"}
    assert refused.json()["error"] == "challenge_required"
    assert "/api/v1/challenge" in refused.json()["message"]
    assert "X-Skranke-Challenge" in refused.json()["message"]
    # A solved one lets it through, once.
    solution = api_solution(client)
    assert api_booking(client, TIMES[2], "20123402", solution).status_code == 201
    assert api_booking(client, TIMES[3], "20123403", solution).status_code == 428
    assert api_booking(client, TIMES[3], "20123403", "garbage").status_code == 428
    assert api_booking(client, TIMES[3], "20123403", api_solution(client)).status_code == 201
    assert api_booking(client, TIMES[4], "20123404", api_solution(client)).status_code == 201
    # Past the rate limit a solution does not help.
    limited = api_booking(client, TIMES[5], "20123405", api_solution(client))
    assert limited.status_code == 429
    assert Booking.objects.count() == 5
    # Another address books as ever.
    assert api_booking(from_address("192.0.2.8"), TIMES[6], "20123406").status_code == 201


def test_hoarding_through_the_web_pages_meets_the_challenge_and_then_the_limit() -> None:
    client = from_address("192.0.2.7")
    for number in range(2):
        review, html = review_page(client, TIMES[number], f"2012340{number}")
        assert challenge_on_page(html) is None
        assert "challenge/solve.js" not in html
        assert client.post(review).status_code == 302
    review, html = review_page(client, TIMES[2], "20123402")
    assert challenge_on_page(html) is not None
    assert "challenge/solve.js" in html
    assert 'role="status"' in html
    # Sent without the page's script having solved it (and without waiting).
    refused = client.post(review)
    assert refused.status_code == 428
    assert "not a robot" in refused.content.decode()
    assert challenge_on_page(refused.content.decode()) is not None  # a fresh one
    # Solved, as the script does it.
    solved = client.post(review, {"challenge_solution": solve(challenge_on_page(html) or {})})
    assert solved.status_code == 302
    assert web_booking(client, TIMES[3], "20123403").status_code == 302
    assert web_booking(client, TIMES[4], "20123404").status_code == 302
    assert web_booking(client, TIMES[5], "20123405").status_code == 429
    assert Booking.objects.count() == 5


def test_a_citizen_booking_once_never_meets_it_and_it_costs_one_read() -> None:
    client = from_address("192.0.2.7")
    review, _ = review_page(client, TIMES[0], "20123456")
    with CaptureQueriesContext(connection) as page:
        html = client.get(review).content.decode()
    assert challenge_on_page(html) is None
    assert "Checking that you are not a robot" not in html
    with CaptureQueriesContext(connection) as booking:
        assert client.post(review).status_code == 302
    for queries in (page, booking):
        counts = [q["sql"] for q in queries.captured_queries if "challenge" in q["sql"]]
        assert counts == []
        reads = [
            q["sql"]
            for q in queries.captured_queries
            if "rate_limits_window" in q["sql"] and q["sql"].lstrip().startswith("SELECT")
        ]
        assert len(reads) == 1


def test_a_page_without_the_form_reads_no_counts() -> None:
    client = from_address("192.0.2.7")
    review, _ = review_page(client, TIMES[0], "20123456")
    # Someone else takes the time, twice over (two desks).
    assert api_booking(from_address("192.0.2.8"), TIMES[0], "20999901").status_code == 201
    assert api_booking(from_address("192.0.2.9"), TIMES[0], "20999902").status_code == 201
    with CaptureQueriesContext(connection) as queries:
        taken = client.get(review)
    assert taken.status_code == 409
    assert not [q for q in queries.captured_queries if "rate_limits_window" in q["sql"]]


def test_many_addresses_booking_a_little_switch_it_on_for_everyone(settings: Any) -> None:
    settings.CHALLENGE_AFTER_BOOKINGS_PER_HOUR = 4
    for number in range(4):
        client = from_address(f"198.51.100.{number}")
        assert api_booking(client, TIMES[number], f"2012340{number}").status_code == 201
    newcomer = from_address("203.0.113.1")
    assert api_booking(newcomer, TIMES[4], "20123404").status_code == 428
    assert api_booking(newcomer, TIMES[4], "20123404", api_solution(newcomer)).status_code == 201


def test_one_hoarder_does_not_switch_it_on_for_everyone(settings: Any) -> None:
    """Each address counts only up to its own threshold towards the total:
    the hoarder meets the challenge alone."""
    settings.CHALLENGE_AFTER_BOOKINGS_PER_HOUR = 4
    hoarder = from_address("192.0.2.7")
    for number in range(5):
        solution = api_solution(hoarder) if number >= 2 else ""
        assert api_booking(hoarder, TIMES[number], f"2012340{number}", solution).status_code == 201
    assert api_booking(hoarder, TIMES[5], "20123405", api_solution(hoarder)).status_code == 429
    assert api_booking(from_address("203.0.113.1"), TIMES[6], "20123406").status_code == 201


def test_it_can_be_switched_on_for_everyone(settings: Any) -> None:
    settings.CHALLENGE_ALWAYS = True
    client = from_address("192.0.2.7")
    assert api_booking(client, TIMES[0], "20123400").status_code == 428
    assert api_booking(client, TIMES[0], "20123400", api_solution(client)).status_code == 201
    _, html = review_page(client, TIMES[1], "20123401")
    assert challenge_on_page(html) is not None


def test_the_challenge_is_given_to_anyone_and_described_in_the_schema() -> None:
    answer = from_address("192.0.2.7").get("/api/v1/challenge")
    assert set(answer.json()) == {
        "algorithm",
        "challenge",
        "salt",
        "maxnumber",
        "signature",
        "expires",
    }
    assert answer.json()["algorithm"] == "SHA-256"
    schema = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/challenge" in schema["paths"]
    parameters = schema["paths"]["/api/v1/bookings"]["post"]["parameters"]
    assert "X-Skranke-Challenge" in [parameter["name"] for parameter in parameters]


@pytest.mark.parametrize(
    "header", ["x", "=" * 40, "eyJ9", "æøå", "A" * 1999, "e30=", "bnVsbA==", "W10="]
)
def test_an_odd_challenge_header_is_a_428_never_an_error(settings: Any, header: str) -> None:
    settings.CHALLENGE_ALWAYS = True
    answer = api_booking(from_address("192.0.2.7"), TIMES[0], "20123400", header)
    assert answer.status_code == 428


def test_invalid_input_is_answered_as_before_challenge_or_not(settings: Any) -> None:
    settings.CHALLENGE_ALWAYS = True
    answer = api_booking(from_address("192.0.2.7"), TIMES[0], "not a number")
    assert answer.status_code == 422


def test_a_refused_attempt_is_not_counted_as_a_booking_attempt() -> None:
    """A 428 costs the caller nothing of the hourly limit: only attempts
    that could book count."""
    client = from_address("192.0.2.7")
    assert api_booking(client, TIMES[0], "20123400").status_code == 201
    assert api_booking(client, TIMES[1], "20123401").status_code == 201
    for _ in range(8):
        assert api_booking(client, TIMES[2], "20123402").status_code == 428
    assert api_booking(client, TIMES[2], "20123402", api_solution(client)).status_code == 201
