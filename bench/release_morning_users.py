"""Locust's users for the release-morning load test (bench/release_morning.py
starts Locust with this file; it is not imported by Django).

One municipality's town hall on the morning its booking opens:

* citizens browse the booking pages and book through the API; a third of
  them race: every RACE_SECONDS those ready post the earliest time at once,
  a loser (409 slot_taken) the next earliest, and then any free time;
* waiting-room displays poll the board's status every second with the last
  ETag, as the screen does;
* desks (staff at a counter) call, start and finish visits;
* kiosks check booked citizens in by code and give tickets to citizens
  without a booking;
* staff read the day's bookings;
* watchers (run only when asked for, in a Locust of their own beside the
  morning's: bench/release_morning.py --watchers): managers' overviews of
  the day and the contact centre's wallboards, polling as their pages do.

Staff and devices signed in before the doors opened: they start with the
sessions bench/release_morning_db.py made (the watchers' with the same
code, bench/release_morning.py).

Requests are named by kind, never with a code, token or id. A 409 in a race
is an answer, not an error; every other non-2xx/3xx answer is a failure. The
summary (races won and lost, connection errors by exception) is written to
RELEASE_MORNING_SUMMARY when Locust quits.
"""

import itertools
import json
import os
import random
import re
import time
import uuid
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import gevent
from locust import between, constant, constant_pacing, events, task
from locust.contrib.fasthttp import FastHttpUser
from requests.cookies import create_cookie

PLAN = json.loads(Path(os.environ["RELEASE_MORNING_PLAN"]).read_text())
LOCATION = PLAN["location"]
RACE_SECONDS = 15
RACE_ATTEMPTS = 3
CITIZEN_SERVICES = ["pas", "koerekort", "mitid", "folkeregister", "sundhedskort"]
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# The version a live part shows, in the address htmx asks it again with.
LIVE_VERSION = re.compile(r'hx-get="[^"]*\?version=([^"&]+)"')

citizen_numbers = itertools.count()
desk_numbers = itertools.count()
session_numbers = {kind: itertools.count() for kind in PLAN["sessions"]}
checkin_codes = list(PLAN["checkin_codes"])
races: dict[str, Counter[str]] = {race["start"]: Counter() for race in PLAN["races"]}
outcomes: Counter[str] = Counter()
connection_errors: Counter[str] = Counter()


def is_connection_error(exception: BaseException) -> bool:
    """Refused, reset, timed out or closed without an answer: the server
    dropped the client, as opposed to answering with an error status."""
    return isinstance(exception, (OSError, gevent.Timeout)) or type(exception).__name__ in {
        "ConnectionError",
        "RemoteDisconnected",
        "HTTPParseError",
        "ConnectionRefusedError",
        "ConnectionResetError",
    }


@events.request.add_listener
def count_connection_errors(
    request_type: str, name: str, exception: BaseException | None, response: Any, **_: Any
) -> None:
    # No status at all: the answer never came (a checked answer's own
    # exception is replaced by the check's, so the status tells).
    if exception is not None and (
        is_connection_error(exception) or getattr(response, "status_code", None) == 0
    ):
        kind = type(getattr(response, "error", None) or exception).__name__
        connection_errors[f"{name}: {kind}"] += 1


@events.quitting.add_listener
def write_summary(**_: Any) -> None:
    summary = {
        "races": {start: dict(counts) for start, counts in races.items()},
        "outcomes": dict(outcomes),
        "connection_errors": dict(connection_errors),
    }
    Path(os.environ["RELEASE_MORNING_SUMMARY"]).write_text(json.dumps(summary, indent=2))


def csrf_token(html: str) -> str:
    found = CSRF_FIELD.search(html)
    return found.group(1) if found else ""


class SignedIn(FastHttpUser):
    """Staff and devices signed in before the doors opened: each takes one
    of the sessions bench/release_morning_db.py made for its kind."""

    abstract = True
    kind = ""
    network_timeout = 30.0
    connection_timeout = 30.0

    def on_start(self) -> None:
        key = PLAN["sessions"][self.kind][next(session_numbers[self.kind])]
        host = urlsplit(self.host or "").hostname or ""
        self.client.cookiejar.set_cookie(create_cookie("sessionid", key, domain=host))

    def form_token(self, path: str, name: str) -> str:
        with self.client.get(path, name=name, catch_response=True) as response:
            token = csrf_token(response.text or "")
            if not token and response.status_code:
                response.failure("no form on the page")
            return token

    def csrf_cookie(self) -> str:
        return next((c.value or "" for c in self.client.cookiejar if c.name == "csrftoken"), "")


class Citizen(FastHttpUser):
    """Browses, books once, looks at the booking, and is done: the morning
    is 300 citizens arriving over the minute, each booking once."""

    weight = 1
    # One journey: after it the citizen waits past the end of the run.
    wait_time = constant(3600)
    network_timeout = 30.0
    connection_timeout = 30.0

    def think(self) -> None:
        gevent.sleep(random.uniform(1, 3))

    @task
    def book_a_time(self) -> None:
        number = next(citizen_numbers)
        racing = number % 3 == 0 and bool(races)
        service = "pas" if racing else random.choice(CITIZEN_SERVICES)
        self.client.get("/", name="citizen: start page")
        self.think()
        if racing:
            # Racers know the day the times come out: straight to its page,
            # then everyone who is ready posts the earliest time at the same
            # moment; who loses tries the next earliest, at once.
            day = PLAN["races"][0]["start"][:10]
            self.client.get(f"/bestil/{service}/{LOCATION}/{day}/", name="citizen: choose time")
            tick = int(time.monotonic() // RACE_SECONDS) + 1
            gevent.sleep(max(tick * RACE_SECONDS - time.monotonic(), 0))
            for attempt, race in enumerate(PLAN["races"][:RACE_ATTEMPTS]):
                if self.book(service, race["start"], number * 10 + 5 + attempt, race=race["start"]):
                    return
            slots = self.availability(service)
        else:
            self.client.get("/bestil/", name="citizen: choose errand")
            self.think()
            self.client.get(f"/bestil/{service}/{LOCATION}/", name="citizen: choose day")
            self.think()
            slots = self.availability(service)
            if not slots:
                return
            day = random.choice(slots)["start"][:10]
            self.client.get(f"/bestil/{service}/{LOCATION}/{day}/", name="citizen: choose time")
            self.think()
        for attempt in range(3):
            if not slots:
                return
            # Most want one of the first times; the rest spread out.
            chosen = random.choice(slots[:20] if random.random() < 0.7 else slots)
            if self.book(service, chosen["start"], number * 10 + attempt):
                return
            slots = self.availability(service)

    def availability(self, service: str) -> list[dict[str, str]]:
        first = PLAN["today"]
        with self.client.get(
            "/api/v1/availability",
            params={"location": LOCATION, "service": service, "from": first, "to": last_day(first)},
            name="api: availability",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"availability answered {response.status_code}")
                return []
            return list(response.json()["slots"])

    def book(self, service: str, start: str, number: int, race: str = "") -> bool:
        """Book `start`; a booking whose answer never came is sent again
        once with the same Idempotency-Key, as docs/api.md tells clients
        to (the first attempt still counts as a dropped connection)."""
        key = str(uuid.uuid4())
        for _attempt in range(2):
            answer = self.post_booking(service, start, number, race, key)
            if answer != "dropped":
                break
            outcomes["sent_again_after_dropped_connection"] += 1
        if answer != "booked":
            return False
        self.think()
        self.client.get("/" + self.manage_path, name="citizen: my booking")
        return True

    def post_booking(self, service: str, start: str, number: int, race: str, key: str) -> str:
        with self.client.post(
            "/api/v1/bookings",
            json={
                "location": LOCATION,
                "service": service,
                "start": start,
                "name": "Bench Borger",
                # A number of one's own: one person may hold only so many.
                "phone": f"+4528{300_000 + number:06d}",
                "sms_consent": True,
            },
            headers={"Idempotency-Key": key},
            name="api: book (race)" if race else "api: book",
            catch_response=True,
        ) as response:
            status = response.status_code
            error = response.json().get("error", "") if status == 409 else ""
            if status == 201:
                outcomes["booked"] += 1
                if race:
                    races[race]["won"] += 1
                # The manage page's path; its code and token stay out of the name.
                self.manage_path = response.json()["manage_url"].split("://", 1)[-1]
                self.manage_path = self.manage_path.split("/", 1)[-1]
                return "booked"
            if error == "slot_taken":
                outcomes["slot_taken"] += 1
                if race:
                    races[race]["lost"] += 1
                response.success()
                return "taken"
            if status == 0:
                return "dropped"  # counted by count_connection_errors
            response.failure(f"booking answered {status} {error}")
            return "failed"


def last_day(first: str) -> str:
    """Two weeks of times, as the day page shows."""
    return (date.fromisoformat(first) + timedelta(days=13)).isoformat()


class Display(SignedIn):
    """A waiting-room screen: the page once, then its status every second."""

    fixed_count = 20
    kind = "display"
    wait_time = constant_pacing(1)

    def on_start(self) -> None:
        super().on_start()
        self.etag = ""
        self.client.get("/skaerm/", name="display: screen")

    @task
    def poll(self) -> None:
        headers = {"If-None-Match": self.etag} if self.etag else {}
        with self.client.get(
            "/skaerm/status/", headers=headers, name="display: status", catch_response=True
        ) as response:
            if response.status_code in (200, 304):
                self.etag = response.headers.get("ETag") or self.etag
                response.success()
            else:
                response.failure(f"status answered {response.status_code}")


class DeskUser(SignedIn):
    """A counter clerk: call the next citizen, serve, finish, again."""

    fixed_count = 10
    kind = "desk"
    wait_time = between(2, 4)

    def on_start(self) -> None:
        super().on_start()
        self.desk = PLAN["desks"][next(desk_numbers)]
        token = self.form_token("/personale/skranke/", "desk: choose desk")
        self.client.post(
            "/personale/skranke/",
            data={"desk": self.desk, "csrfmiddlewaretoken": token},
            name="desk: open desk",
        )

    def api(self, path: str, name: str, body: object = None) -> dict[str, Any] | None:
        with self.client.post(
            path,
            json=body or {},
            headers={"X-CSRFToken": self.csrf_cookie()},
            name=name,
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"{name} answered {response.status_code}")
                return None
            answer: dict[str, Any] = response.json()
            return answer

    @task
    def serve_next(self) -> None:
        self.client.get(f"/personale/skranke/{self.desk}/koe/", name="desk: queue")
        called = self.api(f"/api/v1/desks/{self.desk}/call-next", "api: call next")
        visit = (called or {}).get("visit")
        if not visit:
            outcomes["nobody_waiting"] += 1
            return
        self.api(f"/api/v1/visits/{visit['id']}/start", "api: start visit")
        gevent.sleep(random.uniform(3, 8))  # the errand, much shortened
        if self.api(
            f"/api/v1/visits/{visit['id']}/finish", "api: finish visit", {"outcome": "served"}
        ):
            outcomes["served"] += 1


class Kiosk(SignedIn):
    """Checks in the booked citizens by code, then gives tickets."""

    fixed_count = 2
    kind = "kiosk"
    wait_time = between(2, 5)

    @task
    def next_citizen(self) -> None:
        token = self.form_token("/kiosk/", "kiosk: start")
        if checkin_codes:
            path, name = "/kiosk/", "kiosk: check in"
            data = {"how": "code", "code": checkin_codes.pop(), "csrfmiddlewaretoken": token}
        else:
            token = self.form_token("/kiosk/uden-tid/", "kiosk: errands")
            path, name = "/kiosk/uden-tid/", "kiosk: ticket"
            data = {"service": "brevstemme", "csrfmiddlewaretoken": token}
        with self.client.post(
            path, data=data, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 302 or "billet" not in response.headers.get("Location", ""):
                response.failure(f"{name} answered {response.status_code}, no ticket")
                return
            outcomes["checked_in" if name == "kiosk: check in" else "tickets"] += 1
        self.client.get("/kiosk/billet/", name="kiosk: ticket page")


class Staff(SignedIn):
    """Front-office staff with the day's bookings open."""

    fixed_count = 5
    kind = "staff"
    wait_time = between(3, 8)

    @task
    def day_list(self) -> None:
        self.client.get("/personale/tider/dag/", name="staff: day list")


class LiveWatcher(SignedIn):
    """A page that keeps a live part up to date as htmx does it: the page
    once, then every POLL_SECONDS its live part asked for again with the
    version it shows (`hx-get="…?version=…" hx-trigger="every …s"`). An
    empty 204 while nothing changed leaves the part as it is; a 200 is the
    new part, swapped in, and its version is the one asked with next."""

    abstract = True
    page = ""
    live = ""
    live_id = ""
    label = ""

    def on_start(self) -> None:
        super().on_start()
        self.version = ""
        with self.client.get(
            self.page, name=f"{self.label}: page", catch_response=True
        ) as response:
            self.take_version(response)

    def take_version(self, response: Any) -> None:
        found = LIVE_VERSION.search(response.text or "")
        if response.status_code == 200 and found:
            self.version = found.group(1)
        elif response.status_code:
            response.failure(f"answered {response.status_code} without a live part")

    @task
    def poll(self) -> None:
        with self.client.get(
            self.live,
            params={"version": self.version},
            headers={
                "HX-Request": "true",
                "HX-Trigger": self.live_id,
                "HX-Target": self.live_id,
                "HX-Current-URL": (self.host or "") + self.page,
            },
            name=f"{self.label}: nothing new",
            catch_response=True,
        ) as response:
            if response.status_code == 204:
                outcomes[f"{self.label}: nothing new"] += 1
                response.success()
                return
            # Named apart: the new figures are worked out, "nothing new" is not.
            response.request_meta["name"] = f"{self.label}: new figures"
            outcomes[f"{self.label}: new figures"] += 1
            self.take_version(response)


class OverviewScreen(LiveWatcher):
    """A manager's overview of the day (/personale/overblik/) left open;
    its figures ask for themselves again every 2 s."""

    fixed_count = 20
    kind = "overview"
    wait_time = constant_pacing(2)
    page = "/personale/overblik/"
    live = "/personale/overblik/nu/"
    live_id = "overview-live"
    label = "overview"


class Wallboard(LiveWatcher):
    """The contact centre's wallboard (/tavle/), signed in with its device
    token; its figures ask for themselves again every 5 s."""

    fixed_count = 10
    kind = "wallboard"
    wait_time = constant_pacing(5)
    page = "/tavle/"
    live = "/tavle/nu/"
    live_id = "wallboard-live"
    label = "wallboard"
