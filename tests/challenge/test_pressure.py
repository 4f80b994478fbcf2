"""The defences grow with the pressure: each doubling of the attempts past
a threshold doubles the proof's work and the wait, up to their ceilings; a
solution to a challenge much easier than the pressure asks for does not
pass; and attempts far above the hour's usual level are an attack, which
holds every online booking for its code and alerts the managers."""

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

from skranke.accounts.models import Role
from skranke.booking.models import Booking
from skranke.challenge.models import AttackAlert
from skranke.challenge.pressure import Pressure, steps_past
from skranke.core import clock
from skranke.core.models import Location, Service
from skranke.notifications.models import Message
from tests.booking.test_staff_booking import member
from tests.centre import MONDAY
from tests.challenge.solving import challenge_on_page, solve

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("centre", "passport")]


@pytest.fixture(autouse=True)
def _small(settings: Any) -> None:
    settings.CHALLENGE_MAX_NUMBER = 1000
    settings.CHALLENGE_MAX_NUMBER_CEILING = 4000
    settings.CHALLENGE_WAIT_SECONDS = 10
    settings.CHALLENGE_WAIT_SECONDS_CEILING = 40
    settings.CHALLENGE_AFTER_BOOKINGS_PER_ADDRESS_PER_HOUR = 2
    settings.RATE_LIMIT_BOOKINGS_PER_ADDRESS_PER_HOUR = 50
    settings.HOLDS_PERCENT_OF_A_DAY = 100


def from_address(address: str) -> Client:
    client = Client(REMOTE_ADDR=address)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def review_page(client: Client, start: str, phone: str) -> tuple[str, str]:
    details = {"name": f"Borger {phone}", "phone": phone, "email": "", "sms_consent": "on"}
    sent = client.post(f"/bestil/pas/raadhus/oplysninger/?start={start}", details)
    assert sent.status_code == 302
    return sent["Location"], client.get(sent["Location"]).content.decode()


def book(client: Client, start: str, phone: str) -> Any:
    review, html = review_page(client, start, phone)
    challenge = challenge_on_page(html)
    return client.post(review, {"challenge_solution": solve(challenge)} if challenge else {})


def starts(count: int) -> list[str]:
    return [
        f"2026-12-0{8 + n // 15}T{10 + (n % 15) * 20 // 60}:{(n % 15) * 20 % 60:02d}"
        for n in range(count)
    ]


def test_each_doubling_is_a_step_and_each_step_doubles_the_work_up_to_its_ceiling() -> None:
    assert [steps_past(count=n, threshold=2) for n in (0, 1, 2, 3, 4, 7, 8, 16)] == [
        0, 0, 1, 1, 2, 2, 3, 4,
    ]  # fmt: skip
    quiet, first, second, far = (
        Pressure(mine=n, overall=0, under_attack=False) for n in (0, 2, 4, 64)
    )
    assert not quiet.challenge_required
    assert [p.max_number for p in (first, second, far)] == [1000, 2000, 4000]
    assert [p.wait_seconds for p in (first, second, far)] == [10, 20, 40]


def test_the_page_asks_more_work_of_a_network_as_it_books_more() -> None:
    client = from_address("192.0.2.7")
    sizes = []
    for number, start in enumerate(starts(6)):
        review, html = review_page(client, start, f"2012340{number}")
        challenge = challenge_on_page(html)
        sizes.append(challenge["maxnumber"] if challenge else 0)
        client.post(review, {"challenge_solution": solve(challenge)} if challenge else {})
    assert sizes == [0, 0, 1000, 1000, 2000, 2000]
    assert Booking.objects.count() == 6


def test_a_solution_to_a_much_easier_challenge_does_not_pass() -> None:
    client = from_address("192.0.2.7")
    for number, start in enumerate(starts(2)):
        assert book(client, start, f"2012340{number}").status_code == 302
    # An easy challenge, fetched now and kept for later.
    easy = client.get("/api/v1/challenge").json()
    assert easy["maxnumber"] == 1000
    for number, start in enumerate(starts(8)[2:], start=2):
        assert book(client, start, f"2012340{number}").status_code == 302
    body = {
        "location": "raadhus", "service": "pas", "start": "2026-12-09T10:00:00+01:00",
        "name": "Bo Berg", "phone": "20123499",
    }  # fmt: skip
    refused = client.post(
        "/api/v1/bookings", body, content_type="application/json",
        headers={"X-Skranke-Challenge": solve(easy)},
    )  # fmt: skip
    assert refused.status_code == 428
    hard = client.get("/api/v1/challenge").json()
    assert hard["maxnumber"] == 4000
    made = client.post(
        "/api/v1/bookings", body, content_type="application/json",
        headers={"X-Skranke-Challenge": solve(hard)},
    )  # fmt: skip
    assert made.status_code == 201


def test_far_more_attempts_than_usual_are_an_attack(
    settings: Any, centre: Location, passport: Service
) -> None:
    """Three networks booking past the attack's floor: every online booking
    is then held for its code, though the errand asks for none, and the
    managers see the alert; the front desk does not."""
    settings.ATTACK_AFTER_BOOKINGS_PER_HOUR = 5
    assert not passport.municipality.confirm_online_bookings_by_code
    times = iter(starts(12))
    for network in range(3):
        client = from_address(f"192.0.2.{network + 1}")
        for n in range(2):
            assert book(client, next(times), f"2{network}12345{n}").status_code == 302
    assert Booking.objects.filter(held_until__isnull=False).count() == 1  # the sixth
    assert AttackAlert.objects.count() == 1
    late = book(from_address("198.51.100.9"), next(times), "20999999")
    assert late["Location"].endswith("/kode/")
    assert Message.objects.filter(kind=Message.Kind.HOLD_CODE).count() == 2

    manager = Client()
    manager.force_login(member(Role.MANAGER, centre))
    page = manager.get("/personale/").content.decode()
    assert "Skranke ser et angreb" in page
    desk = Client()
    desk.force_login(member(Role.FRONT_DESK, centre))
    assert "Skranke ser et angreb" not in desk.get("/personale/").content.decode()


def test_the_same_attempts_are_no_attack_when_the_hour_is_usually_busy(
    settings: Any, centre: Location, passport: Service
) -> None:
    """Two online bookings made at eight every day for a fortnight: at
    five times that, ten attempts an hour, not six, are an attack."""
    settings.ATTACK_AFTER_BOOKINGS_PER_HOUR = 5
    settings.ATTACK_TIMES_NORMAL = 5
    for days_ago in range(1, 15):
        for minute in (5, 35):
            made = clock.now() - timedelta(days=days_ago) + timedelta(minutes=minute)
            Booking.objects.create(
                code=f"U{days_ago:02d}{minute:03d}", token="x", location=centre, service=passport,
                start=made + timedelta(days=2), end=made + timedelta(days=2, minutes=20),
                status=Booking.Status.SERVED, name="Tidligere", phone="+4520000000",
                language="da", channel=Booking.Channel.WEB, created_at=made,
            )  # fmt: skip
    times = iter(starts(12))
    for network in range(3):
        client = from_address(f"192.0.2.{network + 1}")
        for n in range(2):
            assert book(client, next(times), f"2{network}12345{n}").status_code == 302
    assert not Booking.objects.filter(held_until__isnull=False).exists()
    assert not AttackAlert.objects.exists()


def test_the_count_slides_over_the_hour_s_edge() -> None:
    """A hoarder who waits for the next clock hour finds the last hour's
    attempts still counted, less as the hour goes on."""
    client = from_address("192.0.2.7")
    for number, start in enumerate(starts(4)):
        assert book(client, start, f"2012340{number}").status_code == 302
    sizes = []
    for minutes in (75, 105):  # 09:15 and 09:45: three and one of the four still count
        clock.set_now(MONDAY + timedelta(minutes=minutes))
        _, html = review_page(client, "2026-12-09T14:40", f"2099000{minutes}"[:8])
        challenge = challenge_on_page(html)
        sizes.append(challenge["maxnumber"] if challenge else 0)
    assert sizes == [1000, 0]
