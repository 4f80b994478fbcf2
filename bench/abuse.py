"""Skranke tried as an attacker would, over HTTP, with counts:

    .venv/bin/python -m bench.abuse

Skranke is started as `make run` starts it (gunicorn and the worker), on a
fresh SQLite file with the demo loaded and two-factor sign-in required (as
in production), with every limit at its default, on 127.0.0.1 only. Every
loop is bounded. Then:

- the kiosk as an oracle: a code that does not exist, one for another day
  and one for another place, typed at a signed-in kiosk, and the answers
  compared; the same posted to the walk-in page (which once took a late
  citizen's code and queued their booking); then 100 codes tried on each
  as fast as the kiosk lets one;
- skipping the second factor: an administrator signed in with the
  password alone opens every kind of staff page directly;
- hoarding: 300 bookings through POST /api/v1/bookings from one address,
  each with a new mobile number, taking the earliest free times;
- brute force: 60 wrong passwords for one staff member, then the right one
  from the same network and from another;
- lockout as denial of service: 4 wrong passwords from each of 30
  networks, then the staff member's right one from their desk (the
  manager, "leder", has an authenticator app, as production asks);
- one IPv6 /64: 60 bookings, each from another address of the block;
- password reset: the answer's time for a staff member's address and for
  one nobody has; 50 requests for one staff member's address; 15 from one
  network.

Behind one trusted proxy (TRUSTED_PROXY_COUNT=1), as in production: the
networks are told apart by the X-Forwarded-For the proxy would add.

Prints the counts and writes bench/results/abuse.json (docs/benchmarks.md).
"""

import base64
import hashlib
import json
import re
import sqlite3
import statistics
import subprocess
import tempfile
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import requests

from bench.release_morning import (
    CLOCK_START,
    PYTHON,
    RESULTS,
    ROOT,
    environment,
    manage,
    running_system,
)
from skranke.demo.data import DEMO_PASSWORD

PASSWORD = DEMO_PASSWORD
ALERT = re.compile(r'<div class="alert[^"]*"[^>]*>(.*?)</div>\s*</div>', re.S)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
WAIT_TOKEN = re.compile(r'name="challenge_wait" value="([^"]+)"')
WAIT_SECONDS = re.compile(r"Vent venligst (\d+) sekund")
STAFF_PAGES = [
    "/personale/",
    "/personale/skranke/",
    "/personale/statistik/",
    "/personale/planlaegning/",
    "/personale/adgangslog/",
    "/personale/kontaktcenter/",
    "/admin/",
    "/admin/booking/booking/",
]
# The bookings the kiosk test types: found in the demo's database.
CODES = """
import json
from datetime import timedelta
from skranke.booking.models import Booking
from skranke.core import clock
booked = Booking.objects.filter(status="booked")
later = booked.filter(location__slug="raadhuset", start__date__gt=clock.today() + timedelta(days=1))
elsewhere = booked.exclude(location__slug="raadhuset")
print(json.dumps({"other_day": later.first().code, "other_place": elsewhere.first().code}))
"""

STAFF_SETUP = """
from django_otp.plugins.otp_totp.models import TOTPDevice
from skranke.accounts.models import User
manager = User.objects.get(username="leder")
manager.email = "leder@kommune.example"
manager.save()
TOTPDevice.objects.create(user=manager, name="app", confirmed=True)
"""
HELD = """
SELECT date(b.start), count(*) FROM booking_booking b
JOIN core_location l ON l.id = b.location_id JOIN core_service s ON s.id = b.service_id
WHERE l.slug = ? AND s.slug = 'pas' AND b.held_until IS NOT NULL GROUP BY 1
"""
CONFIRMED = """
SELECT count(*) FROM booking_booking b JOIN core_location l ON l.id = b.location_id
WHERE l.slug = ? AND b.name = 'Hamster' AND b.held_until IS NULL
"""
CODES_SENT = "SELECT id, recipient FROM notifications_message WHERE kind = 'hold_code'"
MOST_CODES_A_HOLD = "SELECT coalesce(max(hold_codes_sent), 0) FROM booking_booking"
OTHER_TEXTS_TO_HOLDERS = """
SELECT count(*) FROM notifications_message m JOIN booking_booking b ON b.id = m.booking_id
WHERE b.held_until IS NOT NULL AND m.kind <> 'hold_code'
"""
RESET_MAILS = """
from skranke.notifications.models import Message
print(Message.objects.filter(kind="password_reset").count())
"""


def system_environment(url: str) -> dict[str, str]:
    env = environment(url)
    # Every limit at its default: drop the release morning's.
    env = {
        key: value
        for key, value in env.items()
        if not key.startswith(("RATE_", "CHALLENGE_", "ATTACK_"))
    }
    return env | {
        "MFA_REQUIRED": "true",
        "SKRANKE_CLOCK_START": CLOCK_START,
        "TRUSTED_PROXY_COUNT": "1",
    }


def form_token(session: requests.Session, url: str) -> str:
    found = CSRF.search(session.get(url, timeout=30).text)
    return found.group(1) if found else ""


def from_network(address: str) -> requests.Session:
    """A browser whose requests the proxy says come from `address`."""
    session = requests.Session()
    session.headers["X-Forwarded-For"] = address
    return session


def sign_in(session: requests.Session, base: str, username: str, password: str) -> Any:
    url = base + "/personale/log-ind/"
    token = form_token(session, url)
    return session.post(
        url,
        data={"csrfmiddlewaretoken": token, "username": username, "password": password},
        headers={"Referer": url},
        timeout=30,
        allow_redirects=False,
    )


def sign_in_outcome(answer: Any) -> str:
    """What the right password got: in, on to the second factor, or refused."""
    target = answer.headers.get("Location", "") if answer.status_code == 302 else ""
    if "/log-ind/kode/" in target or "/log-ind/autentifikator/" in target:
        return "password accepted, on to the second factor"
    if target and "log-ind/" not in target:
        return "signed in"
    return f"refused ({answer.status_code})"


def guess(session: requests.Session, base: str, answers_seen: Counter[str]) -> None:
    answer = sign_in(session, base, "leder", "forkert-gæt")
    locked = answer.status_code == 429 or "Too many" in answer.text or "mange" in answer.text
    answers_seen["locked" if locked else f"{answer.status_code} wrong password"] += 1


def brute_force(base: str) -> dict[str, Any]:
    attacker = from_network("198.51.100.7")
    answers_seen: Counter[str] = Counter()
    for _ in range(60):
        guess(attacker, base, answers_seen)
    return {
        "wrong passwords tried": 60,
        "answers": dict(answers_seen),
        "then the right password, from the attacker's network": sign_in_outcome(
            sign_in(from_network("198.51.100.7"), base, "leder", PASSWORD)
        ),
        "then the right password, from the staff member's desk": sign_in_outcome(
            sign_in(from_network("203.0.113.20"), base, "leder", PASSWORD)
        ),
    }


def lockout_from_many_networks(base: str) -> dict[str, Any]:
    answers_seen: Counter[str] = Counter()
    for network in range(30):
        attacker = from_network(f"2001:db8:{network:x}::1")
        for _ in range(4):
            guess(attacker, base, answers_seen)
    return {
        "wrong passwords tried": 120,
        "networks": 30,
        "answers": dict(answers_seen),
        "then the right password, from the staff member's desk": sign_in_outcome(
            sign_in(from_network("203.0.113.21"), base, "leder", PASSWORD)
        ),
    }


def ask_for_reset(base: str, email: str, network: str) -> tuple[int, float]:
    """One request for a password-reset mail: the status and milliseconds."""
    session = from_network(network)
    url = base + "/personale/glemt-adgangskode/"
    token = form_token(session, url)
    started = time.perf_counter()
    answer = session.post(
        url,
        data={"csrfmiddlewaretoken": token, "email": email},
        headers={"Referer": url},
        timeout=30,
        allow_redirects=False,
    )
    return answer.status_code, (time.perf_counter() - started) * 1000


def password_reset(base: str, env: dict[str, str]) -> dict[str, Any]:
    known: list[float] = []
    unknown: list[float] = []
    for number in range(20):
        known.append(ask_for_reset(base, "leder@kommune.example", f"192.0.2.{number + 1}")[1])
        unknown.append(
            ask_for_reset(base, f"nobody{number}@example.org", f"192.0.2.{number + 101}")[1]
        )
    flood = Counter(
        ask_for_reset(base, "leder@kommune.example", f"203.0.113.{number + 1}")[0]
        for number in range(30)
    )
    one_network = Counter(
        ask_for_reset(base, f"guess{number}@example.org", "198.51.100.77")[0]
        for number in range(15)
    )
    queued = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", RESET_MAILS],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return {
        "median ms, a staff member's address": round(statistics.median(known), 1),
        "median ms, an address nobody has": round(statistics.median(unknown), 1),
        "30 more requests for the manager's address, from 30 networks, answers": {
            str(status): count for status, count in flood.items()
        },
        "mails written for the manager after 50 requests (limit: 3 an hour)": int(
            queued.split()[-1]
        ),
        "15 requests from one network, answers": {
            str(status): count for status, count in one_network.items()
        },
    }


def solved_challenge(session: requests.Session, base: str) -> str:
    """A challenge from the API, solved by a plain Python loop, as a
    hoarder's program would: the X-Skranke-Challenge header."""
    challenge = session.get(base + "/api/v1/challenge", timeout=30).json()
    for number in range(challenge["maxnumber"] + 1):
        found = hashlib.sha256(f"{challenge['salt']}{number}".encode()).hexdigest()
        if found == challenge["challenge"]:
            payload = json.dumps({**challenge, "number": number})
            return base64.b64encode(payload.encode()).decode()
    raise RuntimeError("no number solves the challenge")


def one_ipv6_network(base: str) -> dict[str, Any]:
    session = from_network("192.0.2.200")  # the times, read from elsewhere
    slots = free_times(session, base, location="biblioteket", days=30)
    statuses: Counter[int] = Counter()
    for number in range(60):
        address = f"2001:db8:aaaa:1:{number:x}::{number + 1:x}"
        attacker = from_network(address)
        answer = attacker.post(
            base + "/api/v1/bookings",
            json=booking_body(
                "biblioteket", slots[number % len(slots)], f"+4529{400_000 + number:06d}"
            ),
            headers={"X-Skranke-Challenge": solved_challenge(attacker, base)},
            timeout=30,
        )
        statuses[answer.status_code] += 1
    return {
        "bookings tried, each with the proof of work solved": 60,
        "addresses": 60,
        "networks": 1,
        "answers": {str(status): count for status, count in sorted(statuses.items())},
    }


def held_times(database: Path, location: str) -> Counter[str]:
    """Unconfirmed holds of passport times at `location`, per day (lapsed
    ones not yet deleted included: an upper bound)."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        rows = connection.execute(HELD, [location]).fetchall()
    return Counter(dict(rows))


def count_confirmed(database: Path, location: str) -> int:
    """The hoarders' bookings at `location` that are not held."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        return int(connection.execute(CONFIRMED, [location]).fetchone()[0])


def hold_codes(database: Path) -> dict[int, str]:
    """The code messages in the outbox now, by id: their recipients."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        return dict(connection.execute(CODES_SENT).fetchall())


def attempt_from_many_networks(
    base: str, database: Path, *, location: str, networks: int, first: int
) -> dict[str, Any]:
    """One booking from each of `networks` IPv6 /64s, the proof of work
    solved, each with a new mobile number the attacker cannot read: taking
    the earliest free time, re-read as the attack goes on."""
    reader = from_network("192.0.2.201")
    confirmed_before = count_confirmed(database, location)
    day_times = Counter(
        slot["start"][:10] for slot in free_times(reader, base, location=location, days=30)
    )
    statuses: Counter[int] = Counter()
    most_held = 0.0
    codes: dict[int, str] = {}
    slots: list[Any] = []
    started = time.monotonic()
    for number in range(networks):
        if number % 25 == 0:
            slots = free_times(reader, base, location=location, days=30)
            held = held_times(database, location)
            most_held = max(
                [most_held] + [held[day] / day_times[day] for day in held if day_times[day]]
            )
            codes |= hold_codes(database)
        attacker = from_network(f"2001:db8:{first + number:x}:1::1")
        answer = attacker.post(
            base + "/api/v1/bookings",
            json=booking_body(location, slots[number % len(slots)], f"+4527{first + number:06d}"),
            headers={"X-Skranke-Challenge": solved_challenge(attacker, base)},
            timeout=30,
        )
        statuses[answer.status_code] += 1
    held = held_times(database, location)
    most_held = max([most_held] + [held[day] / day_times[day] for day in held if day_times[day]])
    codes |= hold_codes(database)
    confirmed = count_confirmed(database, location) - confirmed_before
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        most_codes_a_hold = connection.execute(MOST_CODES_A_HOLD).fetchone()[0]
        other_texts = connection.execute(OTHER_TEXTS_TO_HOLDERS).fetchone()[0]
    per_number = Counter(codes.values())
    return {
        "networks (IPv6 /64)": networks,
        "seconds": round(time.monotonic() - started, 1),
        "answers": {str(status): count for status, count in sorted(statuses.items())},
        "confirmed bookings taken": confirmed,
        "most of one day's free times held at once (%)": round(100 * most_held, 1),
        "code texts sent": len(codes),
        "most code texts to one number": max(per_number.values(), default=0),
        "most codes for one hold": most_codes_a_hold,
        "other texts to numbers that never confirmed": other_texts,
    }


def without_javascript(base: str, database: Path) -> dict[str, Any]:
    """A citizen without JavaScript while the defences are up: three review
    pages (three drafts) in one browser, the wait sat out, then the drafts
    sent with the tokens: the last page's token with its own draft, then
    with the first draft, then the second page's token with its draft. On
    a day the hoarders hold nothing of, as the page advises when a day's
    share of holds is taken."""
    citizen = from_network("203.0.113.50")
    held = held_times(database, "raadhuset")
    slots = [
        slot
        for slot in free_times(citizen, base, location="raadhuset", days=30)
        if not held[slot["start"][:10]]
    ]
    pages = []
    for number in range(3):
        details = (
            f"{base}/bestil/pas/raadhuset/oplysninger/?start={slots[-1 - number]['start'][:16]}"
        )
        sent = citizen.post(
            details,
            data={
                "csrfmiddlewaretoken": form_token(citizen, details),
                "name": f"Uden Script {number}",
                "phone": f"2055000{number}",
                "email": "",
                "sms_consent": "on",
            },
            headers={"Referer": details},
            allow_redirects=False,
            timeout=30,
        )
        review = base + sent.headers["Location"]
        html = citizen.get(review, timeout=30).text
        token, wait, csrf = (
            pattern.search(html).group(1)  # type: ignore[union-attr]
            for pattern in (WAIT_TOKEN, WAIT_SECONDS, CSRF)
        )
        pages.append((review, token, int(wait), csrf))
    waited = max(wait for _, _, wait, _ in pages) + 1
    time.sleep(waited)

    def send(page: tuple[str, str, int, str], token: str) -> int:
        review, _, _, csrf = page
        return citizen.post(
            review,
            data={"csrfmiddlewaretoken": csrf, "challenge_wait": token},
            headers={"Referer": review},
            allow_redirects=False,
            timeout=30,
        ).status_code

    answers = {
        "third draft, its own token": send(pages[2], pages[2][1]),
        "first draft, the third page's token": send(pages[0], pages[2][1]),
        "second draft, its own (replaced) token": send(pages[1], pages[1][1]),
    }
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        booked = connection.execute(
            "SELECT count(*) FROM booking_booking WHERE name LIKE 'Uden Script %'"
        ).fetchone()[0]
    return {"seconds waited": waited, "answers": answers, "drafts booked (held)": booked}


def days_with_room(base: str, database: Path) -> dict[str, Any]:
    """After the attack: of the town hall's days with free passport times,
    how many a citizen can still hold a time on now (the day's share of
    unconfirmed holds not taken)."""
    slots = free_times(from_network("192.0.2.202"), base, location="raadhuset", days=30)
    days = Counter(slot["start"][:10] for slot in slots)
    held = held_times(database, "raadhuset")
    room = [day for day, free in days.items() if held[day] < max(1, (free + held[day]) * 5 // 100)]
    return {"days with free times": len(days), "days a citizen can hold a time on": len(room)}


def free_times(session: requests.Session, base: str, *, location: str, days: int) -> list[Any]:
    """The passport times free at `location` over the next `days` days."""
    today = date.fromisoformat(CLOCK_START[:10])
    return session.get(
        base + "/api/v1/availability",
        params={
            "location": location,
            "service": "pas",
            "from": today.isoformat(),
            "to": (today + timedelta(days=days)).isoformat(),
        },
        timeout=30,
    ).json()["slots"]


def booking_body(location: str, slot: dict[str, Any], phone: str) -> dict[str, Any]:
    """A hoarder's booking of `slot` through the API."""
    return {
        "location": location,
        "service": "pas",
        "start": slot["start"],
        "name": "Hamster",
        "phone": phone,
        "sms_consent": True,
    }


def hoarding(base: str) -> dict[str, Any]:
    session = requests.Session()
    slots = free_times(session, base, location="raadhuset", days=30)
    statuses: Counter[int] = Counter()
    started = time.monotonic()
    for number in range(300):
        answer = session.post(
            base + "/api/v1/bookings",
            json=booking_body(
                "raadhuset", slots[number % len(slots)], f"+4528{400_000 + number:06d}"
            ),
            timeout=30,
        )
        statuses[answer.status_code] += 1
    return {
        "bookings tried": 300,
        "seconds": round(time.monotonic() - started, 1),
        "answers": {str(status): count for status, count in sorted(statuses.items())},
        "free times before": len(slots),
    }


def alert_text(html: str) -> str:
    found = ALERT.search(html)
    return re.sub(r"<[^>]+>|\s+", " ", found.group(1)).strip() if found else ""


def book_elsewhere(base: str) -> None:
    """One booking at the library, for the kiosk at the town hall to be
    asked about."""
    session = requests.Session()
    slots = free_times(session, base, location="biblioteket", days=14)
    answer = session.post(
        base + "/api/v1/bookings",
        json={
            "location": "biblioteket",
            "service": "pas",
            "start": slots[-1]["start"],
            "name": "Borger",
            "phone": "+4520999999",
        },
        timeout=30,
    )
    answer.raise_for_status()


def kiosk_oracle(base: str, env: dict[str, str]) -> dict[str, Any]:
    book_elsewhere(base)
    codes = json.loads(
        subprocess.run(
            [PYTHON, "manage.py", "shell", "-c", CODES],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    kiosk = requests.Session()
    url = base + "/enhed/"
    kiosk.post(
        url,
        data={"csrfmiddlewaretoken": form_token(kiosk, url), "token": "demo-kiosk-raadhus"},
        headers={"Referer": url},
        timeout=30,
    )
    url = base + "/kiosk/"

    def type_code(code: str) -> Any:
        return kiosk.post(
            url,
            data={"csrfmiddlewaretoken": form_token(kiosk, url), "how": "code", "code": code},
            headers={"Referer": url},
            timeout=30,
        )

    told = {
        case: alert_text(type_code(code).text)
        for case, code in (("unknown", "ZZZZZZ"), *codes.items())
    }
    walk_in = base + "/kiosk/uden-tid/"

    def post_walk_in(code: str) -> Any:
        return kiosk.post(
            walk_in,
            data={
                "csrfmiddlewaretoken": form_token(kiosk, walk_in),
                "booking": code,
                "late": "1",
            },
            headers={"Referer": walk_in},
            timeout=30,
            allow_redirects=False,
        )

    # Before the kiosk's minute of check-ins is used up, so that the
    # answers are the page's own, not the rate limit's.
    walk_in_told = {}
    for case, code in (("unknown", "ZZZZZZ"), *codes.items()):
        answer = post_walk_in(code)
        walk_in_told[case] = (answer.status_code, CSRF.sub("", answer.text))
    statuses: Counter[int] = Counter()
    started = time.monotonic()
    for number in range(100):
        statuses[type_code(f"Q{number:05d}").status_code] += 1
    seconds = round(time.monotonic() - started, 1)
    walk_in_statuses: Counter[int] = Counter(
        post_walk_in(f"Q{number:05d}").status_code for number in range(100)
    )
    return {
        "answers": told,
        "different answers": len(set(told.values())),
        "100 codes tried": {str(status): count for status, count in sorted(statuses.items())},
        "seconds": seconds,
        "walk-in page, statuses": sorted({status for status, _ in walk_in_told.values()}),
        "walk-in page, different answers": len(set(walk_in_told.values())),
        "walk-in page, 100 codes tried": {
            str(status): count for status, count in sorted(walk_in_statuses.items())
        },
    }


def second_factor_skipped(base: str) -> dict[str, Any]:
    session = requests.Session()
    sign_in(session, base, "admin", PASSWORD)
    shown = {}
    for page in STAFF_PAGES:
        answer = session.get(base + page, timeout=30, allow_redirects=False)
        target = answer.headers.get("Location", "")
        shown[page] = f"{answer.status_code} → {target}" if target else str(answer.status_code)
    return {
        "pages": shown,
        "shown without the second factor": sum(value == "200" for value in shown.values()),
    }


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="abuse-"))
    database = folder / "system.sqlite3"
    env = system_environment(f"sqlite:///{database}")
    print(f"migrate and load the demo ({folder})", flush=True)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "load_demo")
    # The manager has an e-mail address and has set up an authenticator
    # app, as production asks.
    manage(env, "shell", "-c", STAFF_SETUP)
    with running_system(env, folder / "runsystem.log") as (base, _server):
        # In this order: the kiosk books once itself, before hoarding has
        # used up what one address may book, and the brute force, which
        # locks the address out of signing in, comes last.
        result = {
            "kiosk": kiosk_oracle(base, env),
            "second factor": second_factor_skipped(base),
            "hoarding": hoarding(base),
            "one IPv6 /64": one_ipv6_network(base),
            "300 /64s, before the attack is seen": attempt_from_many_networks(
                base, database, location="biblioteket", networks=300, first=0x1000
            ),
            # While the defences are up, before the hoarders hold a time on
            # every day at the town hall (see the next).
            "without JavaScript": without_javascript(base, database),
            "1,000 /64s": attempt_from_many_networks(
                base, database, location="raadhuset", networks=1000, first=0x2000
            ),
            "a day's hold after the 1,000": days_with_room(base, database),
            "brute force": brute_force(base),
            "lockout from many networks": lockout_from_many_networks(base),
            "password reset": password_reset(base, env),
        }
    log = (folder / "runsystem.log").read_text()
    result["server"] = {
        "5xx": len(re.findall(r'" 5\d\d ', log)),
        "tracebacks": log.count("Traceback (most recent call last)"),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "abuse.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
