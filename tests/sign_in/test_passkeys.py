"""Passkeys as the second factor, without a browser: who may start which
step, and what counts as passed. Adding and using a real passkey is in
tests/browser/test_passkeys.py (Chromium's virtual authenticator)."""

import json
import re
from typing import Any

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp_webauthn.models import WebAuthnCredential

from skranke.access_log.models import SignInEvent
from skranke.accounts.models import Role, User
from skranke.core.models import Location
from skranke.sign_in.mfa_devices import issue_recovery_codes, remove_second_factor
from tests.booking.test_staff_booking import member
from tests.sign_in.test_mfa import (
    CODE_STEP,
    ENROL_STEP,
    signed_in_with_password,
    with_authenticator,
)
from tests.test_production_settings import manage

REGISTER_BEGIN = "/personale/log-ind/adgangsnoegle/ny/start/"
REGISTER_COMPLETE = "/personale/log-ind/adgangsnoegle/ny/afslut/"
SIGN_IN_BEGIN = "/personale/log-ind/adgangsnoegle/brug/start/"
SIGN_IN_COMPLETE = "/personale/log-ind/adgangsnoegle/brug/afslut/"
REGISTERED = "/personale/log-ind/adgangsnoegle/"
PASSKEYS = "/personale/adgangsnoegler/"


@pytest.fixture(autouse=True)
def _mfa_switched_on(settings: Any) -> None:
    settings.MFA_REQUIRED = True


def with_passkey(user: User) -> WebAuthnCredential:
    """A stored passkey (its keys are never used here)."""
    return WebAuthnCredential.objects.create(
        user=user, name="passkey", credential_id=b"credential", public_key=b"key", aaguid=""
    )


def as_passed_with(client: Client, device: Any) -> None:
    """The session as django-otp leaves it after the device was used."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def test_the_set_up_page_offers_a_passkey_beside_the_app(centre: Location) -> None:
    manager = member(Role.MANAGER, centre)
    client, sent_to = signed_in_with_password(manager)
    page = client.get(sent_to).content.decode()
    assert 'data-passkey="register"' in page
    assert "Add a passkey" in page
    # Hidden until the script finds WebAuthn: without it the app still works.
    assert re.search(r'<section class="passkey"[^>]* hidden>', page)
    assert "<title>QR code for your authenticator app</title>" in page


def test_who_has_a_passkey_is_asked_for_it_and_may_use_a_code(centre: Location) -> None:
    manager = member(Role.MANAGER, centre)
    with_passkey(manager)
    client, sent_to = signed_in_with_password(manager)
    assert sent_to.startswith(CODE_STEP)
    page = client.get(sent_to).content.decode()
    assert "Use your passkey" in page
    assert 'name="code"' in page
    assert client.get("/personale/")["Location"].startswith(CODE_STEP)


def test_who_has_only_the_app_is_not_offered_a_passkey(centre: Location) -> None:
    manager = member(Role.MANAGER, centre)
    with_authenticator(manager)
    client, sent_to = signed_in_with_password(manager)
    assert "data-passkey" not in client.get(sent_to).content.decode()


def test_a_password_alone_never_adds_a_passkey_to_an_account_that_has_a_factor(
    centre: Location,
) -> None:
    manager = member(Role.MANAGER, centre)
    with_authenticator(manager)
    client, _ = signed_in_with_password(manager)
    assert client.post(REGISTER_BEGIN).status_code == 403
    assert client.post(REGISTER_COMPLETE, {}, content_type="application/json").status_code == 403
    assert not WebAuthnCredential.objects.filter(user=manager).exists()


def test_who_has_no_factor_yet_may_start_adding_a_passkey(centre: Location, settings: Any) -> None:
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    manager = member(Role.MANAGER, centre)
    client, _ = signed_in_with_password(manager)
    answer = client.post(REGISTER_BEGIN)
    assert answer.status_code == 200
    assert answer.json()["rp"]["id"] == "localhost"
    assert answer.json()["user"]["name"] == manager.username


def test_a_passkey_is_never_a_sign_in_without_the_password(db: None) -> None:
    client = Client()
    assert client.post(SIGN_IN_BEGIN).status_code == 403
    assert client.post(SIGN_IN_COMPLETE, {}, content_type="application/json").status_code == 403


def test_the_passkey_step_answers_only_to_the_owners_passkeys(centre: Location) -> None:
    manager = member(Role.MANAGER, centre)
    with_passkey(manager)
    client, _ = signed_in_with_password(manager)
    options = client.post(SIGN_IN_BEGIN).json()
    assert [item["id"] for item in options["allowCredentials"]] == ["Y3JlZGVudGlhbA"]


def test_a_passkey_answer_that_does_not_verify_is_noted_as_a_failure(centre: Location) -> None:
    manager = member(Role.MANAGER, centre)
    with_passkey(manager)
    client, _ = signed_in_with_password(manager)
    client.post(SIGN_IN_BEGIN)
    forged = {"id": "Y3JlZGVudGlhbA", "rawId": "Y3JlZGVudGlhbA", "type": "public-key"}
    answer = client.post(SIGN_IN_COMPLETE, forged, content_type="application/json")
    assert 400 <= answer.status_code < 500
    assert not client.session.get(DEVICE_ID_SESSION_KEY)
    failures = SignInEvent.objects.filter(kind=SignInEvent.Kind.SECOND_FACTOR_FAILED)
    assert list(failures.values_list("user", flat=True)) == [manager.pk]


def test_the_first_passkey_brings_recovery_codes_shown_once(centre: Location) -> None:
    manager = member(Role.MANAGER, centre)
    passkey = with_passkey(manager)
    client, _ = signed_in_with_password(manager)
    # Not before the passkey was used in this session.
    refused = client.post(REGISTERED, {"next": "/personale/tider/dag/"})
    assert refused["Location"].startswith(CODE_STEP)

    as_passed_with(client, passkey)
    shown = client.post(REGISTERED, {"next": "/personale/tider/dag/"})
    assert shown.status_code == 200
    page = shown.content.decode()
    assert len(re.findall(r"<li><code>([a-z2-7]+)</code></li>", page)) == 10
    assert "If you lose your passkey" in page
    assert client.post(REGISTERED, {"next": "/personale/tider/dag/"})["Location"] == (
        "/personale/tider/dag/"
    )
    assert client.get("/personale/tider/dag/").status_code == 200
    assert client.get(ENROL_STEP)["Location"] == "/personale/"


def test_resetting_two_factor_sign_in_forgets_the_passkeys(centre: Location) -> None:
    manager = member(Role.MANAGER, centre)
    with_passkey(manager)
    issue_recovery_codes(user=manager)
    remove_second_factor(user=manager)
    assert not WebAuthnCredential.objects.filter(user=manager).exists()
    _, sent_to = signed_in_with_password(manager)
    assert sent_to.startswith(ENROL_STEP)


def test_a_staff_member_lists_and_adds_passkeys_only_after_the_second_factor(
    centre: Location,
) -> None:
    manager = member(Role.MANAGER, centre)
    passkey = with_passkey(manager)
    client, _ = signed_in_with_password(manager)
    assert client.get(PASSKEYS)["Location"].startswith(CODE_STEP)
    as_passed_with(client, passkey)
    page = client.get(PASSKEYS).content.decode()
    assert page.count("Passkey added") == 1
    assert 'data-passkey="register"' in page
    assert client.post(REGISTER_BEGIN).status_code == 200


def test_the_passkey_pages_run_no_inline_script(centre: Location) -> None:
    # The Content-Security-Policy allows script files only: the pages keep
    # their texts and addresses in data-* attributes, not in a script.
    manager = member(Role.MANAGER, centre)
    client, sent_to = signed_in_with_password(manager)
    pages = [client.get(sent_to)]
    with_passkey(manager)
    pages.append(client.get(CODE_STEP))
    for answer in pages:
        assert answer.status_code == 200
        assert "script-src 'self'" in answer["Content-Security-Policy"]
        scripts = re.findall(r"<script[^>]*>", answer.content.decode())
        assert any("sign_in/passkeys.js" in tag for tag in scripts)
        assert all(" src=" in tag for tag in scripts), scripts


PASSKEY_SETTINGS = (
    "from django.conf import settings as s; import json; "
    "print(json.dumps([s.OTP_WEBAUTHN_RP_ID, s.OTP_WEBAUTHN_ALLOWED_ORIGINS]))"
)


@pytest.mark.parametrize(
    ("environment", "domain", "origins"),
    [
        (
            {"SITE_URL": "https://borgerservice.kommune.example"},
            "borgerservice.kommune.example",
            ["https://borgerservice.kommune.example"],
        ),
        (
            {
                "SITE_URL": "https://borgerservice.kommune.example",
                "PASSKEY_DOMAIN": "kommune.example",
            },
            "kommune.example",
            ["https://borgerservice.kommune.example"],
        ),
        # Plain http (a developer's or a demo's server): only localhost works.
        ({"SITE_URL": "http://0.0.0.0:9000"}, "localhost", ["http://localhost:9000"]),
    ],
)
def test_passkeys_belong_to_the_sites_domain(
    environment: dict[str, str], domain: str, origins: list[str]
) -> None:
    done = manage(
        "shell",
        "-c",
        PASSKEY_SETTINGS,
        env={"PASSKEY_DOMAIN": "", "PASSKEY_ORIGINS": "", **environment},
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [domain, origins]
