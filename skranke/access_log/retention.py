"""The one way rows leave the access log: when they are older than the
municipality's retention period for it (privacy/models.py,
access_log_days). Nothing else deletes a row; the models and their
querysets refuse.

Sign-in events (models.SignInEvent) are part of the log and go with the
same period. Those that belong to no municipality (an unknown user name, a
superuser without one) go with the shortest period of any municipality:
every municipality's call takes them too, so the earliest cutoff wins."""

from datetime import datetime

from django.db import models
from django.db.models import Q

from skranke.access_log.models import AccessRecord, SignInEvent

BATCH = 5000


def erase_access_records(*, municipality_id: int, older_than: datetime) -> int:
    """Delete up to BATCH of the municipality's rows written before
    `older_than`, and up to BATCH of its sign-in events (with those of no
    municipality); the number deleted (call again until it is 0)."""
    due = AccessRecord.objects.filter(
        municipality_id=municipality_id, at__lt=older_than
    ).values_list("pk", flat=True)[:BATCH]
    # The plain QuerySet's delete: the log's querysets refuse on purpose.
    deleted, _by_model = models.QuerySet.delete(AccessRecord.objects.filter(pk__in=list(due)))
    events = SignInEvent.objects.filter(
        _sign_in_events_of(municipality_id), at__lt=older_than
    ).values_list("pk", flat=True)[:BATCH]
    erased, _by_model = models.QuerySet.delete(SignInEvent.objects.filter(pk__in=list(events)))
    return deleted + erased


def count_access_records(*, cutoffs: dict[int, datetime]) -> int:
    """How many rows (sign-in events too) erase_access_records would take
    with these cutoffs, by municipality id."""
    records = Q(pk__in=[])
    events = Q(pk__in=[])
    for municipality_id, cutoff in cutoffs.items():
        records |= Q(municipality_id=municipality_id, at__lt=cutoff)
        events |= _sign_in_events_of(municipality_id) & Q(at__lt=cutoff)
    return AccessRecord.objects.filter(records).count() + SignInEvent.objects.filter(events).count()


def _sign_in_events_of(municipality_id: int) -> Q:
    return Q(municipality_id=municipality_id) | Q(municipality__isnull=True)
