"""Writing the access log: every staff page (and API endpoint) that shows or
changes a citizen's booking, contact or visit calls one function here, in
the same request, after it has read what it shows.

One row per booking seen, so that the data-protection officer can answer
for one citizen; all of a page's rows in one INSERT (bulk_create), so a
day's list of 40 bookings costs one statement, not 40.
"""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Model, Q

from skranke.access_log.models import AccessRecord
from skranke.accounts.models import IntegrationToken, User
from skranke.core import clock
from skranke.core.models import Location

Actor = User | IntegrationToken
# A booking, a contact, a visit or a written inquiry. The log names them (by their rows and a
# booking's code) without knowing the apps that hold them, which stand
# above it and call it; see docs/architecture.md.
Subject = Any
# For the views that record: `record_access(action=Action.VIEWED_BOOKING, …)`.
Action = AccessRecord.Action


def record_access(
    *,
    actor: object,
    action: str,
    booking: Subject | Iterable[Subject] | None = None,
    contact: Subject | None = None,
    visit: Subject | None = None,
    inquiry: Subject | None = None,
    location: Location | None = None,
    once_a_day: bool = False,
) -> int:
    """Note that `actor` did `action` to `booking` (one, or each of many),
    `contact` or `visit`, working at `location` (if the page knows it).
    With `once_a_day`, a booking already noted today for this actor and
    action is left out: a list that refreshes itself every few seconds adds
    nothing to what it said the first time. Returns the number of rows
    written (one INSERT at most)."""
    records = build_records(
        actor=actor,
        action=action,
        booking=booking,
        contact=contact,
        visit=visit,
        inquiry=inquiry,
        location=location,
    )
    return save_records(records=records, once_a_day=once_a_day)


def build_records(
    *,
    actor: object,
    action: str,
    booking: Subject | Iterable[Subject] | None = None,
    contact: Subject | None = None,
    visit: Subject | None = None,
    inquiry: Subject | None = None,
    location: Location | None = None,
) -> list[AccessRecord]:
    """The unsaved rows for one action; a booking list gives one row each."""
    if not isinstance(actor, User | IntegrationToken):
        return []  # not a staff member or a system: nothing to note
    if booking is None or isinstance(booking, Model):
        if booking is None and visit is not None and visit.booking_id is not None:
            booking = visit.booking
        if booking is None and contact is not None and contact.booking_id is not None:
            booking = contact.booking
        if booking is None and inquiry is not None and inquiry.booking_id is not None:
            booking = inquiry.booking
        targets: list[tuple[Subject | None, Subject | None, Subject | None, Subject | None]] = [
            (booking, contact, visit, inquiry)
        ]
    else:
        targets = [(one, None, None, None) for one in booking]
    return [
        AccessRecord(
            user=actor if isinstance(actor, User) else None,
            token=actor if isinstance(actor, IntegrationToken) else None,
            actor_name=_name(actor),
            location=location,
            action=action,
            booking=one_booking,
            booking_code=one_booking.code if one_booking else "",
            contact=one_contact,
            visit=one_visit,
            inquiry=one_inquiry,
        )
        for one_booking, one_contact, one_visit, one_inquiry in targets
    ]


def save_records(*, records: list[AccessRecord], once_a_day: bool = False) -> int:
    """Write `records` in one INSERT, each with its municipality and the
    time from the project's clock."""
    if once_a_day:
        midnight = clock.local_now().replace(hour=0, minute=0, second=0, microsecond=0)
        records = _not_yet_recorded(records, since=midnight)
    records = _with_municipality(records)
    if not records:
        return 0
    now = clock.now()
    for record in records:
        record.at = now
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        AccessRecord.objects.bulk_create(records)
        return len(records)
    # A page that only reads should not wait for a disk flush to note that
    # it was read: PostgreSQL's asynchronous commit for this transaction
    # alone. A crash may lose the last fraction of a second of rows, never
    # corrupt them, and never touches the other writes of the request.
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        AccessRecord.objects.bulk_create(records)
    return len(records)


def _name(actor: Actor) -> str:
    if isinstance(actor, IntegrationToken):
        return f"{actor.name} (integration)"[:150]
    return actor.get_username()


def _not_yet_recorded(records: list[AccessRecord], *, since: datetime) -> list[AccessRecord]:
    """Leave out rows whose actor, action and booking (or written inquiry)
    were noted since `since`."""
    first = records[0] if records else None
    if first is None:
        return records
    by_actor = (
        Q(token_id=first.token_id) if first.token_id is not None else Q(user_id=first.user_id)
    )
    about = Q(booking_id__in={record.booking_id for record in records if record.booking_id}) | Q(
        inquiry_id__in={record.inquiry_id for record in records if record.inquiry_id}
    )
    seen = set(
        AccessRecord.objects.filter(by_actor, about, at__gte=since).values_list(
            "action", "booking_id", "inquiry_id"
        )
    )
    return [
        record
        for record in records
        if (record.action, record.booking_id, record.inquiry_id) not in seen
    ]


def _with_municipality(records: list[AccessRecord]) -> list[AccessRecord]:
    """Set each row's municipality: the actor's own (staff see no other),
    or, for the installation's superusers, the municipality of what they
    saw. A row whose municipality cannot be told is not written."""
    known = {
        id(record): _actor_municipality(record) or _target_municipality(record)
        for record in records
    }
    missing = {_target_location_id(record) for record in records if known[id(record)] is None}
    if missing - {None}:
        found = dict(
            Location.objects.filter(pk__in=missing - {None}).values_list("pk", "municipality_id")
        )
        for record in records:
            if known[id(record)] is None:
                known[id(record)] = found.get(_target_location_id(record) or 0)
    written = []
    for record in records:
        municipality_id = known[id(record)]
        if municipality_id is not None:
            record.municipality_id = municipality_id
            written.append(record)
    return written


def _actor_municipality(record: AccessRecord) -> int | None:
    if record.token is not None:
        return record.token.municipality_id
    return record.user.municipality_id if record.user is not None else None


def _target_municipality(record: AccessRecord) -> int | None:
    if record.location is not None:
        return record.location.municipality_id
    if record.contact is not None:
        return record.contact.municipality_id
    if record.inquiry is not None:
        return record.inquiry.municipality_id
    return None


def _target_location_id(record: AccessRecord) -> int | None:
    if record.booking is not None:
        return record.booking.location_id
    if record.visit is not None:
        return record.visit.location_id
    return None
