"""Ticket numbers: one per citizen, from 1 each day, no gaps, however many
arrive at once. Real threads on real connections (SQLite and PostgreSQL)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, transaction

from skranke.core import clock
from skranke.core.models import Location, Service
from skranke.queueing.checkin import issue_walk_in_ticket
from skranke.queueing.errors import QueueRefused
from skranke.queueing.models import Visit
from skranke.queueing.tickets import take_ticket_number
from tests.centre import at

THREADS = 32


@pytest.mark.django_db(transaction=True)
def test_citizens_arriving_at_once_get_numbers_one_to_n(
    centre: Location, postal_vote: Service
) -> None:
    barrier = threading.Barrier(THREADS)

    def arrive(_: int) -> str:
        connection.ensure_connection()
        barrier.wait()
        try:
            return issue_walk_in_ticket(location=centre, service=postal_vote).ticket
        except Exception as error:
            return repr(error)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        tickets = list(pool.map(arrive, range(THREADS)))
    assert sorted(tickets) == [f"B{number:03d}" for number in range(1, THREADS + 1)]


@pytest.mark.django_db
def test_numbers_start_again_each_day_and_per_letter(
    centre: Location, postal_vote: Service, passport: Service
) -> None:
    passport.walk_in_allowed = True
    passport.ticket_letter = "P"
    passport.save()
    assert issue_walk_in_ticket(location=centre, service=postal_vote).ticket == "B001"
    assert issue_walk_in_ticket(location=centre, service=postal_vote).ticket == "B002"
    assert issue_walk_in_ticket(location=centre, service=passport).ticket == "P001"
    clock.set_now(at(8, 9))
    assert issue_walk_in_ticket(location=centre, service=postal_vote).ticket == "B001"


@pytest.mark.django_db
def test_a_number_not_used_is_given_again(centre: Location) -> None:
    def take() -> int:
        return take_ticket_number(location=centre, day=clock.today(), letter="B")

    assert take() == 1
    with transaction.atomic():
        assert take() == 2
        transaction.set_rollback(True)  # the visit was not made after all
    assert take() == 2


@pytest.mark.django_db
def test_an_errand_that_needs_a_booking_gets_no_ticket(centre: Location, passport: Service) -> None:
    with pytest.raises(QueueRefused, match="needs a booked time"):
        issue_walk_in_ticket(location=centre, service=passport)
    assert not Visit.objects.exists()
