"""The outbox sends in batches: workers running at once claim different
messages (PostgreSQL's SKIP LOCKED), and a slow SMS provider does not hold
up the e-mails of the same batch (skranke/notifications/delivery.py)."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection
from django.test import override_settings

from skranke.core import clock
from skranke.notifications import delivery
from skranke.notifications.composed import Composed
from skranke.notifications.models import Message
from tests.races import meet_after

WORKERS = 2


def due_messages(count: int, *, channel: str = Message.Channel.SMS) -> list[int]:
    now = clock.now()
    return [
        Message.objects.create(
            kind=Message.Kind.NUMBER_TAKES_NO_TEXTS,
            channel=channel,
            recipient=f"+452000{number:04d}" if channel == "sms" else f"b{number}@example.dk",
            language="da",
            due_at=now - timedelta(minutes=1),
            next_attempt_at=now - timedelta(minutes=1),
        ).pk
        for number in range(count)
    ]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_at_once_take_different_messages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED is PostgreSQL's")
    due = due_messages(20)
    # Each worker looks at the due messages, and waits until both have
    # looked before either marks its own: without the lock both would see
    # the same ten and send them twice.
    meet_after(monkeypatch, delivery, "_due_for_claiming", racers=WORKERS)
    start = threading.Barrier(WORKERS)

    def claim(_: int) -> list[int]:
        connection.ensure_connection()
        start.wait()
        try:
            return [pk for pk, _ in delivery.claim_due_messages(now=clock.now(), limit=10)]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        first, second = pool.map(claim, range(WORKERS))

    assert not set(first) & set(second)
    assert sorted(first + second) == sorted(due)
    assert set(Message.objects.values_list("status", "attempts")) == {(Message.Status.SENDING, 1)}


class Transports:
    """Stand-ins for the providers: the SMS provider answers only once
    every e-mail of the batch has gone (or after a minute)."""

    def __init__(self, emails: int) -> None:
        self.emails_left = emails
        self.emails_gone = threading.Event()
        self.sms_waited_for_nothing: list[bool] = []
        self.lock = threading.Lock()

    def send_email(self, *, message: Message, composed: Composed) -> str:
        with self.lock:
            self.emails_left -= 1
            if self.emails_left == 0:
                self.emails_gone.set()
        return f"email-{message.pk}"

    def send_sms(self, *, message: Message, composed: Composed) -> str:
        self.sms_waited_for_nothing.append(self.emails_gone.wait(timeout=60))
        return f"sms-{message.pk}"


@pytest.mark.django_db(transaction=True)
def test_a_slow_sms_provider_does_not_hold_up_the_emails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The text messages first in the queue, the e-mails behind them.
    texts = due_messages(4)
    emails = due_messages(3, channel=Message.Channel.EMAIL)
    Message.objects.filter(pk__in=emails).update(next_attempt_at=clock.now())
    fakes = Transports(emails=len(emails))

    class Fake:
        def __init__(self, channel: str) -> None:
            self.channel = channel

        def send(self, *, message: Message, composed: Composed) -> str:
            if self.channel == "sms":
                return fakes.send_sms(message=message, composed=composed)
            return fakes.send_email(message=message, composed=composed)

    monkeypatch.setattr(delivery, "transport_for", lambda *, channel: Fake(channel))
    monkeypatch.setattr(
        delivery, "compose_message", lambda *, message: Composed(subject="Emne", body="Tekst")
    )
    with override_settings(MESSAGE_SENDING_THREADS=2):
        assert delivery.deliver_due_messages() == len(texts) + len(emails)

    # Every text message waited only as long as the e-mails took.
    assert fakes.sms_waited_for_nothing == [True] * len(texts)
    assert set(Message.objects.values_list("status", flat=True)) == {Message.Status.SENT}
