"""The release-morning load test's database side, run as its own process
with the system's DATABASE_URL and clock (bench/release_morning.py):

    python -m bench.release_morning_db prepare PLAN.json
    python -m bench.release_morning_db check PLAN.json

`prepare` makes the demo town hall a ten-desk centre (four more counters
with the first one's shifts), books twenty citizens for the kiosks to check
in now, and picks the times the racing citizens will fight over: the
earliest free times for a passport, which everyone wants. It writes what
the Locust users need to PLAN.json.

`check`, after the run, holds every race to the capacity rule with the
project's own availability logic: a race time must be full (no free desk
left for citizens or staff), the bookings on it must number the desks that
serve it, and no desk may hold two bookings at once. It prints JSON.
"""

import json
import os
import sys
from datetime import datetime, timedelta
from importlib import import_module
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skranke.settings")
django.setup()

from django.conf import settings
from django.contrib import auth
from django.db import connection

from skranke.accounts import devices
from skranke.accounts.models import Device, User
from skranke.booking.availability import Policy, find_slots
from skranke.booking.booking import new_booking_code
from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.models import Desk, DeskShift, Location, Service
from skranke.core.schedule import mark_schedule_changed
from skranke.demo import data

LOCATION = "raadhuset"
RACE_SERVICE = "pas"
CHECKIN_SERVICE = "sundhedskort"
COUNTERS = 10
RACES = 8
# The kiosks' citizens; their numbers share a prefix of their own.
CHECKIN_PHONE_PREFIX = "+452829"
# Signed in before the doors open: (kind, how many, staff username or None).
SIGNED_IN = [
    ("desk", 10, "skranke"),
    ("staff", 5, "kontaktcenter"),
    ("display", 20, None),
    ("kiosk", 2, None),
    # The watchers (bench/release_morning.py --watchers): made in both
    # runs, so the two differ only in whether they come.
    ("overview", 20, "leder"),
    ("wallboard", 10, None),
]


def add_counters(location: Location) -> list[Desk]:
    """Counters "7" to "10" with the first counter's weekly shifts."""
    first = Desk.objects.get(location=location, name=data.TOWN_HALL.counters[0])
    for number in range(len(data.TOWN_HALL.counters) + 1, COUNTERS + 1):
        desk, _ = Desk.objects.update_or_create(
            location=location,
            name=str(number),
            defaults={"kind": Desk.Kind.COUNTER, "active": True},
        )
        DeskShift.objects.filter(desk=desk).delete()
        for shift in first.shifts.filter(date__isnull=True):
            copy = DeskShift.objects.create(
                desk=desk, weekday=shift.weekday, starts=shift.starts, ends=shift.ends
            )
            copy.services.set(shift.services.all())
    mark_schedule_changed(location_ids=[location.pk])
    return list(
        Desk.objects.filter(location=location, kind=Desk.Kind.COUNTER, active=True).order_by("pk")
    )


def book_arrivals(location: Location, desks: list[Desk]) -> list[str]:
    """Twenty citizens booked now and in ten minutes, one at each counter,
    so that the kiosks can check them in during the run. Written directly:
    this is set-up, like the booking benchmark's fill."""
    service = Service.objects.get(municipality=location.municipality, slug=CHECKIN_SERVICE)
    Booking.objects.filter(phone__startswith=CHECKIN_PHONE_PREFIX).delete()
    now = clock.local_now().replace(second=0, microsecond=0)
    first = now - timedelta(minutes=now.minute % service.duration_minutes)
    rows = []
    for step in range(2):
        start = first + timedelta(minutes=step * service.duration_minutes)
        for desk in desks:
            rows.append(
                Booking(
                    code=new_booking_code(),
                    token="bench",
                    location=location,
                    service=service,
                    desk=desk,
                    start=start,
                    end=start + timedelta(minutes=service.duration_minutes),
                    name="Bench Borger",
                    phone=f"{CHECKIN_PHONE_PREFIX}{len(rows):04d}",
                    language="da",
                    channel=Booking.Channel.WEB,
                )
            )
    Booking.objects.bulk_create(rows)
    return [row.code for row in rows]


def open_sessions() -> dict[str, list[str]]:
    """Session keys for the desks, staff, displays and kiosks, as if each had
    signed in before opening (staff sign in before the doors open; a
    password check costs PBKDF2's 1,000,000 rounds, ~0.35 s of CPU, which
    is not what a release morning is about)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    sessions: dict[str, list[str]] = {}
    for kind, count, username in SIGNED_IN:
        keys = []
        for _ in range(count):
            session = store()
            if username is not None:
                user = User.objects.get(username=username)
                session[auth.SESSION_KEY] = str(user.pk)
                # The configured password backend: a session naming one the
                # settings do not list is anonymous.
                session[auth.BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
                session[auth.HASH_SESSION_KEY] = user.get_session_auth_hash()
            else:
                device = Device.objects.get(
                    token_hash=devices.hash_token(data.DEMO_DEVICE_TOKENS[kind])
                )
                session[devices.SESSION_KEY] = device.pk
                session.set_expiry(devices.SESSION_SECONDS)
            session.save()
            keys.append(str(session.session_key))
        sessions[kind] = keys
    return sessions


def pick_races(location: Location) -> list[dict[str, str]]:
    service = Service.objects.get(municipality=location.municipality, slug=RACE_SERVICE)
    slots = find_slots(
        location=location,
        service=service,
        first_day=clock.today(),
        last_day=clock.today() + timedelta(days=14),
        policy=Policy.for_citizens(location),
    )
    return [
        {"service": RACE_SERVICE, "start": slot.local_start.isoformat(), "free": slot.capacity}
        for slot in slots[:RACES]
    ]


def prepare(plan: Path) -> None:
    location = Location.objects.select_related("municipality").get(slug=LOCATION)
    desks = add_counters(location)
    codes = book_arrivals(location, desks)
    plan.write_text(
        json.dumps(
            {
                "location": LOCATION,
                "today": clock.today().isoformat(),
                "desks": [desk.pk for desk in desks],
                "checkin_codes": codes,
                "races": pick_races(location),
                "sessions": open_sessions(),
            },
            indent=2,
        )
    )


def double_booked_desks() -> int:
    """Pairs of occupying bookings on one desk that overlap in time."""
    occupying = [str(status) for status in Booking.OCCUPYING]
    marks = ", ".join(["%s"] * len(occupying))
    table = Booking._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {table} a JOIN {table} b"  # noqa: S608 - our own names
            " ON a.desk_id = b.desk_id AND a.id < b.id"
            ' AND a.start < b."end" AND b.start < a."end"'
            f" WHERE a.status IN ({marks}) AND b.status IN ({marks})",
            [*occupying, *occupying],
        )
        return int(cursor.fetchone()[0])


def check_race(location: Location, race: dict[str, str]) -> dict[str, object]:
    service = Service.objects.get(municipality=location.municipality, slug=race["service"])
    start = datetime.fromisoformat(race["start"])
    end = start + timedelta(minutes=service.duration_minutes)
    day = start.date()
    policy = Policy.for_staff(location)

    def desks_at(*, count_bookings: bool) -> tuple[int, ...]:
        slots = find_slots(
            location=location,
            service=service,
            first_day=day,
            last_day=day,
            policy=policy,
            count_bookings=count_bookings,
        )
        return next((slot.desks for slot in slots if slot.start == start), ())

    # The desks that serve the errand then (the capacity), and those still free.
    serving = desks_at(count_bookings=False)
    capacity, free = len(serving), len(desks_at(count_bookings=True))
    overlapping = Booking.objects.filter(
        location=location, status__in=Booking.OCCUPYING, start__lt=end, end__gt=start
    )
    # Serving desks taken at the time, by this errand or another that
    # overlaps it (a telephone meeting on a phone line is not one of them).
    booked = overlapping.filter(desk__in=serving).values("desk").distinct().count()
    return {
        "start": race["start"],
        "capacity": capacity,
        "booked": booked,
        "booked_for_errand": overlapping.filter(service=service, start=start).count(),
        "free_after": free,
        "full_exactly": booked == capacity and free == 0,
    }


def check(plan: Path) -> None:
    races = json.loads(plan.read_text())["races"]
    location = Location.objects.select_related("municipality").get(slug=LOCATION)
    result = {
        "races": [check_race(location, race) for race in races],
        "double_booked_desks": double_booked_desks(),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    command, path = sys.argv[1], Path(sys.argv[2])
    {"prepare": prepare, "check": check}[command](path)
