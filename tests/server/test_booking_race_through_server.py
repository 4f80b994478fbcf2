"""48 citizens press "Book" for the same time at the same moment, each on
a connection of their own, through the app server `make run` starts
(gunicorn's processes and threads, the real database): exactly as many get
it as the time has desks, everyone else is told it was taken, and nobody
gets an error or no answer at all. Once on SQLite, once on PostgreSQL."""

import http.client
import json
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
from django.db import connection

from tests.server.running_system import (
    System,
    fetch_rows,
    load_demo,
    own_database,
    running_systems,
    system_environment,
)

CLIENTS = 48
# The library's two counters both serve passports on Thursdays from 12:00,
# and the demo books nobody there that day: two citizens can have this time.
LOCATION = "biblioteket"
SERVICE = "pas"
START = "2026-12-10T12:00:00+01:00"
CAPACITY = 2
# Later times that day, each free at both counters.
PAIRED_STARTS = [
    f"2026-12-10T{time}:00+01:00" for time in ("13:00", "13:20", "13:40", "14:00", "14:20")
]
# What a citizen who lost the race is told: the time was just taken.
TAKEN = "409 slot_taken"


@dataclass(frozen=True)
class Race:
    """What each client was answered, and the bookings the database holds
    afterwards for the racers' phone numbers."""

    answers: Counter[str]
    booked_codes: list[str]
    answered_codes: list[str]
    answered_starts: set[str]


def racer_phone(prefix: str, number: int) -> str:
    return f"{prefix} {number // 100:02d} {number % 100:02d}"


def race(
    *, systems: Sequence[System], database_url: str, phone_prefix: str, starts: list[str]
) -> Race:
    """One citizen for each of `starts` (phone numbers `phone_prefix` …)
    books that time, all at once, taking turns over `systems`: each
    connects first, all meet at a barrier, then every request is sent in
    the same instant."""
    barrier = threading.Barrier(len(starts))

    def book(number: int) -> tuple[str, str, str]:
        system = systems[number % len(systems)]
        client = http.client.HTTPConnection("127.0.0.1", system.port, timeout=60)
        body = {
            "location": LOCATION,
            "service": SERVICE,
            "start": starts[number],
            "name": f"Borger {number}",
            "phone": racer_phone(phone_prefix, number),
            "sms_consent": True,
        }
        try:
            client.connect()
            barrier.wait(timeout=30)
            client.request(
                "POST",
                "/api/v1/bookings",
                body=json.dumps(body),
                headers={"Content-Type": "application/json"},
            )
            response = client.getresponse()
            answer = json.loads(response.read() or b"{}")
        except Exception as error:  # a dropped connection or a timeout is an answer too
            return f"{type(error).__name__}: {error}", "", ""
        finally:
            client.close()
        if response.status == 201:
            return "201", answer["code"], answer["start"]
        return f"{response.status} {answer.get('error', '')}", "", ""

    with ThreadPoolExecutor(max_workers=len(starts)) as pool:
        results = list(pool.map(book, range(len(starts))))
    booked = fetch_rows(
        database_url,
        "SELECT code FROM booking_booking WHERE phone LIKE %s AND status = 'booked'",
        [f"+45{phone_prefix.replace(' ', '')}%"],
    )
    return Race(
        answers=Counter(answer for answer, _, _ in results),
        booked_codes=sorted(str(code) for (code,) in booked),
        answered_codes=sorted(code for _, code, _ in results if code),
        answered_starts={start for _, _, start in results if start},
    )


def race_for_one_time(*, systems: Sequence[System], database_url: str, phone_prefix: str) -> Race:
    return race(
        systems=systems,
        database_url=database_url,
        phone_prefix=phone_prefix,
        starts=[START] * CLIENTS,
    )


def race_in_pairs(*, systems: Sequence[System], database_url: str, phone_prefix: str) -> Race:
    """As many citizens as there are desks for each of PAIRED_STARTS, all at
    once: the lock makes each wait for the one before, see the other desk
    free and take it. Without it, both would pick the same desk, the
    database's constraint would refuse one of them, and a citizen would
    hear "taken" of a time that was still free."""
    return race(
        systems=systems,
        database_url=database_url,
        phone_prefix=phone_prefix,
        starts=[start for start in PAIRED_STARTS for _ in range(CAPACITY)],
    )


def assert_exactly_the_capacity_was_booked(race: Race) -> None:
    assert race.answers == {"201": CAPACITY, TAKEN: CLIENTS - CAPACITY}, race.answers
    assert race.answered_starts == {START}
    # The database holds the bookings the winners were told about, no more.
    assert race.booked_codes == race.answered_codes


def assert_every_desk_was_booked(race: Race) -> None:
    assert race.answers == {"201": CAPACITY * len(PAIRED_STARTS)}, race.answers
    assert race.booked_codes == race.answered_codes


@dataclass(frozen=True)
class Served:
    system: System
    database_url: str


@pytest.fixture(
    scope="module",
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres_only)],
)
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    """The demo served by runsystem on the database the suite runs on: the
    SQLite variant in the SQLite suite, the PostgreSQL one in the PostgreSQL
    suite (which CI always runs; see `make test-postgres`)."""
    if connection.vendor != request.param:
        pytest.skip(f"runs in the {request.param} suite")
    folder = tmp_path_factory.mktemp(f"race-{request.param}")
    with own_database(vendor=request.param, folder=folder, suffix="race") as database_url:
        # Sized as a small machine is (docs/scaling.md): eight requests
        # at a time, the others waiting in the listen backlog.
        environment = system_environment(
            database_url=database_url, WEB_PROCESSES="2", WEB_THREADS="4"
        )
        load_demo(environment)
        with running_systems(environments=[environment], folder=folder) as [system]:
            yield Served(system, database_url)


def test_exactly_the_times_capacity_is_booked_and_every_other_citizen_hears_it_was_taken(
    served: Served,
) -> None:
    race = race_for_one_time(
        systems=[served.system], database_url=served.database_url, phone_prefix="28 31"
    )
    assert_exactly_the_capacity_was_booked(race)
    # Nothing went wrong behind the answers either.
    log = served.system.log.read_text()
    assert "Traceback" not in log
    assert " 500 " not in log


def test_citizens_booking_a_time_at_once_each_get_a_desk_while_one_is_free(
    served: Served,
) -> None:
    race = race_in_pairs(
        systems=[served.system], database_url=served.database_url, phone_prefix="28 34"
    )
    assert_every_desk_was_booked(race)
