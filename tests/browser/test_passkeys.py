"""Passkeys as the second factor, in Chromium with its virtual
authenticator (a passkey that needs no finger): a manager adds one at the
first sign-in, gets recovery codes, signs out, and signs in again with the
password and the passkey. The pages pass axe and the Content-Security-Policy
(the page fixture fails on anything the policy refused)."""

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from django_otp_webauthn.models import WebAuthnCredential
from pytest_django.live_server_helper import LiveServer

from skranke.accounts.models import User
from skranke.core import clock
from skranke.demo.data import DEMO_PASSWORD
from skranke.demo.loading import load_demo_data
from tests.browser.conftest import assert_accessible, has_horizontal_scroll

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(transactional_db: None) -> None:
    clock.set_now(datetime(2026, 12, 7, 8, 0, tzinfo=clock.LOCAL_ZONE))
    load_demo_data(now=clock.now())


@pytest.fixture
def passkeys_on(settings: Any, live_server: LiveServer) -> None:
    # The live server is on localhost (a passkey needs a domain, not an IP
    # address), on a port of its own.
    settings.MFA_REQUIRED = True
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]


def with_virtual_authenticator(page: Any) -> Iterator[str]:
    """A passkey authenticator built into the browser, as a laptop's
    fingerprint reader is: it answers at once, the user verified."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    yield added["authenticatorId"]


@pytest.fixture
def authenticator(page: Any) -> Iterator[str]:
    yield from with_virtual_authenticator(page)


def sign_in_with_password(page: Any, base: str, next_path: str = "/personale/") -> None:
    page.goto(base + next_path)
    page.get_by_label("Brugernavn").fill("leder")
    page.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log ind").click()


def test_a_manager_adds_a_passkey_and_signs_in_with_it(
    demo: None, passkeys_on: None, live_server: LiveServer, page: Any, authenticator: str
) -> None:
    base = live_server.url
    sign_in_with_password(page, base, "/personale/statistik/")
    page.wait_for_url("**/log-ind/autentifikator/**")
    add = page.get_by_role("button", name="Tilføj en adgangsnøgle")
    add.wait_for()
    assert_accessible(page)
    # With the keyboard: the button takes focus and Enter starts it.
    add.focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Dine reservekoder").wait_for()
    assert_accessible(page)
    manager = User.objects.get(username="leder")
    assert WebAuthnCredential.objects.filter(user=manager, confirmed=True).count() == 1
    page.get_by_role("link", name="Jeg har gemt koderne – fortsæt").click()
    page.wait_for_url("**/personale/statistik/")

    page.get_by_role("button", name="Log ud").click()
    sign_in_with_password(page, base)
    page.wait_for_url("**/log-ind/kode/**")
    use = page.get_by_role("button", name="Brug din adgangsnøgle")
    use.wait_for()
    assert_accessible(page)
    use.click()
    page.wait_for_url(base + "/personale/")
    assert page.get_by_role("heading", level=1).count() == 1
    assert "/log-ind/" not in page.url
    # The passkey counted as the second factor for the whole session.
    page.goto(base + "/personale/statistik/")
    assert page.url == base + "/personale/statistik/"

    # Their list of passkeys; the same authenticator cannot be added twice.
    page.get_by_role("link", name="Adgangsnøgler").click()
    page.get_by_role("heading", name="Dine adgangsnøgler").wait_for()
    assert page.locator(".passkey-list li").count() == 1
    page.get_by_role("button", name="Tilføj en adgangsnøgle").click()
    page.get_by_role("status").filter(has_text="allerede tilføjet").wait_for()
    assert_accessible(page)
    assert WebAuthnCredential.objects.filter(user=manager).count() == 1


def test_a_cancelled_passkey_says_so_and_the_code_still_works(
    demo: None, passkeys_on: None, live_server: LiveServer, page: Any, authenticator: str
) -> None:
    base = live_server.url
    sign_in_with_password(page, base)
    page.get_by_role("button", name="Tilføj en adgangsnøgle").click()
    page.get_by_role("heading", name="Dine reservekoder").wait_for()
    page.get_by_role("link", name="Jeg har gemt koderne – fortsæt").click()
    page.get_by_role("button", name="Log ud").click()

    # The passkey is gone from the browser (another computer): the browser
    # finds none, and the page says what to do instead.
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send("WebAuthn.clearCredentials", {"authenticatorId": authenticator})
    sign_in_with_password(page, base)
    page.get_by_role("button", name="Brug din adgangsnøgle").click()
    page.get_by_role("status").filter(has_text="Adgangsnøglen blev ikke brugt").wait_for()
    assert "/log-ind/kode/" in page.url
    assert page.get_by_role("button", name="Brug din adgangsnøgle").is_enabled()
    assert_accessible(page)


def test_without_a_second_factor_no_staff_page_is_reached(
    demo: None, passkeys_on: None, live_server: LiveServer, page: Any
) -> None:
    base = live_server.url
    sign_in_with_password(page, base)
    page.wait_for_url("**/log-ind/autentifikator/**")
    for path in ["/personale/", "/personale/statistik/", "/admin/"]:
        page.goto(base + path)
        assert "/personale/log-ind/autentifikator/" in page.url, path
    # Nor the API, with the session's cookie.
    answer = page.request.get(base + "/api/v1/statistics/visits?from=2026-12-01&to=2026-12-07")
    assert answer.status == 401


def test_the_passkey_pages_reflow_at_200_percent_zoom(
    demo: None, passkeys_on: None, live_server: LiveServer, browser: Any
) -> None:
    # 200 % zoom of a 1280 px wide window leaves 640 CSS pixels.
    context = browser.new_context(locale="da-DK", viewport={"width": 640, "height": 450})
    zoomed = context.new_page()
    next(with_virtual_authenticator(zoomed))
    sign_in_with_password(zoomed, live_server.url)
    zoomed.get_by_role("button", name="Tilføj en adgangsnøgle").wait_for()
    assert not has_horizontal_scroll(zoomed)
    assert_accessible(zoomed)
    context.close()
