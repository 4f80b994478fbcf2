"""The worker killed in the middle of a batch and started again: every
message reaches the provider exactly once. The provider reports each
message it takes (as GatewayAPI's status reports do), which is how a
restarted worker knows not to send again what was in flight."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection

from skranke.booking.availability import Policy
from skranke.booking.booking import book_appointment
from skranke.booking.models import Booking
from skranke.core.models import Location, Service
from skranke.notifications.delivery import record_delivery_status
from skranke.notifications.models import Message
from tests.centre import MONDAY, at, citizen
from tests.notifications.fake_gatewayapi import TOKEN, FakeGatewayApi, running_fake_gatewayapi
from tests.real_time import real_timestamp

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = 30


def database_url() -> str:
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    user = database["USER"] or "postgres"
    return f"postgres://{user}@{database['HOST']}:{database['PORT'] or 5432}/{database['NAME']}"


@pytest.fixture
def gateway() -> Iterator[tuple[FakeGatewayApi, str]]:
    with running_fake_gatewayapi() as (fake, url):

        def report(provider_id: int, userref: str) -> None:
            record_delivery_status(
                message_id=int(userref), provider_id=str(provider_id), status="ENROUTE"
            )
            connection.close()  # a thread of the fake provider's server

        fake.on_accept = report
        yield fake, url


def start_worker(url: str) -> subprocess.Popen[str]:
    environment = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DATABASE_URL": database_url(),
        "SKRANKE_CLOCK_START": (MONDAY + timedelta(minutes=1)).isoformat(),
        "SKRANKE_CLOCK_ANCHOR": str(real_timestamp()),  # the worker's real start
        "SMS_TRANSPORT": "gatewayapi",
        "GATEWAYAPI_URL": url,
        "GATEWAYAPI_TOKEN": TOKEN,
        "GATEWAYAPI_WEBHOOK_SECRET": "secret",
        "GATEWAYAPI_TIMEOUT_SECONDS": "2",
        "MESSAGE_SENDING_TIMEOUT_SECONDS": "2",
        "MESSAGE_RETRY_SECONDS": "1",
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--rest", "0.2"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_until(condition, *, seconds: float = 60) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError
        time.sleep(0.05)


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_and_restarted_sends_each_message_once(
    centre: Location, passport: Service, gateway: tuple[FakeGatewayApi, str]
) -> None:
    fake, url = gateway
    for number in range(MESSAGES):
        book_appointment(
            location=centre,
            service=passport,
            start=at(9 + number // 30, 10) + timedelta(minutes=20 * (number % 30 // 2)),
            citizen=citizen(number, sms_consent=True),
            channel=Booking.Channel.WEB,
            policy=Policy.for_staff(centre),
        )
    confirmations = Message.objects.filter(kind="confirmation")
    assert confirmations.count() == MESSAGES

    # The provider holds every request after the first third, so the
    # worker is killed in the middle of its batch however busy the machine.
    fake.hold_after = MESSAGES // 3
    worker = start_worker(url)
    try:
        assert fake.holding.wait(timeout=300), "the worker sent nothing"
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=60)
    finally:
        if worker.poll() is None:
            worker.kill()
        fake.hold_after = None
        fake.released.set()  # the held requests' sender is gone
    cut_at = len(fake.accepted)
    assert cut_at == MESSAGES // 3  # the batch was cut in two

    worker = start_worker(url)
    try:
        wait_until(
            lambda: set(confirmations.values_list("status", flat=True)) == {"sent"}, seconds=300
        )
    finally:
        worker.terminate()
        _, errors = worker.communicate(timeout=20)
    assert worker.returncode == 0, errors
    assert fake.accepted_refs() == {str(pk): 1 for pk in confirmations.values_list("pk", flat=True)}
    print(f"\nkilled after {cut_at} of {MESSAGES}; delivered {len(fake.accepted)}, each once")
