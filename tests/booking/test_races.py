"""Many citizens at once for the last free desks: real threads, real
database connections. Run on SQLite and on PostgreSQL (make test)."""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from itertools import combinations

import pytest
from django.db import connection

from skranke.booking import booking as booking_module
from skranke.booking.availability import Policy
from skranke.booking.booking import book_appointment, reschedule_appointment
from skranke.booking.errors import SlotTaken
from skranke.booking.models import Booking
from skranke.core.models import Location, Service
from tests.centre import at, citizen
from tests.races import meet_after

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 32


def race(attempt, count: int = THREADS) -> list[str]:
    """Run `attempt(n)` in `count` threads released at the same moment."""
    barrier = threading.Barrier(count)

    def run(number: int) -> str:
        connection.ensure_connection()  # connect first, so the race is in the booking
        barrier.wait()
        try:
            attempt(number)
            return "booked"
        except SlotTaken:
            return "taken"
        except Exception as error:
            return repr(error)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


@pytest.fixture
def checks_meet(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Arms a meeting point right after the availability check: every racer
    waits there until all have checked (or a second has passed),
    then all write at once. With the locks, racers reach the check one by
    one, so the first waits out the meeting alone and the rest pass; without
    them, all see the same free desk and the race is lost every time, not
    only when the timing is unlucky. Arm it after any setup bookings."""

    def arm() -> None:
        meet_after(monkeypatch, booking_module, "find_slot", racers=THREADS)

    return arm


def assert_no_overlaps() -> None:
    active = list(Booking.objects.filter(status__in=Booking.OCCUPYING, desk__isnull=False))
    for first, second in combinations(active, 2):
        if first.desk_id == second.desk_id:
            assert first.end <= second.start or second.end <= first.start, (first, second)


@pytest.mark.parametrize("hour", [10, 11, 12])
def test_exactly_the_free_desks_are_booked_when_32_citizens_race(
    centre: Location, passport: Service, hour: int, checks_meet: Callable[[], None]
) -> None:
    policy = Policy.for_citizens(centre)
    checks_meet()
    results = race(
        lambda number: book_appointment(
            location=centre,
            service=passport,
            start=at(8, hour),
            citizen=citizen(number),
            channel=Booking.Channel.WEB,
            policy=policy,
        )
    )
    assert results.count("booked") == 2, results  # two desks
    assert results.count("taken") == THREADS - 2, results
    assert Booking.objects.filter(start=at(8, hour)).count() == 2
    assert_no_overlaps()


def test_racing_reschedules_never_share_a_desk(
    centre: Location, card: Service, checks_meet: Callable[[], None]
) -> None:
    policy = Policy.for_citizens(centre)
    # 32 ten-minute bookings, two at each time from 10:00, all moving to 14:00 the next day.
    bookings = [
        book_appointment(
            location=centre,
            service=card,
            start=at(9, 10) + timedelta(minutes=10 * (n // 2)),
            citizen=citizen(n),
            channel=Booking.Channel.WEB,
            policy=policy,
        )
        for n in range(THREADS)
    ]
    checks_meet()
    results = race(
        lambda number: reschedule_appointment(
            booking=bookings[number], start=at(10, 14), policy=policy
        ),
        count=len(bookings),
    )
    assert results.count("booked") == 2, results
    assert results.count("taken") == len(bookings) - 2, results
    assert_no_overlaps()


def test_a_retry_racing_its_first_attempt_gets_the_same_booking(
    centre: Location, passport: Service
) -> None:
    policy = Policy.for_citizens(centre)
    made: list[int] = []

    def attempt(_number: int) -> None:
        booking = book_appointment(
            location=centre,
            service=passport,
            start=at(8, 10),
            citizen=citizen(1),
            channel=Booking.Channel.WEB,
            policy=policy,
            idempotency_key="retry-1",
            fingerprint="same body",
        )
        made.append(booking.pk)

    assert race(attempt, count=8) == ["booked"] * 8
    assert len(set(made)) == 1
    assert Booking.objects.count() == 1
