"""/metrics tells Prometheus how the installation is doing: requests by
route, the outbox, the worker and the queues. Only to whoever holds the
token, and never a path, a booking code or a token of a citizen."""

import math
from datetime import timedelta

import pytest
from django.test import Client, override_settings

from skranke.accounts.models import Role, User
from skranke.booking.availability import Policy
from skranke.booking.booking import book_appointment
from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.models import Desk, Location, Service
from skranke.notifications.models import Message
from skranke.overview.gauges import read_place_gauges
from skranke.overview.now import read_location_now
from skranke.queueing.calling import call_next
from skranke.queueing.checkin import check_in_booking, issue_walk_in_ticket
from skranke.queueing.models import Visit
from skranke.worker.heartbeat import record_heartbeat
from tests.centre import at, citizen
from tests.monitoring.scraping import TOKEN, requests_counted, scrape, value

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("metrics_token")]


@pytest.fixture
def metrics_token() -> object:
    with override_settings(METRICS_TOKEN=TOKEN):
        yield


def book(centre: Location, service: Service, **details: object) -> Booking:
    return book_appointment(
        location=centre,
        service=service,
        start=at(9, 10),
        citizen=citizen(1, **details),
        channel=Booking.Channel.WEB,
        policy=Policy.for_staff(centre),
    )


def test_without_a_configured_token_there_is_no_metrics_address() -> None:
    with override_settings(METRICS_TOKEN=""):
        response = Client().get("/metrics", headers={"Authorization": "Bearer "})
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("authorization", "status"),
    [
        (None, 401),
        ("Basic dXNlcjpwYXNz", 401),
        ("Bearer ", 401),
        ("Bearer a-wrong-token-of-the-same-length-for-the-tests-01234", 403),
        (f"Bearer {TOKEN}x", 403),
    ],
)
def test_a_missing_or_wrong_token_is_refused_and_told_nothing(
    authorization: str | None, status: int
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = Client().get("/metrics", headers=headers)
    assert response.status_code == status
    assert b"skranke_" not in response.content
    assert len(response.content) < 30


def test_the_right_token_gets_prometheus_text() -> None:
    response = Client().get("/metrics", headers={"Authorization": f"bearer {TOKEN}"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    assert "no-store" in response["Cache-Control"]
    assert value(response.content.decode(), "skranke_database_up") == 1


def test_a_booking_page_is_counted_under_its_route_and_its_code_never_appears(
    centre: Location, passport: Service
) -> None:
    booking = book(centre, passport)
    before = scrape()
    citizen_browser = Client()
    # The link from the text message: the token is traded for the session
    # and the browser sent on without it.
    opened = citizen_browser.get(f"/tid/{booking.code}/?token={booking.token}")
    assert opened.status_code == 302
    assert citizen_browser.get(opened["Location"]).status_code == 200
    assert Client().get(f"/findes-ikke/{booking.code}/").status_code == 404

    after = scrape()
    assert requests_counted(after, route="booking:manage", status="3xx") == (
        requests_counted(before, route="booking:manage", status="3xx") + 1
    )
    assert requests_counted(after, route="booking:manage") == (
        requests_counted(before, route="booking:manage") + 1
    )
    assert requests_counted(after, route="unmatched", status="4xx") == (
        requests_counted(before, route="unmatched", status="4xx") + 1
    )
    assert booking.code not in after
    assert booking.token not in after
    assert "/tid/" not in after


def test_the_outbox_gauges_count_messages_due_and_not_sent_and_those_given_up(
    centre: Location, passport: Service
) -> None:
    # A confirmation due now and a reminder due the day before, by text and
    # by e-mail.
    booking = book(centre, passport, sms_consent=True, email="borger@example.dk")
    assert Message.objects.filter(booking=booking).count() == 4
    text = scrape()
    assert value(text, "skranke_outbox_backlog_messages") == 2
    assert value(text, "skranke_outbox_dead_messages") == 0

    Message.objects.filter(kind=Message.Kind.CONFIRMATION, channel=Message.Channel.SMS).update(
        status=Message.Status.DEAD
    )
    Message.objects.filter(kind=Message.Kind.CONFIRMATION, channel=Message.Channel.EMAIL).update(
        status=Message.Status.SENT
    )
    text = scrape()
    assert value(text, "skranke_outbox_backlog_messages") == 0
    assert value(text, "skranke_outbox_oldest_due_age_seconds") == 0
    assert value(text, "skranke_outbox_dead_messages") == 1

    # The reminders fall due, and one is being sent.
    clock.set_now(at(8, 10, 5))
    Message.objects.filter(kind=Message.Kind.REMINDER, channel=Message.Channel.SMS).update(
        status=Message.Status.SENDING
    )
    text = scrape()
    assert value(text, "skranke_outbox_backlog_messages") == 2
    assert value(text, "skranke_outbox_oldest_due_age_seconds") == 300


def test_the_heartbeat_age_follows_the_clock(stopped_clock: object) -> None:
    assert value(scrape(), "skranke_worker_heartbeat_age_seconds") == math.inf
    record_heartbeat(moment=clock.now())
    clock.advance(timedelta(seconds=75))
    assert value(scrape(), "skranke_worker_heartbeat_age_seconds") == 75


def test_visits_waiting_are_counted_per_location_today(centre: Location, passport: Service) -> None:
    other = Location.objects.create(
        municipality=centre.municipality, name="Biblioteket", slug="bibliotek", address="Vej 2"
    )
    today = clock.today()
    statuses = [Visit.Status.WAITING, Visit.Status.WAITING, Visit.Status.CALLED, Visit.Status.ENDED]
    for number, status in enumerate(statuses, start=1):
        Visit.objects.create(
            location=centre,
            service=passport,
            day=today,
            ticket_letter="A",
            ticket_number=number,
            status=status,
            arrived_at=clock.now(),
        )
    # Left waiting yesterday (the day was never closed): not waiting now.
    Visit.objects.create(
        location=centre,
        service=passport,
        day=today - timedelta(days=1),
        ticket_letter="A",
        ticket_number=1,
        arrived_at=clock.now() - timedelta(days=1),
    )
    text = scrape()
    assert value(text, "skranke_visits_waiting", location=centre.slug) == 2
    assert value(text, "skranke_visits_waiting", location=other.slug) == 0
    assert centre.name not in text


def test_the_longest_wait_and_the_desks_serving_are_the_overviews(
    centre: Location, passport: Service
) -> None:
    staff = User.objects.create_user("s", municipality=centre.municipality, role=Role.FRONT_DESK)
    desk = Desk.objects.get(location=centre, name="1")
    booking = book(centre, passport)  # Wednesday 10:00
    clock.set_now(at(9, 9, 50))
    check_in_booking(location=centre, code=booking.code)
    clock.set_now(at(9, 10, 0))
    card = Service.objects.get(slug="kort")
    card.walk_in_allowed = True
    card.save()
    issue_walk_in_ticket(location=centre, service=card)
    clock.set_now(at(9, 10, 7))
    text = scrape()
    # The booked citizen waits from 10:00, their time, not from 09:50.
    assert value(text, "skranke_visits_longest_wait_seconds", location=centre.slug) == 7 * 60
    assert value(text, "skranke_desks_serving", location=centre.slug) == 0
    assert call_next(desk=desk, staff=staff) is not None
    text = scrape()
    assert value(text, "skranke_desks_serving", location=centre.slug) == 1
    assert value(text, "skranke_visits_waiting", location=centre.slug) == 1
    place = {row.slug: row for row in read_place_gauges(now=clock.now())}[centre.slug]
    overview = read_location_now(location=centre)
    assert place.waiting == overview.waiting
    assert place.longest_wait_seconds // 60 == max(
        queue.longest_wait_minutes or 0 for queue in overview.queues
    )
