"""Messages that can no longer be of use are given up.

A message waits in the outbox while it is held (a "your turn is soon"
until the queue says so) or pending (due, or tried again later). Normally
it goes within minutes, or is given up after MESSAGE_MAX_ATTEMPTS. But a
held message whose visit was never closed, or one put off again and again
(the hour's text budget spent), would keep its recipient without bound:
the retention period counts from sending, and it never goes. Past
MESSAGE_GIVE_UP_HOURS after it was due no message is worth sending (the
reminder's time has passed, the queue has closed), so it is marked
skipped, and its recipient then goes with every other message's
(personal_data.py)."""

from datetime import timedelta

from django.conf import settings

from skranke.core import clock
from skranke.notifications.models import Message


def give_up_late_messages() -> int:
    """The worker's job: mark skipped every held or pending message due
    more than MESSAGE_GIVE_UP_HOURS ago. How many."""
    cutoff = clock.now() - timedelta(hours=settings.MESSAGE_GIVE_UP_HOURS)
    return Message.objects.filter(
        status__in=[Message.Status.HELD, Message.Status.PENDING], due_at__lt=cutoff
    ).update(status=Message.Status.SKIPPED, last_error="Too late to send: given up.")
