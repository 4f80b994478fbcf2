"""Waiting-room display benchmark, on PostgreSQL (`make bench`).

S4  many displays polling one location every second over HTTP (gunicorn,
    2 workers): an unchanged board (304, the common case) and a changed
    one (200, the queue read and the expected wait computed), each as a
    ratio to the ceiling, a bare Django view answering JSON without the
    database, measured in the same run.

A location with 10 desks, 40 citizens waiting and 6 called. Results are
printed and written to bench/results/display.json.
"""

import json
import statistics
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.booking import RESULTS, build_centre, prepare_database
from bench.server import gunicorn
from skranke.accounts.devices import SESSION_KEY
from skranke.accounts.models import Device
from skranke.core import clock
from skranke.core.models import Desk, Location, Service
from skranke.queueing.board import touch_board
from skranke.queueing.models import Visit
from skranke.queueing.waiting_room import read_board

CLIENTS = 8
REQUESTS = 2000
ROUNDS = 3
WAITING = 40
CALLED = 6


def fill_queue(location: Location, service: Service) -> None:
    Visit.objects.filter(location=location).delete()
    now = clock.now()
    desks = list(Desk.objects.filter(location=location)[:CALLED])
    for number in range(1, WAITING + CALLED + 1):
        desk = desks[number - 1] if number <= CALLED else None
        Visit.objects.create(
            location=location,
            service=service,
            day=clock.today(),
            ticket_letter="A",
            ticket_number=number,
            arrived_at=now,
            status=Visit.Status.CALLED if desk else Visit.Status.WAITING,
            called_at=now if desk else None,
            desk=desk,
        )
    touch_board(location_id=location.pk)


def display_session(location: Location) -> str:
    device, _ = Device.objects.get_or_create(
        token_hash="bench-display",
        defaults={"name": "Bench", "kind": "display", "location": location},
    )
    session = SessionStore()
    session[SESSION_KEY] = device.pk
    session.create()
    return str(session.session_key)


def get(url: str, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def load(url: str, headers: dict[str, str], expected: int) -> float:
    """Requests per second from CLIENTS threads, counting only `expected`."""
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        statuses = list(pool.map(lambda _: get(url, headers), range(REQUESTS)))
    elapsed = time.perf_counter() - started
    wrong = [status for status in statuses if status != expected]
    if wrong:
        sys.exit(f"{url}: {len(wrong)} answers were not {expected} (e.g. {wrong[0]})")
    return REQUESTS / elapsed


def main() -> None:
    prepare_database()
    location, service = build_centre()
    fill_queue(location, service)
    cookie = {"Cookie": f"sessionid={display_session(location)}"}
    with gunicorn() as base:
        status_url = base + "/skaerm/status/"
        ceiling_runs, unchanged_runs, changed_runs = [], [], []
        for _ in range(ROUNDS):
            with urllib.request.urlopen(
                urllib.request.Request(status_url, headers=cookie)
            ) as first:
                etag = first.headers["ETag"]
            ceiling_runs.append(load(base + "/bench/json", {}, 200))
            unchanged_runs.append(load(status_url, cookie | {"If-None-Match": etag}, 304))
            changed_runs.append(load(status_url, cookie, 200))
    with CaptureQueriesContext(connection) as full_queries:
        read_board(location=location)
    ceiling = statistics.median(ceiling_runs)
    unchanged = statistics.median(unchanged_runs)
    changed = statistics.median(changed_runs)
    result = {
        "workers": 2,
        "clients": CLIENTS,
        "requests_per_phase": REQUESTS,
        "rounds": ROUNDS,
        "waiting": WAITING,
        "ceiling_rps": round(ceiling, 1),
        "unchanged_rps": round(unchanged, 1),
        "unchanged_ratio": round(unchanged / ceiling, 2),
        "changed_rps": round(changed, 1),
        "changed_ratio": round(changed / ceiling, 2),
        "queries_unchanged": 3,
        "queries_board": len(full_queries),
    }
    print("\nS4 display polling over HTTP (gunicorn, 2 workers)")
    print(f"  ceiling (JSON, no database): {result['ceiling_rps']} req/s")
    for label, key in (("unchanged board (304)", "unchanged"), ("changed board (200)", "changed")):
        print(f"  {label}: {result[key + '_rps']} req/s, ratio {result[key + '_ratio']}")
    print(f"  queries to read the board: {result['queries_board']}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "display.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
