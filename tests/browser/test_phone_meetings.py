"""The telephone-meeting worklist in a real browser: a front-desk colleague
with the phone skill opens the day's meetings, takes the call that is due,
marks it started and done; the page is axe-clean at every step."""

from datetime import datetime
from typing import Any

import pytest
from pytest_django.live_server_helper import LiveServer

from skranke.booking.models import Booking
from skranke.core import clock
from skranke.demo.data import DEMO_PASSWORD
from skranke.demo.loading import load_demo_data
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(transactional_db: None) -> None:
    clock.set_now(datetime(2026, 12, 7, 8, 0, tzinfo=clock.LOCAL_ZONE))
    load_demo_data(now=clock.now())


def test_a_colleague_with_the_phone_skill_takes_makes_and_finishes_a_call(
    demo: None, live_server: LiveServer, page: Any
) -> None:
    # Five minutes before the day's first telephone meeting.
    clock.set_now(datetime(2026, 12, 7, 9, 55, tzinfo=clock.LOCAL_ZONE))
    booking = Booking.objects.get(name="Hanne Holm")
    page.goto(live_server.url + "/personale/log-ind/")
    page.get_by_label("Brugernavn").fill("skranke")
    page.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.locator("main").get_by_role("link", name="Dagens telefonmøder").click()
    page.get_by_role("heading", name="Telefonmøder i dag, mandag 7. december").wait_for()
    assert_accessible(page)

    row = page.locator(f"#meeting-{booking.pk}")
    assert page.locator("#meetings tbody tr").first.get_attribute("id") == row.get_attribute("id")
    assert "meeting-due" in (row.get_attribute("class") or "")
    assert "Snart: ingen har taget det" in row.inner_text()
    assert "Folkeregister" in row.inner_text()
    assert row.get_by_role("link", name="+45 28 00 00 10").get_attribute("href") == (
        "tel:+4528000010"
    )

    row.get_by_role("button", name="Tag opkaldet").click()
    page.get_by_text("Du har taget opkaldet kl. 10:00.").wait_for()
    assert "Taget af dig" in row.inner_text()
    assert "meeting-due" not in (row.get_attribute("class") or "")
    assert_accessible(page)

    row.get_by_role("button", name="Opkald startet").click()
    page.get_by_text("Opkaldet kl. 10:00 er startet.").wait_for()
    assert "I opkald: dig" in row.inner_text()
    assert_accessible(page)

    row.get_by_role("button", name="Nået: færdig").click()
    page.get_by_text("Opkaldet kl. 10:00 er afsluttet: borgeren blev nået.").wait_for()
    assert "Færdig: nået" in row.inner_text()
    assert row.get_by_role("button").count() == 0
    assert_accessible(page)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.SERVED
