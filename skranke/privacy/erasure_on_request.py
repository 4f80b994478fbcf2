"""Erasing one citizen's personal data at their request, before the
retention period is over: the same blanking as the retention job
(erasure.py), applied to the rows found for them (access_request.py).
Which of those rows each kind erases, the app that holds it declares
(core/personal_data_registry.py).

Where the law allows: a booking still to come (today or later) is left as
it is; the citizen cancels it first, or it would be kept without a name or
number to call. Its messages and contacts stay with it. A message still on
its way keeps its recipient, as in the retention job. The erasure itself is
recorded: an ErasureRequest (who, when, why, how many) and a row in the
access log for each booking erased.
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from skranke.access_log.models import AccessRecord
from skranke.access_log.recording import record_access
from skranke.accounts.models import User
from skranke.core.personal_data_registry import Erasing, registered_personal_data
from skranke.privacy.access_request import CitizenData
from skranke.privacy.erasure import erase_rows, report_order
from skranke.privacy.models import ErasureRequest


@dataclass(frozen=True)
class ErasureOutcome:
    request: ErasureRequest
    erased: dict[str, int]
    # The bookings left alone: still to come.
    kept: list[Any]


def rows_kept(*, data: CitizenData) -> list[Any]:
    """The rows found that may not be erased yet (the bookings still to
    come), as the kinds that hold them declare."""
    return [
        row
        for declared in registered_personal_data()
        if declared.kept_on_request is not None
        for row in declared.kept_on_request(data.rows_of(declared.kind))
    ]


def erase_citizen(*, data: CitizenData, booking_ids: frozenset[int]) -> dict[str, int]:
    """Blank the personal fields of the rows found as the retention job
    does: of the bookings `booking_ids`, and of what is about them or about
    no booking. How many rows of each kind, in the order of the retention
    job's report. The caller holds a transaction."""
    erased: dict[str, int] = {}
    for declared in sorted(registered_personal_data(), key=report_order):
        if declared.on_request is None:
            continue
        erasing = Erasing(rows=data.rows_of(declared.kind), booking_ids=booking_ids)
        ids = list(declared.on_request(erasing))
        rows = declared.model._default_manager.filter(pk__in=ids)
        erased[declared.kind] = erase_rows(data=declared, rows=rows) if ids else 0
    return erased


def erase_citizen_data(*, user: User, data: CitizenData, reason: str) -> ErasureOutcome:
    """Erase what may be erased of `data` (found for `user`, who may erase),
    and record it. The reason is required (the form checks it)."""
    if user.municipality_id is None:
        raise PermissionDenied
    kept = rows_kept(data=data)
    bookings = [booking for booking in data.bookings if booking not in kept]
    with transaction.atomic():
        erased = erase_citizen(data=data, booking_ids=frozenset(booking.pk for booking in bookings))
        request = ErasureRequest.objects.create(
            user=user,
            actor_name=user.get_username(),
            municipality_id=user.municipality_id,
            reason=reason,
            counts=erased,
            refused=len(kept),
        )
        record_access(actor=user, action=AccessRecord.Action.ERASED_ON_REQUEST, booking=bookings)
    return ErasureOutcome(request=request, erased=erased, kept=kept)
