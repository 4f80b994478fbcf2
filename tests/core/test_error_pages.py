"""When something goes wrong the citizen and the staff member get a page in
Danish and English with a way forward, and an API client gets JSON."""

import pytest
from django.test import Client
from django.urls import reverse

from skranke.accounts.models import Role
from skranke.core.models import Location, Municipality
from tests.booking.test_staff_booking import member

pytestmark = pytest.mark.django_db


def test_an_unknown_address_gets_a_danish_and_english_page_with_a_way_forward(
    location: Location,
) -> None:
    response = Client().get("/findes-ikke/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Siden findes ikke" in page
    assert "Page not found" in page
    assert 'href="/bestil/"' in page


def test_the_api_answers_unknown_addresses_in_its_json_shape(location: Location) -> None:
    response = Client().get("/api/v1/findes-ikke")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_a_staff_member_without_access_is_told_why_in_both_languages(
    location: Location, staff_client
) -> None:
    agent = staff_client(member(Role.CONTACT_AGENT, location))
    response = agent.get("/personale/telefonmoeder/")
    page = response.content.decode()
    assert response.status_code == 403
    assert "Du har ikke adgang til denne side" in page
    assert "You do not have access to this page" in page
    assert "spørg din leder" in page
    # Within the staff's own pages: their name and signing out, not the
    # citizen's header with its "Need help? Call us".
    assert f'action="{reverse("sign_in:logout")}"' in page
    assert agent_name(page) == "contact_agent-raadhus"
    assert "Need help?" not in page


def agent_name(page: str) -> str:
    return page.split('<p class="user">')[1].split("<")[0].split(",")[0].strip()


def test_a_stranger_gets_the_citizen_s_error_page(location: Location) -> None:
    page = Client().get("/personale/telefonmoeder/")
    assert page.status_code == 302  # to sign in, not an error
    missing = Client().get("/findes-ikke/").content.decode()
    assert f'action="{reverse("sign_in:logout")}"' not in missing


def test_contact_agents_see_the_key_figures_and_find_them_on_their_page(
    location: Location, staff_client
) -> None:
    agent = staff_client(member(Role.CONTACT_AGENT, location))
    assert agent.get("/personale/kontaktcenter/noegletal/").status_code == 200
    assert 'href="/personale/kontaktcenter/noegletal/"' in agent.get("/personale/").content.decode()


def test_our_own_fault_gets_a_calm_page_and_no_traceback(
    location: Location, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Municipality.objects, "order_by", broken)
    response = Client(raise_request_exception=False).get("/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "Der skete en fejl hos os" in page
    assert "Something went wrong on our side" in page
    assert "Traceback" not in page
    assert "database went away" not in page


def test_the_api_answers_its_own_fault_in_its_json_shape(
    location: Location, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Location.objects, "order_by", broken)
    response = Client(raise_request_exception=False).get("/api/v1/locations")
    assert response.status_code == 500
    assert response.json()["error"] == "server_error"
    assert "database went away" not in response.content.decode()
