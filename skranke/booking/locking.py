"""The locks every capacity-using write takes, always in this order:

0. the request's Idempotency-Key, when it has one, so that a retry waits
   for the first attempt and then returns its booking;
1. the citizen (their phone number and e-mail address), so that two
   requests for the same person cannot both pass the limits;
2. the location's capacity on the day being booked, so that two requests
   for the same day cannot both find the same desk free. Bookings of every
   service share the desks, so the lock covers them all; other days and
   other locations book in parallel.

On PostgreSQL these are advisory transaction locks, released at commit or
rollback. SQLite takes the whole database's write lock when a transaction
starts (transaction_mode=IMMEDIATE in settings), which already serialises
writers. Both must be called inside transaction.atomic(): outside one, a
PostgreSQL lock would be released as soon as it was taken, so calling them
there raises TransactionManagementError on either database.

On PostgreSQL taking them also sets the transaction's lock_timeout
(BOOKING_LOCK_TIMEOUT_SECONDS), for every lock it waits for until it ends,
row locks included: a holder that is stuck (a slow disk, a paused process)
makes the others give up after seconds instead of holding every booking of
the day until the app server's timeout. Giving up raises OperationalError,
which is_lock_timeout() recognises; the booking functions answer it as a
lost race (booking.py).
"""

import hashlib
from datetime import date

import psycopg.errors
from django.conf import settings
from django.db import OperationalError, connection
from django.db.transaction import TransactionManagementError

from skranke.core.models import Location


def _advisory_key(identity: str) -> int:
    # A stable signed 64-bit key; Python's hash() differs between processes.
    digest = hashlib.blake2b(identity.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _advisory_locks(identities: list[str]) -> None:
    """Take the locks one after the other, in the order given, in a single
    round trip (after the one that sets the timeout): unnest() hands the
    keys over in array order."""
    if not connection.in_atomic_block:
        raise TransactionManagementError(
            "The booking locks are held until the transaction ends: take them inside"
            " transaction.atomic()."
        )
    if connection.vendor == "postgresql":
        milliseconds = round(settings.BOOKING_LOCK_TIMEOUT_SECONDS * 1000)
        with connection.cursor() as cursor:
            # set_config(…, true) is SET LOCAL: it ends with the transaction,
            # so a pooled connection goes back without it.
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [f"{milliseconds}ms"])
            cursor.execute(
                "SELECT pg_advisory_xact_lock(key) FROM unnest(%s::bigint[]) AS key",
                [[_advisory_key(identity) for identity in identities]],
            )


def is_lock_timeout(error: OperationalError) -> bool:
    """Whether `error` is PostgreSQL giving up waiting for a lock
    (lock_timeout, SQLSTATE 55P03). The transaction is then aborted."""
    return isinstance(error.__cause__, psycopg.errors.LockNotAvailable)


def lock_request(*, key: str) -> None:
    """Lock an API request's Idempotency-Key until the transaction ends."""
    _advisory_locks([f"request:{key}"])


def lock_citizen_and_day(
    *, phone: str, email: str, location: Location, day: date, person: str = ""
) -> None:
    """Lock the citizen's identities (phone number, e-mail address, and the
    pseudonym of a citizen signed in with MitID), then the location's desks
    on `day` (a Copenhagen date), until the transaction ends."""
    citizen = sorted(
        {
            f"phone:{phone}",
            *([f"email:{email}"] if email else []),
            *([f"person:{person}"] if person else []),
        }
    )
    _advisory_locks([*citizen, f"capacity:{location.pk}:{day.isoformat()}"])


def lock_days(*, location: Location, days: list[date]) -> None:
    """Lock the location's desks on each of `days`, in date order (the
    order a booking takes its day's lock in), until the transaction ends:
    for changes to the schedule that must not race a booking. Past the
    lock timeout it raises OperationalError (is_lock_timeout)."""
    _advisory_locks([f"capacity:{location.pk}:{day.isoformat()}" for day in sorted(days)])
