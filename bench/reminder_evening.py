"""A reminder evening: every booking of tomorrow reminded by text message
at once, sent by the worker's outbox job on PostgreSQL to a stand-in for
GatewayAPI that takes 30 ms to answer each message (a provider's round
trip), as `run_worker` sends them: batches of 50 claimed at a time, sent
by MESSAGE_SENDING_THREADS threads per channel.

The ceiling, in the same run: the same number of requests posted to the
stand-in by as many threads with nothing else done (no outbox, no
database). Reported: messages a second, sent one at a time (1 thread, the
worker before) and 4 at a time, each against the ceiling.

    .venv/bin/python -m bench.reminder_evening
"""

import json
import os
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup()

import requests
from django.test import override_settings

from bench.booking import build_centre, fill, prepare_database
from skranke.booking.models import Booking
from skranke.core import clock
from skranke.notifications.delivery import deliver_due_messages
from skranke.notifications.models import Message
from tests.notifications.fake_gatewayapi import TOKEN, running_fake_gatewayapi

RESULTS = Path(__file__).resolve().parent / "results"
REMINDERS = 2000
PROVIDER_SECONDS = 0.03


def reminders_due(bookings: list[Booking]) -> None:
    Message.objects.filter(booking__location__slug="bench").delete()
    now = clock.now()
    Message.objects.bulk_create(
        Message(
            booking=booking,
            kind=Message.Kind.REMINDER,
            channel=Message.Channel.SMS,
            recipient=booking.phone,
            language="da",
            due_at=now - timedelta(seconds=1),
            next_attempt_at=now - timedelta(seconds=1),
        )
        for booking in bookings
    )


def outbox_rate(*, threads: int, url: str) -> dict[str, float]:
    with override_settings(
        MESSAGE_SENDING_THREADS=threads,
        SMS_TRANSPORT="gatewayapi",
        GATEWAYAPI_URL=url,
        GATEWAYAPI_TOKEN=TOKEN,
        SMS_PER_HOUR=1_000_000,
    ):
        started = time.perf_counter()
        while deliver_due_messages():
            pass
        seconds = time.perf_counter() - started
    sent = Message.objects.filter(
        booking__location__slug="bench", status=Message.Status.SENT
    ).count()
    return {"sent": sent, "seconds": round(seconds, 2), "per_second": round(sent / seconds, 1)}


def ceiling_rate(*, threads: int, url: str) -> float:
    session = requests.Session()

    def post(number: int) -> None:
        session.post(
            url,
            json={"recipients": [{"msisdn": 4530000000 + number}], "message": "Påmindelse"},
            auth=(TOKEN, ""),
            timeout=10,
        ).raise_for_status()

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(post, range(REMINDERS)))
    return round(REMINDERS / (time.perf_counter() - started), 1)


def main() -> None:
    prepare_database()
    location, service = build_centre()
    fill(location, service, 0.95)
    bookings = list(Booking.objects.filter(location=location).order_by("start")[:REMINDERS])
    result: dict[str, object] = {"reminders": len(bookings), "provider_ms": PROVIDER_SECONDS * 1000}
    with running_fake_gatewayapi() as (fake, url):
        fake.delay_seconds = PROVIDER_SECONDS
        for threads in (1, 4):
            reminders_due(bookings)
            outbox = outbox_rate(threads=threads, url=url)
            ceiling = ceiling_rate(threads=threads, url=url)
            result[f"{threads} at a time"] = outbox | {
                "ceiling_per_second": ceiling,
                "ratio": round(outbox["per_second"] / ceiling, 2),
            }
            print(json.dumps({threads: result[f"{threads} at a time"]}), flush=True)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "reminder_evening.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
