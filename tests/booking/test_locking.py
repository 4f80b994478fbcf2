"""The booking locks: taken only inside a transaction, and on PostgreSQL
given up after the lock timeout, which the citizen hears as a lost race
(409), never as an error. Real threads on real connections."""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError
from django.test import override_settings

from skranke.booking.availability import Policy
from skranke.booking.booking import book_appointment, reschedule_appointment
from skranke.booking.errors import SlotTaken
from skranke.booking.locking import lock_citizen_and_day, lock_days, lock_request
from skranke.booking.models import Booking
from skranke.core.models import Location, Service
from tests.centre import at, citizen

pytestmark = pytest.mark.django_db(transaction=True)

# How long the holder holds at most, should the lock timeout not work: the
# booking under test then waits for the holder instead of giving up.
HOLD_AT_MOST_SECONDS = 30


def book(centre: Location, service: Service, number: int) -> Booking:
    return book_appointment(
        location=centre,
        service=service,
        start=at(8, 10),
        citizen=citizen(number),
        channel=Booking.Channel.WEB,
        policy=Policy.for_citizens(centre),
    )


def test_the_locks_refuse_to_be_taken_outside_a_transaction(centre: Location) -> None:
    # Outside a transaction PostgreSQL would release each lock as soon as it
    # was taken; a programming error on either database.
    day = at(8, 10).date()
    assert not connection.in_atomic_block
    with pytest.raises(TransactionManagementError, match=r"transaction\.atomic"):
        lock_request(key="retry-1")
    with pytest.raises(TransactionManagementError):
        lock_citizen_and_day(phone="+4520000001", email="", location=centre, day=day)
    with pytest.raises(TransactionManagementError):
        lock_days(location=centre, days=[day])
    with transaction.atomic():
        lock_citizen_and_day(phone="+4520000001", email="", location=centre, day=day)


@contextmanager
def held_elsewhere(take: Callable[[], None]) -> Iterator[threading.Thread]:
    """Run `take` in a transaction on another thread's connection and hold
    what it locks until the block ends (a stuck holder)."""
    holding, release = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def hold() -> None:
        try:
            with transaction.atomic():
                take()
                holding.set()
                release.wait(timeout=HOLD_AT_MOST_SECONDS)
        except BaseException as error:
            failures.append(error)
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert holding.wait(timeout=10), failures
        yield holder
    finally:
        release.set()
        holder.join()
    assert not failures


@pytest.fixture
def postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")


@pytest.mark.postgres_only
@override_settings(BOOKING_LOCK_TIMEOUT_SECONDS=0.2)
def test_a_booking_behind_a_stuck_holder_of_its_day_is_told_the_time_was_taken(
    postgresql: None, centre: Location, passport: Service
) -> None:
    day = at(8, 10).date()
    with held_elsewhere(
        lambda: lock_days(location=centre, days=[day])  # e.g. a rota being applied
    ) as holder:
        with pytest.raises(SlotTaken):
            book(centre, passport, 1)
        assert holder.is_alive()  # refused while the holder still held the day
    assert not Booking.objects.exists()
    assert book(centre, passport, 1).code  # the day free again, the booking goes


@pytest.mark.postgres_only
@override_settings(BOOKING_LOCK_TIMEOUT_SECONDS=0.2)
def test_a_move_behind_a_stuck_holder_of_the_booking_is_told_the_time_was_taken(
    postgresql: None, centre: Location, passport: Service
) -> None:
    booking = book(centre, passport, 1)
    # A row lock, not one of locking.py's: the timeout covers the rest of
    # the transaction too.
    with held_elsewhere(
        lambda: Booking.objects.select_for_update().filter(pk=booking.pk).exists()
    ) as holder:
        with pytest.raises(SlotTaken):
            reschedule_appointment(
                booking=booking, start=at(9, 10), policy=Policy.for_citizens(centre)
            )
        assert holder.is_alive()
    booking.refresh_from_db()
    assert booking.start == at(8, 10)


@pytest.mark.postgres_only
def test_the_lock_timeout_ends_with_the_transaction(
    postgresql: None, centre: Location, passport: Service
) -> None:
    # A pooled connection goes on to other work: it must not keep the setting.
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        before = cursor.fetchone()
    book(centre, passport, 1)
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone() == before
