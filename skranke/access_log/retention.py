"""The one way rows leave the access log: when they are older than the
municipality's retention period for it (privacy/models.py,
access_log_days). Nothing else deletes a row; the model and its queryset
refuse."""

from datetime import datetime

from django.db import models

from skranke.access_log.models import AccessRecord

BATCH = 5000


def erase_access_records(*, municipality_id: int, older_than: datetime) -> int:
    """Delete up to BATCH of the municipality's rows written before
    `older_than`; the number deleted (call again until it is 0)."""
    due = AccessRecord.objects.filter(
        municipality_id=municipality_id, at__lt=older_than
    ).values_list("pk", flat=True)[:BATCH]
    # The plain QuerySet's delete: AccessRecordQuerySet refuses on purpose.
    deleted, _by_model = models.QuerySet.delete(AccessRecord.objects.filter(pk__in=list(due)))
    return deleted
