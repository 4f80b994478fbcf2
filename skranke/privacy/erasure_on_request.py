"""Erasing one citizen's personal data at their request, before the
retention period is over: the same blanking as the retention job
(erasure.py's PERSONAL_DATA), applied to the rows found for them
(access_request.py).

Where the law allows: a booking still to come (today or later) is left as
it is; the citizen cancels it first, or it would be kept without a name or
number to call. Its messages and contacts stay with it. A message still on
its way keeps its recipient, as in the retention job. The erasure itself is
recorded: an ErasureRequest (who, when, why, how many) and a row in the
access log for each booking erased.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from skranke.access_log.models import AccessRecord
from skranke.access_log.recording import record_access
from skranke.accounts.models import User
from skranke.booking.models import Booking, BookingRequest
from skranke.contact_centre.models import Contact
from skranke.core import clock
from skranke.notifications.models import Message
from skranke.privacy.access_request import CitizenData
from skranke.privacy.erasure import PERSONAL_DATA
from skranke.privacy.models import ErasureRequest
from skranke.surveys.models import Invitation

ERASED = {data.kind: data.erased for data in PERSONAL_DATA}


@dataclass(frozen=True)
class ErasureOutcome:
    request: ErasureRequest
    erased: dict[str, int]
    # The bookings left alone: still to come.
    kept: list[Booking]


def bookings_still_to_come(*, bookings: Iterable[Booking]) -> list[Booking]:
    """The bookings that may not be erased yet: not cancelled, and booked
    for today or later (Copenhagen's day)."""
    today = clock.local_now().date()
    return [
        booking
        for booking in bookings
        if booking.status != Booking.Status.CANCELLED
        and booking.start.astimezone(clock.LOCAL_ZONE).date() >= today
    ]


def erase_citizen(
    *,
    bookings: list[Booking],
    messages: list[Message],
    contacts: list[Contact],
    invitations: list[Invitation],
) -> dict[str, int]:
    """Blank the personal fields of the given rows as the retention job
    does; how many rows of each kind. The caller has left out what may not
    be erased and holds a transaction."""
    booking_ids = [booking.pk for booking in bookings]
    return {
        "bookings": _blank(Booking, ids=booking_ids),
        "booking_requests": BookingRequest.objects.filter(booking_id__in=booking_ids).delete()[0],
        "survey_invitations": _blank(Invitation, ids=[row.pk for row in invitations]),
        "contact_notes": _blank(Contact, ids=[row.pk for row in contacts]),
        "messages": _blank(Message, ids=[row.pk for row in messages]),
    }


def erase_citizen_data(*, user: User, data: CitizenData, reason: str) -> ErasureOutcome:
    """Erase what may be erased of `data` (found for `user`, who may erase),
    and record it. The reason is required (the form checks it)."""
    if user.municipality_id is None:
        raise PermissionDenied
    kept = bookings_still_to_come(bookings=data.bookings)
    kept_ids = {booking.pk for booking in kept}
    bookings = [booking for booking in data.bookings if booking.pk not in kept_ids]
    erasable_ids = {booking.pk for booking in bookings}

    def free(row: Message | Contact | Invitation) -> bool:
        return row.booking_id is None or row.booking_id in erasable_ids

    on_its_way = {Message.Status.HELD, *Message.OPEN}
    messages = [row for row in data.messages if free(row) and row.status not in on_its_way]
    with transaction.atomic():
        erased = erase_citizen(
            bookings=bookings,
            messages=messages,
            contacts=[row for row in data.contacts if free(row)],
            invitations=[row for row in data.invitations if free(row)],
        )
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


def _blank(model: type[models.Model], *, ids: list[int]) -> int:
    kind = _KINDS[model]
    values: Mapping[str, object | Callable[[Any], object]] | None = ERASED[kind]
    if not ids or values is None:
        return 0
    rows = model._default_manager.filter(pk__in=ids)
    if not any(callable(value) for value in values.values()):
        return rows.update(**values)
    # A unique column (the invitation's token): a value per row.
    changed = list(rows)
    for row in changed:
        for name, value in values.items():
            setattr(row, name, value(row) if callable(value) else value)
    model._default_manager.bulk_update(changed, list(values))
    return len(changed)


_KINDS: dict[type[models.Model], str] = {
    Booking: "bookings",
    Invitation: "survey_invitations",
    Contact: "contact_notes",
    Message: "messages",
}
