"""The admin for the phone system: an administrator makes an integration
token (shown once) and revokes or renews it; managers may change their own
municipality's column mapping but make no tokens."""

import re
from collections.abc import Callable

import pytest
from django.test import Client

from skranke.accounts.models import IntegrationToken, Role, User
from skranke.accounts.tokens import hash_token
from skranke.contact_centre.models import CallRecordFormat
from skranke.core.models import Location, Municipality
from tests.booking.test_staff_booking import member

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], Client]
TOKENS = "/admin/accounts/integrationtoken/"
FORMATS = "/admin/contact/callrecordformat/"
CALL = {"call_id": "T1", "offered_at": "2026-12-07T10:00:00+01:00"}


def shown_token(page: str) -> str:
    found = re.search(r"<code>([A-Za-z0-9_-]{40,})</code>", page)
    assert found is not None
    return found.group(1)


def post_call(token: str) -> int:
    answer = Client().post(
        "/api/v1/contacts/calls",
        CALL,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    return answer.status_code


def test_an_administrator_makes_a_token_that_is_shown_once(
    location: Location, staff_client: ClientFor
) -> None:
    admin = staff_client(member(Role.ADMINISTRATOR, location))
    added = admin.post(
        f"{TOKENS}add/",
        {"name": "Telefoni", "municipality": location.municipality_id},
        follow=True,
    )
    token = shown_token(added.content.decode())
    integration = IntegrationToken.objects.get()
    assert integration.token_hash == hash_token(token)  # only its hash is kept
    assert token not in admin.get(f"{TOKENS}{integration.pk}/change/").content.decode()
    assert post_call(token) == 201

    renewed = admin.post(
        TOKENS, {"action": "renew_token", "_selected_action": [integration.pk]}, follow=True
    )
    new_token = shown_token(renewed.content.decode())
    assert post_call(token) == 401
    assert post_call(new_token) == 200  # the call was there already

    admin.post(TOKENS, {"action": "revoke", "_selected_action": [integration.pk]})
    assert post_call(new_token) == 401


def test_a_token_is_made_for_the_own_municipality_only(
    location: Location, staff_client: ClientFor
) -> None:
    andeby = Municipality.objects.create(name="Andeby", slug="andeby")
    admin = staff_client(member(Role.ADMINISTRATOR, location))
    admin.post(f"{TOKENS}add/", {"name": "Telefoni", "municipality": andeby.pk})
    assert not IntegrationToken.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.MANAGER, 403), (Role.FRONT_DESK, 302), (Role.CONTACT_AGENT, 302)],  # 302: sign in
)
def test_only_administrators_see_the_tokens(
    location: Location, staff_client: ClientFor, role: str, status: int
) -> None:
    assert staff_client(member(role, location)).get(TOKENS).status_code == status


def test_a_manager_changes_the_own_mapping_but_not_anothers(
    location: Location, staff_client: ClientFor
) -> None:
    own = CallRecordFormat.objects.create(municipality=location.municipality)
    theirs = CallRecordFormat.objects.create(
        municipality=Municipality.objects.create(name="Andeby", slug="andeby")
    )
    manager = staff_client(member(Role.MANAGER, location))
    changed = manager.post(
        f"{FORMATS}{own.pk}/change/",
        {
            "municipality": location.municipality_id,
            "delimiter": "\t",
            "call_id_column": "Opkald",
            "queue_column": "Kø",
            "offered_at_column": "Start",
            "answered_at_column": "Svar",
            "ended_at_column": "Slut",
            "abandoned_column": "",
            "agent_column": "",
        },
    )
    assert changed.status_code == 302
    own.refresh_from_db()
    assert (own.delimiter, own.call_id_column, own.abandoned_column) == ("\t", "Opkald", "")
    page = manager.get(f"{FORMATS}{own.pk}/change/").content.decode()
    assert "Opkald&lt;tab&gt;Kø&lt;tab&gt;Start&lt;tab&gt;Svar&lt;tab&gt;Slut<" in page
    assert manager.get(f"{FORMATS}{theirs.pk}/change/").status_code == 302  # "does not exist"
    assert manager.get(f"{FORMATS}add/").status_code == 403
