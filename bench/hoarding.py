"""The times hoarded, as bench/abuse.py tries it: from one address, from
one IPv6 /64, from 300 and 1,000 /64s with the proof of work solved by a
program and no access to the phones, and a citizen without JavaScript
during the attack. The counts come from the system's answers and, for
what is held and texted, from its SQLite file read alongside."""

import base64
import hashlib
import json
import re
import sqlite3
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import requests

from bench.browsing import CSRF, form_token, from_network
from bench.release_morning import CLOCK_START

WAIT_TOKEN = re.compile(r'name="challenge_wait" value="([^"]+)"')
WAIT_SECONDS = re.compile(r"Vent venligst (\d+) sekund")
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
