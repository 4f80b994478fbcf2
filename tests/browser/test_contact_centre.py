"""The contact centre in a real browser: an agent logs three contacts with
the keyboard only and sees them counted; the log and the key figures are
axe-clean."""

from datetime import datetime
from typing import Any

import pytest
from pytest_django.live_server_helper import LiveServer

from skranke.contact_centre.models import Contact
from skranke.core import clock
from skranke.demo.contact_year import load_topics
from skranke.demo.data import DEMO_PASSWORD
from skranke.demo.loading import load_demo_data
from tests.browser.conftest import assert_accessible, has_horizontal_scroll

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(transactional_db: None) -> None:
    clock.set_now(datetime(2026, 12, 7, 9, 0, tzinfo=clock.LOCAL_ZONE))
    load_topics(municipality=load_demo_data(now=clock.now()))


def sign_in(page: Any, base: str, username: str) -> None:
    page.goto(base + "/personale/log-ind/")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log ind").click()


def log_by_keyboard(page: Any, topic: str, outcome_steps: int, channel_steps: int) -> None:
    """From the topic list (focused when the page opens): type the topic,
    Tab to the outcome and move to it with the arrow keys, the same for the
    channel, then Tab past the optional part to the button and press Enter."""
    page.keyboard.type(topic)
    page.keyboard.press("Tab")  # the first outcome
    page.keyboard.press("Space")
    for _ in range(outcome_steps):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")  # the channel chosen last time
    for _ in range(channel_steps):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")  # "Kind, booking and note (optional)"
    page.keyboard.press("Tab")  # the button
    # The log is posted and the page opened again: wait for the new page,
    # not the old one's "Registreret", before typing the next topic.
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_role("status").filter(has_text="Registreret").wait_for()


def test_an_agent_logs_three_contacts_by_keyboard(
    demo: None, live_server: LiveServer, page: Any
) -> None:
    sign_in(page, live_server.url, "kontaktcenter")
    page.locator("main").get_by_role("link", name="Kontaktlog").click()
    assert page.evaluate("document.activeElement.id") == "topic"
    assert_accessible(page)
    log_by_keyboard(page, "Pas", outcome_steps=0, channel_steps=0)
    log_by_keyboard(page, "Folkeregister", outcome_steps=1, channel_steps=0)
    log_by_keyboard(page, "Pension", outcome_steps=2, channel_steps=1)  # phone → e-mail
    page.get_by_text("Du har registreret 3 henvendelser i dag.").wait_for()
    assert_accessible(page)
    logged = list(
        Contact.objects.order_by("at", "pk").values_list("topic__name_da", "outcome", "channel")
    )
    assert logged == [
        ("Pas", "settled", "phone"),
        ("Folkeregister", "transferred", "phone"),
        ("Pension", "failed_transfer", "email"),
    ]
    # Zoomed to 200 %, nothing needs scrolling sideways.
    page.evaluate("document.body.style.zoom = '200%'")
    assert not has_horizontal_scroll(page)


def test_the_key_figures_page_is_accessible(demo: None, live_server: LiveServer, page: Any) -> None:
    sign_in(page, live_server.url, "leder")
    page.locator("main").get_by_role("link", name="Kontaktcenter: nøgletal").click()
    page.get_by_label("Periode", exact=True).select_option("day")
    page.get_by_role("button", name="Vis").click()
    page.get_by_role("heading", name="Mandag 7. december 2026").wait_for()
    assert_accessible(page)
