"""Staff change their own password, and reset a forgotten one with a link
sent by e-mail through the outbox; the reset page tells no one whether an
address is known, and is limited per network and per account."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

from skranke.accounts.models import Role
from skranke.core import clock
from skranke.core.models import Location
from skranke.notifications.delivery import deliver_due_messages
from skranke.notifications.models import Message
from skranke.privacy.erasure import erase_all_due_personal_data
from tests.booking.test_staff_booking import member


@pytest.fixture(autouse=True)
def _mails_by_email(settings: Any) -> None:
    settings.EMAIL_TRANSPORT = "email"


def send_outbox() -> None:
    """The worker's round."""
    deliver_due_messages()


NEW_PASSWORD = "Kaffe-paa-raadhuset-42"


def browser() -> Client:
    client = Client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def signs_in(username: str, password: str) -> bool:
    answer = browser().post("/personale/log-ind/", {"username": username, "password": password})
    return answer.status_code == 302


def test_a_staff_member_changes_their_password_and_the_old_one_stops_working(
    centre: Location, staff_client
) -> None:
    clerk = member(Role.FRONT_DESK, centre)
    client = staff_client(clerk)
    home = client.get("/personale/").content.decode()
    assert 'href="/personale/adgangskode/"' in home
    answer = client.post(
        "/personale/adgangskode/",
        {"old_password": "pw", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert answer["Location"] == "/personale/adgangskode/skiftet/"
    assert client.get("/personale/").status_code == 200  # still signed in here
    assert not signs_in(clerk.username, "pw")
    assert signs_in(clerk.username, NEW_PASSWORD)


def test_the_present_password_is_needed_to_change_it(centre: Location, staff_client) -> None:
    clerk = member(Role.FRONT_DESK, centre)
    answer = staff_client(clerk).post(
        "/personale/adgangskode/",
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert answer.status_code == 200
    assert 'aria-invalid="true"' in answer.content.decode()
    assert signs_in(clerk.username, "pw")


def test_a_forgotten_password_is_reset_with_the_link_in_the_email(
    centre: Location, mailoutbox
) -> None:
    clerk = member(Role.FRONT_DESK, centre)
    clerk.email = "clerk@testkommune.dk"
    clerk.save()
    login_page = browser().get("/personale/log-ind/").content.decode()
    assert 'href="/personale/glemt-adgangskode/"' in login_page

    client = browser()
    answer = client.post("/personale/glemt-adgangskode/", {"email": "Clerk@testkommune.dk"})
    assert answer["Location"] == "/personale/glemt-adgangskode/sendt/"
    assert mailoutbox == []  # the worker sends it
    send_outbox()
    [mail] = mailoutbox
    assert mail.to == ["clerk@testkommune.dk"]
    link = re.search(
        rf"{re.escape(django_settings.SITE_URL)}(/personale/ny-adgangskode/\S+)", mail.body
    )
    assert link is not None

    form_page = client.get(link.group(1), follow=True)
    assert "Choose a new password" in form_page.content.decode()
    saved = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert saved["Location"] == "/personale/ny-adgangskode/faerdig/"
    assert signs_in(clerk.username, NEW_PASSWORD)
    assert not signs_in(clerk.username, "pw")
    # The link works once.
    again = browser().get(link.group(1), follow=True).content.decode()
    assert "This link has been used or is too old" in again


def test_the_reset_page_answers_the_same_for_an_unknown_address(
    centre: Location, mailoutbox
) -> None:
    clerk = member(Role.FRONT_DESK, centre)
    clerk.email = "clerk@testkommune.dk"
    clerk.save()
    known = browser().post("/personale/glemt-adgangskode/", {"email": "clerk@testkommune.dk"})
    unknown = browser().post("/personale/glemt-adgangskode/", {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    # Nothing is sent while the page answers: it takes no longer for a
    # staff member's address than for a stranger's.
    assert mailoutbox == []
    send_outbox()
    assert len(mailoutbox) == 1
    sent_page = browser().get(unknown["Location"]).content.decode()
    assert "If the address belongs to a staff account" in sent_page


def test_a_reset_password_also_lifts_a_lockout(centre: Location, mailoutbox) -> None:
    clerk = member(Role.FRONT_DESK, centre)
    clerk.email = "clerk@testkommune.dk"
    clerk.save()
    for _ in range(5):
        browser().post("/personale/log-ind/", {"username": clerk.username, "password": "x"})
    assert not signs_in(clerk.username, "pw")
    client = browser()
    client.post("/personale/glemt-adgangskode/", {"email": "clerk@testkommune.dk"})
    send_outbox()
    link = re.search(r"(/personale/ny-adgangskode/\S+)", mailoutbox[0].body)
    assert link is not None
    form = client.get(link.group(1), follow=True)
    client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert signs_in(clerk.username, NEW_PASSWORD)


def test_nobody_can_fill_a_colleagues_inbox(centre: Location, mailoutbox) -> None:
    clerk = member(Role.FRONT_DESK, centre)
    clerk.email = "clerk@testkommune.dk"
    clerk.save()
    answers = [
        Client(REMOTE_ADDR=f"192.0.2.{n}").post(
            "/personale/glemt-adgangskode/", {"email": "clerk@testkommune.dk"}
        )
        for n in range(30)
    ]
    # Every answer the same; three mails in the hour.
    assert {answer["Location"] for answer in answers} == {"/personale/glemt-adgangskode/sendt/"}
    send_outbox()
    assert len(mailoutbox) == 3


def test_one_network_asking_again_and_again_is_told_to_wait(centre: Location) -> None:
    client = Client(REMOTE_ADDR="198.51.100.9")
    answers = [
        client.post("/personale/glemt-adgangskode/", {"email": f"guess{n}@example.com"})
        for n in range(11)
    ]
    assert [answer.status_code for answer in answers] == [302] * 10 + [429]


def test_the_outbox_keeps_the_mail_without_a_usable_link(centre: Location, mailoutbox) -> None:
    clerk = member(Role.FRONT_DESK, centre)
    clerk.email = "clerk@testkommune.dk"
    clerk.save()
    browser().post("/personale/glemt-adgangskode/", {"email": "clerk@testkommune.dk"})
    send_outbox()
    sent = re.search(r"/personale/ny-adgangskode/\S+", mailoutbox[0].body)
    assert sent is not None
    kept = Message.objects.get(kind=Message.Kind.PASSWORD_RESET)
    assert kept.status == Message.Status.SENT
    assert sent.group(0) not in kept.body
    assert "/personale/ny-adgangskode/" in kept.body


def test_the_mail_goes_with_the_other_messages_when_their_period_is_over(
    centre: Location, mailoutbox
) -> None:
    clerk = member(Role.FRONT_DESK, centre)
    clerk.email = "clerk@testkommune.dk"
    clerk.save()
    browser().post("/personale/glemt-adgangskode/", {"email": "clerk@testkommune.dk"})
    send_outbox()
    erase_all_due_personal_data(now=clock.now() + timedelta(days=31))
    kept = Message.objects.get(kind=Message.Kind.PASSWORD_RESET)
    assert kept.recipient == ""
    assert kept.body == ""
