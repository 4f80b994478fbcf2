"""Sending what is in the outbox: the worker's job.

Each round claims a batch of the messages that are due in one statement
(waiting → being sent): on PostgreSQL with FOR UPDATE SKIP LOCKED, so that
workers running at once take different messages instead of queueing for
the same ones; SQLite has one writer at a time anyway. The batch is sent
through a small pool of threads per channel (MESSAGE_SENDING_THREADS), so
a slow SMS provider holds up the text messages, not the e-mails, and one
slow answer does not hold up the rest. Each is marked sent, or tried
again later, with exponential backoff and jitter, until the last attempt;
then the message is dead and shows on the managers' page, where it can be
tried again.

A worker killed between claiming and marking leaves the message "being
sent". After SENDING_TIMEOUT it is looked at again: if the provider has
reported on it (its status report carries our id), it went and is marked
sent; otherwise it is sent again. A second copy is thus only possible when
the provider took the message and never reported on it within that time.
"""

import random
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F

from skranke.core import clock
from skranke.notifications.composing import compose_message
from skranke.notifications.message_kinds import message_kind
from skranke.notifications.models import Message
from skranke.notifications.segments import count_segments
from skranke.notifications.transports import DeliveryFailed, transport_for
from skranke.rate_limits.text_messages import may_text, spend_text_budget

BATCH = 50


def deliver_due_messages(*, limit: int = BATCH) -> int:
    """Claim and send the messages that are due, a batch at a time; how
    many were claimed."""
    recover_stalled_messages()
    claimed_at = clock.now()
    claimed = claim_due_messages(now=claimed_at, limit=limit)
    threads = settings.MESSAGE_SENDING_THREADS
    # Inside a transaction (a caller's, or a test's) other threads would not
    # see its rows: sent here, one after another.
    if threads <= 1 or len(claimed) <= 1 or connection.in_atomic_block:
        for message_id, _channel in claimed:
            send_claimed_message(message_id=message_id, claimed_at=claimed_at)
        return len(claimed)
    by_channel: dict[str, list[int]] = defaultdict(list)
    for message_id, channel in claimed:
        by_channel[channel].append(message_id)
    pools = [
        ThreadPoolExecutor(max_workers=min(threads, len(ids)), thread_name_prefix=channel)
        for channel, ids in by_channel.items()
    ]
    try:
        sent = [
            pool.submit(_send_in_thread, message_id=message_id, claimed_at=claimed_at)
            for pool, ids in zip(pools, by_channel.values(), strict=True)
            for message_id in ids
        ]
        for each in sent:
            each.result()  # a failure here is the worker's to log, as before
    finally:
        for pool in pools:
            pool.shutdown(wait=True)
    return len(claimed)


def claim_due_messages(*, now: datetime, limit: int) -> list[tuple[int, str]]:
    """Mark up to `limit` due messages as being sent by this worker, the
    longest due first, skipping those another worker is claiming; their
    ids and channels."""
    with transaction.atomic():
        claimed = _due_for_claiming(now=now, limit=limit)
        if claimed:
            Message.objects.filter(pk__in=[pk for pk, _ in claimed]).update(
                status=Message.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
            )
    return claimed


def _due_for_claiming(*, now: datetime, limit: int) -> list[tuple[int, str]]:
    """The due messages' ids and channels, locked for this transaction."""
    due = Message.objects.filter(status=Message.Status.PENDING, next_attempt_at__lte=now)
    if connection.features.has_select_for_update_skip_locked:
        due = due.select_for_update(skip_locked=True)
    return list(due.order_by("next_attempt_at").values_list("pk", "channel")[:limit])


def deliver_message(*, message_id: int) -> str:
    """Claim, send and record one message; its status afterwards."""
    claimed_at = clock.now()
    won = Message.objects.filter(
        pk=message_id, status=Message.Status.PENDING, next_attempt_at__lte=claimed_at
    ).update(status=Message.Status.SENDING, claimed_at=claimed_at, attempts=F("attempts") + 1)
    if not won:  # another worker has it, or it is no longer waiting
        return Message.objects.get(pk=message_id).status
    return send_claimed_message(message_id=message_id, claimed_at=claimed_at)


def _send_in_thread(*, message_id: int, claimed_at: datetime) -> str:
    try:
        return send_claimed_message(
            message_id=message_id, claimed_at=claimed_at, let_go_while_sending=True
        )
    finally:
        # The pool's thread ends with the batch: its connection goes back.
        connection.close()


def send_claimed_message(
    *, message_id: int, claimed_at: datetime, let_go_while_sending: bool = False
) -> str:
    """Send and record one message claimed at `claimed_at`; its status
    afterwards. `let_go_while_sending`: the thread's database connection
    goes back to the pool while the provider answers, so that a pool's
    threads waiting on a slow provider hold no connection (a worker's
    pool is as small as an app process's)."""
    message = Message.objects.select_related(
        "booking__location", "booking__service", "visit__location", "visit__service"
    ).get(pk=message_id)
    if not _still_wanted(message):
        return _finish(message, claimed_at, status=Message.Status.SKIPPED)
    if message.channel == Message.Channel.SMS:
        if not may_text(phone=message.recipient):
            return _finish(
                message,
                claimed_at,
                status=Message.Status.SKIPPED,
                last_error="Not a Danish number (SMS_TO_FOREIGN_NUMBERS).",
            )
        budget = spend_text_budget()
        if not budget.allowed:  # held for the next hour, the attempt not counted
            return _finish(
                message,
                claimed_at,
                status=Message.Status.PENDING,
                next_attempt_at=budget.resets_at,
                attempts=F("attempts") - 1,
                last_error="Held: this hour's text messages (SMS_PER_HOUR) are used up.",
            )
    composed = compose_message(message=message)
    if let_go_while_sending:
        connection.close()
    try:
        provider_id = transport_for(channel=message.channel).send(
            message=message, composed=composed
        )
    except DeliveryFailed as failure:
        return _failed(message, claimed_at, failure)
    segments = count_segments(composed.body).segments if message.channel == "sms" else 0
    return _finish(
        message,
        claimed_at,
        status=Message.Status.SENT,
        sent_at=clock.now(),
        provider_id=provider_id[:100],
        subject=composed.subject[:200],
        body=message_kind(message.kind).kept_text(composed.body),
        segments=segments,
        last_error="",
    )


def _still_wanted(message: Message) -> bool:
    """Whether a message that waited is still to go, as the app that sends
    it says (a reminder for a booking since cancelled or moved is not)."""
    return message_kind(message.kind).still_wanted(message)


def _finish(message: Message, claimed_at: datetime, *, status: str, **changes: object) -> str:
    # Only the claim that is still current may record: a worker that was
    # presumed dead and comes back must not overwrite a later attempt.
    Message.objects.filter(
        pk=message.pk, status=Message.Status.SENDING, claimed_at=claimed_at
    ).update(status=status, **changes)
    return status


def _failed(message: Message, claimed_at: datetime, failure: DeliveryFailed) -> str:
    if failure.permanent or message.attempts >= settings.MESSAGE_MAX_ATTEMPTS:
        return _finish(message, claimed_at, status=Message.Status.DEAD, last_error=failure.reason)
    return _finish(
        message,
        claimed_at,
        status=Message.Status.PENDING,
        next_attempt_at=clock.now() + retry_delay(attempts=message.attempts),
        last_error=failure.reason[:500],
    )


def retry_delay(*, attempts: int) -> timedelta:
    """Exponential backoff from MESSAGE_RETRY_SECONDS, doubling with each
    attempt up to an hour, with jitter (half to the full delay) so that
    messages failing together do not all come back at once."""
    ceiling = min(settings.MESSAGE_RETRY_SECONDS * 2 ** (attempts - 1), 3600)
    return timedelta(seconds=ceiling * random.uniform(0.5, 1))  # noqa: S311 - not security


def recover_stalled_messages() -> int:
    """Messages claimed by a worker that stopped mid-send: sent if the
    provider has reported on them, otherwise waiting again."""
    stalled = clock.now() - timedelta(seconds=settings.MESSAGE_SENDING_TIMEOUT_SECONDS)
    stuck = Message.objects.filter(status=Message.Status.SENDING, claimed_at__lt=stalled)
    if not stuck.exists():  # the usual case: no write, no lock
        return 0
    with transaction.atomic():
        reported = stuck.exclude(provider_status="").update(
            status=Message.Status.SENT, sent_at=F("claimed_at")
        )
        retried = stuck.filter(provider_status="").update(
            status=Message.Status.PENDING, next_attempt_at=clock.now()
        )
    return reported + retried


# Delivery status reports: GatewayAPI's states, final ones marked.
DELIVERED_STATES = {"DELIVERED", "ACCEPTED"}
UNDELIVERABLE_STATES = {"UNDELIVERABLE", "REJECTED", "EXPIRED", "DELETED", "SKIPPED"}


def record_delivery_status(*, message_id: int, provider_id: str, status: str) -> bool:
    """Record the provider's report on a message (found by the id we gave
    it); whether the message was found. A report can arrive before our own
    record of sending it, and late transient reports are ignored once a
    final one has come."""
    message = Message.objects.filter(pk=message_id).first()
    if message is None:
        return False
    status = status.upper()[:30]
    if message.provider_status in DELIVERED_STATES | UNDELIVERABLE_STATES:
        return True
    changes: dict[str, object] = {"provider_status": status}
    if provider_id and not message.provider_id:
        changes["provider_id"] = provider_id[:100]
    if status in DELIVERED_STATES and message.status == Message.Status.SENT:
        changes["status"] = Message.Status.DELIVERED
    Message.objects.filter(pk=message.pk).update(**changes)
    return True


def retry_message(*, message: Message) -> bool:
    """A manager's "try again" on a dead message; whether it will be. Not
    once retention has erased its recipient and text (privacy/erasure.py)."""
    return bool(
        Message.objects.filter(pk=message.pk, status=Message.Status.DEAD)
        .exclude(recipient="")
        .update(status=Message.Status.PENDING, next_attempt_at=clock.now(), last_error="")
    )
