"""An administrator connects the shared mailbox in the admin: the password
is never shown again and kept when left empty; OAuth 2 asks for what it
needs; a manager sees the mailbox and routes its addresses, but not its
secrets."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from skranke.accounts.models import Role, User
from skranke.core.models import Location
from skranke.inquiries.models import Mailbox
from tests.booking.test_staff_booking import member

pytestmark = pytest.mark.django_db

ADD = "/admin/inquiries/mailbox/add/"


def form(centre: Location, **changes: str) -> dict[str, Any]:
    return {
        "municipality": centre.municipality_id,
        "name": "Borgerservice",
        "address": "borgerservice@testkommune.dk",
        "active": "on",
        "host": "imap.testkommune.dk",
        "port": "993",
        "folder": "INBOX",
        "new_mail": "idle",
        "username": "borgerservice@testkommune.dk",
        "sign_in": "password",
        "password": "the-mailbox-password",
        "scope": "",
        "location": centre.pk,
        "routes-TOTAL_FORMS": "1",
        "routes-INITIAL_FORMS": "0",
        "routes-0-address": "pas@testkommune.dk",
        "routes-0-location": centre.pk,
    } | changes


def test_the_password_is_kept_and_never_shown_again(
    centre: Location, staff_client: Callable[[User], Client]
) -> None:
    client = staff_client(member(Role.ADMINISTRATOR, centre))
    answer = client.post(ADD, form(centre))
    assert answer.status_code == 302, answer.content.decode()
    mailbox = Mailbox.objects.get()
    assert mailbox.password == "the-mailbox-password"
    assert mailbox.routes.get().address == "pas@testkommune.dk"
    change = f"/admin/inquiries/mailbox/{mailbox.pk}/change/"
    assert "the-mailbox-password" not in client.get(change).content.decode()
    answer = client.post(
        change,
        form(
            centre,
            name="Borgerservice Rådhus",
            password="",
            **{"routes-TOTAL_FORMS": "0"},
        ),
    )
    assert answer.status_code == 302, answer.content.decode()
    mailbox.refresh_from_db()
    assert (mailbox.name, mailbox.password) == ("Borgerservice Rådhus", "the-mailbox-password")
    assert mailbox.new_mail == Mailbox.NewMail.IDLE


def test_oauth_asks_for_the_app_and_its_secret(
    centre: Location, staff_client: Callable[[User], Client]
) -> None:
    client = staff_client(member(Role.ADMINISTRATOR, centre))
    answer = client.post(ADD, form(centre, sign_in="oauth2", password=""))
    assert answer.status_code == 200
    assert answer.content.decode().count("OAuth 2 needs this.") == 3
    assert not Mailbox.objects.exists()
    answer = client.post(
        ADD,
        form(
            centre,
            sign_in="oauth2",
            password="",
            token_url="http://login.microsoftonline.com/tenant/oauth2/v2.0/token",
            client_id="app",
            client_secret="secret",
        ),
    )
    assert "The token URL must begin with https://." in answer.content.decode()
    assert not Mailbox.objects.exists()


def test_a_manager_sees_it_without_its_secrets(
    centre: Location, staff_client: Callable[[User], Client]
) -> None:
    mailbox = Mailbox.objects.create(
        municipality=centre.municipality,
        name="Borgerservice",
        address="borgerservice@testkommune.dk",
        host="imap.testkommune.dk",
        username="borgerservice",
        password="the-mailbox-password",
    )
    client = staff_client(member(Role.MANAGER, centre))
    page = client.get(f"/admin/inquiries/mailbox/{mailbox.pk}/change/")
    assert page.status_code == 200
    assert "the-mailbox-password" not in page.content.decode()
    assert client.post(ADD, form(centre)).status_code == 403
