"""The phone system's call records, as they come in: a CallRecord is one
checked call, and record_calls is the one way they are written, whether
they come from a CSV file (call_import.py) or over the API.

Recording is idempotent on the phone system's call id: a call recorded
again is counted as already there and changes nothing, so a file can be
imported twice and a post retried without harm."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from django.db import transaction
from django.db.models import Field
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from skranke.contact_centre.models import Call
from skranke.core import clock
from skranke.core.models import Municipality

TEXT_LIMIT = 100  # the call id, queue and agent columns
# The existing call ids are looked up this many at a time: well inside
# SQLite's oldest limit of 999 parameters to a statement.
LOOKUP_CHUNK = 500


class InvalidCallRecord(ValueError):
    def __init__(self, message: str | Promise, *, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True, slots=True)
class CallRecord:
    """One call as the phone system saw it. Made only if it is consistent
    (else InvalidCallRecord), so what record_calls gets is always valid;
    the database's check constraint is the backstop."""

    call_id: str
    offered_at: datetime
    answered_at: datetime | None = None
    ended_at: datetime | None = None
    abandoned: bool = False
    queue: str = ""
    agent: str = ""

    def __post_init__(self) -> None:
        if not self.call_id:
            raise InvalidCallRecord(_("The call id is missing."), field="call_id")
        for field, value in (
            ("call_id", self.call_id),
            ("queue", self.queue),
            ("agent", self.agent),
        ):
            if len(value) > TEXT_LIMIT:
                label = cast("Field[Any, Any]", Call._meta.get_field(field)).verbose_name
                raise InvalidCallRecord(
                    _("The %(field)s is longer than %(limit)d characters.")
                    % {"field": label, "limit": TEXT_LIMIT},
                    field=field,
                )
        for field, moment in (
            ("offered_at", self.offered_at),
            ("answered_at", self.answered_at),
            ("ended_at", self.ended_at),
        ):
            if moment is None:
                continue
            if moment.utcoffset() is None:
                # The callers make every time aware; a naive one is a bug.
                raise ValueError(f"{field} must be an aware datetime")
            try:
                # Stored in UTC: a time at the calendar's very edge
                # (9999-12-31 23:00 -05:00) has no UTC moment.
                moment.astimezone(UTC)
            except OverflowError:
                raise InvalidCallRecord(
                    _("This time is outside the calendar."), field=field
                ) from None
        if self.answered_at is not None:
            if self.answered_at < self.offered_at:
                raise InvalidCallRecord(
                    _("The call was answered before it was offered."), field="answered_at"
                )
            if self.abandoned:
                raise InvalidCallRecord(
                    _("The call is marked abandoned but was answered."), field="abandoned"
                )
        if self.ended_at is not None:
            if self.answered_at is not None and self.ended_at < self.answered_at:
                raise InvalidCallRecord(
                    _("The call ended before it was answered."), field="ended_at"
                )
            if self.ended_at < self.offered_at:
                raise InvalidCallRecord(
                    _("The call ended before it was offered."), field="ended_at"
                )


@dataclass(frozen=True)
class RecordedCalls:
    created: int
    existing: int


def record_calls(*, municipality: Municipality, calls: Sequence[CallRecord]) -> RecordedCalls:
    """Write the calls that are new for `municipality`, in one transaction.
    A call id already recorded, or repeated in `calls`, counts as existing
    (the first of the repeats is kept). Pass a batch (the API takes up to
    1,000 calls a request; the CSV import passes 1,000 at a time), not a
    whole year: the transaction is held while they are written."""
    unique: dict[str, CallRecord] = {}
    for call in calls:
        unique.setdefault(call.call_id, call)
    ids = list(unique)
    now = clock.now()
    with transaction.atomic():
        # Two imports of overlapping files at the same moment would both find
        # a call new and both count it as created: the second waits here for
        # the first to commit. FOR NO KEY UPDATE, so that rows referring to
        # the municipality can still be written meanwhile. (SQLite takes its
        # whole write lock when the transaction starts.)
        list(
            Municipality.objects.select_for_update(no_key=True)
            .filter(pk=municipality.pk)
            .values_list("pk", flat=True)
        )
        existing: set[str] = set()
        for start in range(0, len(ids), LOOKUP_CHUNK):
            existing.update(
                Call.objects.filter(
                    municipality=municipality, call_id__in=ids[start : start + LOOKUP_CHUNK]
                ).values_list("call_id", flat=True)
            )
        new = [
            Call(
                municipality=municipality,
                call_id=call.call_id,
                queue=call.queue,
                offered_at=call.offered_at,
                answered_at=call.answered_at,
                ended_at=call.ended_at,
                abandoned=call.abandoned,
                agent=call.agent,
                created_at=now,
            )
            for call_id, call in unique.items()
            if call_id not in existing
        ]
        # Under the lock no call of the batch can have come in since the
        # look-up; should one come by another way all the same, it is kept
        # as it is rather than failing the whole batch.
        Call.objects.bulk_create(new, ignore_conflicts=True)
    return RecordedCalls(created=len(new), existing=len(calls) - len(new))
