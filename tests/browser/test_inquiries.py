"""The written inquiries in a real browser: a contact agent opens the
worklist from the header, opens the oldest mail, takes it, starts from a
template and sends the answer, all with the keyboard; axe-clean at a
laptop's size, at 200 % and on a phone."""

from datetime import datetime
from typing import Any

import pytest
from pytest_django.live_server_helper import LiveServer

from skranke.core import clock
from skranke.demo.loading import load_demo_data
from skranke.inquiries.models import Inquiry
from skranke.notifications.models import Message
from tests.browser.conftest import assert_accessible, has_horizontal_scroll
from tests.browser.test_contact_centre import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_morning(transactional_db: None) -> None:
    clock.set_now(datetime(2026, 12, 7, 10, 0, tzinfo=clock.LOCAL_ZONE))
    load_demo_data(now=clock.now())


def test_an_agent_answers_the_oldest_mail_with_the_keyboard(
    demo_morning: None, live_server: LiveServer, page: Any
) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, live_server.url, "kontaktcenter")
    navigation = page.get_by_role("navigation", name="Medarbejdersider")
    navigation.get_by_role("button", name="Kontaktcenter").click()
    navigation.get_by_role("link", name="E-mails og sms'er").click()
    page.get_by_role("heading", name="E-mails og sms'er").wait_for()
    rows = page.get_by_role("table", name="Åbne henvendelser").get_by_role("row")
    # The longest waiting first, and past its target.
    first = rows.nth(1)
    assert "Nyt pas til mit barnebarn" in first.inner_text()
    assert "Forsinket siden" in first.inner_text()
    # A CPR number in a subject never shows on the list.
    assert "010190-1234" not in page.content()
    assert_accessible(page)

    first.get_by_role("link").focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Nyt pas til mit barnebarn").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Tag den").focus()
    page.keyboard.press("Enter")
    page.get_by_text("Du har taget henvendelsen.").wait_for()

    page.get_by_label("Start fra en skabelon").select_option(label="Bestil tid (Dansk)")
    page.get_by_role("button", name="Brug skabelonen").focus()
    page.keyboard.press("Enter")
    answer = page.get_by_label("Dit svar, sendt som e-mail til bente.mortensen@example.dk")
    answer.wait_for()
    assert "Du kan bestille en tid" in answer.input_value()
    answer.focus()
    page.keyboard.press("Control+Home")
    page.keyboard.type("Kære Bente\n\n")
    page.get_by_label("Emne").first.select_option(label="Pas")
    page.get_by_role("button", name="Send svaret").focus()
    page.keyboard.press("Enter")
    page.get_by_text("Svaret er på vej, og kontakten er registreret.").wait_for()
    inquiry = Inquiry.objects.get(subject="Nyt pas til mit barnebarn")
    assert inquiry.status == Inquiry.Status.ANSWERED
    sent = Message.objects.get(kind=Message.Kind.INQUIRY_ANSWER)
    assert sent.recipient == "bente.mortensen@example.dk"
    assert "Nyt pas til mit barnebarn" not in page.content()  # off the list

    # 200 % zoom of the laptop, and a phone.
    page.goto(f"{live_server.url}/personale/henvendelser/")
    for width, height in ((683, 384), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        assert not has_horizontal_scroll(page)
        assert_accessible(page)
