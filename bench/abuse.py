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
- hoarding (hoarding.py): 300 bookings through POST /api/v1/bookings from
  one address, each with a new mobile number, taking the earliest free
  times; then one IPv6 /64, 300 and 1,000 /64s with the proof of work
  solved by a program, and a citizen without JavaScript;
- brute force: 60 wrong passwords for one staff member, then the right one
  from the same network and from another;
- lockout as denial of service: 4 wrong passwords from each of 30
  networks, then the staff member's right one from their desk (the
  manager, "leder", has an authenticator app, as production asks);
- the overview and the wallboard: their pages and the overview's API
  asked for by a stranger, and by the wallboard's own device beyond its
  board; 100 call events posted with no token and 100 with a made-up one,
  and the calls they made counted in the database;
- the written inquiries: their pages asked for by a stranger; the
  incoming-text webhook posted to unsigned, signed with a guessed secret,
  with a body other than signed (100 each), one signed text replayed 100
  times, and signed texts from 60 numbers Skranke never wrote to; what
  was kept, and the answers queued, counted in the database;
- password reset: the answer's time for a staff member's address and for
  one nobody has; 50 requests for one staff member's address; 15 from one
  network.

Behind one trusted proxy (TRUSTED_PROXY_COUNT=1), as in production: the
networks are told apart by the X-Forwarded-For the proxy would add.

Prints the counts and writes bench/results/abuse.json (docs/benchmarks.md).
"""

import base64
import hashlib
import hmac
import json
import re
import secrets
import statistics
import subprocess
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import requests

from bench.browsing import CSRF, form_token, from_network
from bench.hoarding import (
    attempt_from_many_networks,
    days_with_room,
    free_times,
    hoarding,
    one_ipv6_network,
    without_javascript,
)
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


def device_session(base: str, token: str) -> requests.Session:
    """A browser signed in at /enhed/ as the demo's device with `token`."""
    session = requests.Session()
    url = base + "/enhed/"
    session.post(
        url,
        data={"csrfmiddlewaretoken": form_token(session, url), "token": token},
        headers={"Referer": url},
        timeout=30,
    )
    return session


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
    kiosk = device_session(base, "demo-kiosk-raadhus")
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


LIVE_CALLS = """
from skranke.contact_centre.models import Call, LiveCall
print(LiveCall.objects.count() + Call.objects.count())
"""
# What a stranger, and the back office's wallboard, must not read.
OVERVIEW_PAGES = ["/personale/overblik/", "/personale/overblik/nu/", "/api/v1/overview"]


def overview_and_wallboard(base: str, env: dict[str, str]) -> dict[str, Any]:
    """The overview and the wallboard as a stranger and as the wallboard
    itself would try them, and the telephony's call events posted without
    a token and with a made-up one."""
    stranger = requests.Session()
    as_stranger = {
        page: stranger.get(base + page, timeout=30, allow_redirects=False).status_code
        for page in [*OVERVIEW_PAGES, "/tavle/", "/tavle/nu/"]
    }
    wallboard = device_session(base, "demo-tavle-raadhus")
    as_wallboard = {
        page: wallboard.get(base + page, timeout=30, allow_redirects=False).status_code
        for page in [*OVERVIEW_PAGES, "/kiosk/", "/skaerm/", "/tavle/"]
    }
    event = {"call_id": "x", "event": "offered", "at": "2027-03-01T10:29:00+01:00"}
    posted: Counter[str] = Counter()
    for number in range(100):
        for label, headers in (
            ("without a token", {}),
            ("with a made-up token", {"Authorization": f"Bearer forged-{number}"}),
        ):
            answer = requests.post(
                base + "/api/v1/contacts/call-events",
                json=event | {"call_id": f"forged-{number}"},
                headers=headers,
                timeout=30,
            )
            posted[f"{label}: {answer.status_code}"] += 1
    calls = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", LIVE_CALLS],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return {
        "a stranger": as_stranger,
        "read by a stranger": sum(code == 200 for code in as_stranger.values()),
        "the wallboard": as_wallboard,
        "read by the wallboard beyond its own board": sum(
            code == 200 for page, code in as_wallboard.items() if page != "/tavle/"
        ),
        "call events posted": dict(posted),
        "calls made by them": int(calls.strip().splitlines()[-1]),
    }


# The run's own webhook secret, made afresh: GatewayAPI's side of it.
WEBHOOK_SECRET = secrets.token_urlsafe(32)
INCOMING = "/api/v1/notifications/gatewayapi/incoming"
STATUS = "/api/v1/notifications/gatewayapi/status"
TEXTS = """
from skranke.inquiries.models import Inquiry, ReceivedText
from skranke.notifications.models import Message
print(ReceivedText.objects.count(), Inquiry.objects.filter(channel="sms").count(),
      Message.objects.filter(kind="number_takes_no_texts").count())
"""


def signed(claims: dict[str, Any], secret: str) -> str:
    """A webhook's JWT, HS256, as GatewayAPI signs one (no time claims)."""

    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    head = part(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = part(json.dumps(claims).encode())
    mac = hmac.new(secret.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{part(mac)}"


def written_inquiries(base: str, env: dict[str, str]) -> dict[str, Any]:
    """The inquiries' pages as a stranger tries them, and the incoming-text
    webhook as an attacker would post to it: unsigned, signed with a
    guessed secret, one signed text replayed (20 an hour per signature),
    texts from many numbers Skranke never wrote to (each answered at most
    once a day, and at most 20 an hour in all), and 400 forgeries from one
    network (held to a stranger's API limit). Then the provider's own
    burst: 1,000 signed delivery reports from one network in a minute, all
    taken (its own limit, 3,000 a minute)."""
    stranger = requests.Session()
    pages = ["/personale/henvendelser/", *(f"/personale/henvendelser/{n}/" for n in range(1, 6))]
    as_stranger = {
        page: stranger.get(base + page, timeout=30, allow_redirects=False).status_code
        for page in pages
    }
    posted: Counter[str] = Counter()

    def post(text: dict[str, Any], signature: str, label: str, network: str) -> None:
        # Each group from a network of its own: a network's posts that are
        # not validly signed count as a stranger's API calls (300 a minute).
        answer = from_network(network).post(
            base + INCOMING, json=text, headers={"X-Gwapi-Signature": signature}, timeout=30
        )
        posted[f"{label}: {answer.status_code}"] += 1

    replayed = {"id": 800_000, "msisdn": 4529999999, "message": "Hej"}
    for _ in range(100):
        post(replayed, signed(replayed, WEBHOOK_SECRET), "one signed text, replayed", "10.9.0.1")
    for number in range(60):
        text = {"id": 700_000 + number, "msisdn": 4591000000 + number, "message": "Hej"}
        label = "from 60 numbers Skranke never wrote to"
        post(text, signed(text, WEBHOOK_SECRET), label, "10.9.0.2")
    for number in range(100):
        text = {"id": 900_000 + number, "msisdn": 4529000000 + number, "message": "AFLYS"}
        network = f"10.9.1.{number + 1}"
        post(text, "", "unsigned", network)
        post(text, signed(text, "a-guessed-secret"), "signed with a guessed secret", network)
        forged = text | {"message": "JA"}
        post(forged, signed(text, WEBHOOK_SECRET), "body not as signed", network)
    for number in range(400):
        text = {"id": 950_000 + number, "msisdn": 4528000000 + number, "message": "AFLYS"}
        label = "400 forged from one network"
        post(text, signed(text, "a-guessed-secret"), label, "10.9.2.1")
    provider = from_network("10.9.3.1")
    burst_began = time.monotonic()
    for number in range(1000):
        report = {"id": 600_000 + number, "status": "DELIVERED", "userref": "0"}
        answer = provider.post(
            base + STATUS,
            json=report,
            headers={"X-Gwapi-Signature": signed(report, WEBHOOK_SECRET)},
            timeout=30,
        )
        posted[f"1,000 delivery reports from the provider's network: {answer.status_code}"] += 1
    burst_seconds = round(time.monotonic() - burst_began, 1)
    counts = (
        subprocess.run(
            [PYTHON, "manage.py", "shell", "-c", TEXTS],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    kept, inquiries, answers = (int(value) for value in counts.split())
    return {
        "a stranger": as_stranger,
        "read by a stranger": sum(code == 200 for code in as_stranger.values()),
        "texts posted": dict(posted),
        "the provider's 1,000 reports took (s)": burst_seconds,
        "texts kept": kept,
        "inquiries made by them": inquiries,
        "answers to unknown numbers queued": answers,
    }


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="abuse-"))
    database = folder / "system.sqlite3"
    env = system_environment(f"sqlite:///{database}") | {
        "GATEWAYAPI_WEBHOOK_SECRET": WEBHOOK_SECRET
    }
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
            "overview and wallboard": overview_and_wallboard(base, env),
            "written inquiries": written_inquiries(base, env),
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
