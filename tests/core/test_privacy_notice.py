"""Every citizen page links to the municipality's privacy notice, and so
does the step where the citizen gives their details; production's
deployment check reports a municipality without one."""

import pytest
from django.conf import settings
from django.core.checks import run_checks
from django.test import Client, override_settings

from skranke.core.models import Location, Municipality, Service

pytestmark = pytest.mark.django_db

NOTICE = "https://testkommune.example/privatlivspolitik"


def english_client() -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def notice_links(page: str) -> int:
    return page.count(f'<a href="{NOTICE}">')


def test_citizen_pages_link_to_the_privacy_notice_in_the_same_tab(
    centre: Location, passport: Service
) -> None:
    Municipality.objects.update(privacy_notice_url=NOTICE)
    client = english_client()
    for path in ("/", "/bestil/", "/bestil/pas/raadhus/2026-12-08/"):
        page = client.get(path, follow=True).content.decode()
        assert notice_links(page) == 1, path
        assert "How we handle your data" in page
    details = client.get("/bestil/pas/raadhus/oplysninger/?start=2026-12-08T10:00")
    page = details.content.decode()
    assert notice_links(page) == 2  # beside the form and in the footer
    assert "Read how we handle your data" in page
    assert 'target="_blank"' not in page


def test_without_a_notice_there_is_no_empty_link(centre: Location, passport: Service) -> None:
    page = english_client().get("/bestil/pas/raadhus/oplysninger/?start=2026-12-08T10:00")
    assert "how we handle your data" not in page.content.decode().lower()


def privacy_errors() -> list[str]:
    return [
        message.msg
        for message in run_checks(include_deployment_checks=True)
        if message.id == "skranke.E011"
    ]


@override_settings(DEBUG=False)
def test_the_deployment_check_names_a_municipality_without_a_notice(
    municipality: Municipality,
) -> None:
    Municipality.objects.create(name="Nabokommune", slug="nabo", privacy_notice_url=NOTICE)
    (error,) = privacy_errors()
    assert "Testkommune" in error
    assert "Nabokommune" not in error
    municipality.privacy_notice_url = NOTICE
    municipality.save()
    assert privacy_errors() == []


@override_settings(DEBUG=True)
def test_a_missing_notice_is_fine_while_developing(municipality: Municipality) -> None:
    assert privacy_errors() == []


def test_it_is_not_checked_without_deploy(municipality: Municipality) -> None:
    with override_settings(DEBUG=False):
        assert not [m for m in run_checks() if m.id == "skranke.E011"]
