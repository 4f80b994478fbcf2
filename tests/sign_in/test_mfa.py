"""Two-factor sign-in: who has passed the password but not the code sees
no staff page, no admin and no API; the code from the app (or a recovery
code, once) lets them on to the page they asked for."""

import re
from base64 import b32encode
from datetime import timedelta
from typing import Any
from urllib.parse import quote

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.auth.models import Permission
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from skranke.accounts.models import Role, SignInSettings, User
from skranke.core.models import Location
from skranke.sign_in.mfa_devices import issue_recovery_codes
from tests.booking.test_staff_booking import member

CODE_STEP = "/personale/log-ind/kode/"
ENROL_STEP = "/personale/log-ind/autentifikator/"
STATISTICS_API = "/api/v1/statistics/visits?from=2026-01-01&to=2026-01-31"


@pytest.fixture(autouse=True)
def _mfa_switched_on(settings: Any) -> None:
    settings.MFA_REQUIRED = True


def with_authenticator(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def code_now(device: TOTPDevice) -> str:
    """The code the staff member's app shows at this moment."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def signed_in_with_password(user: User, next_url: str = "") -> tuple[Client, str]:
    """A browser that has passed the password step, and where it was sent."""
    client = Client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    data = {"username": user.username, "password": "pw"}
    if next_url:
        data["next"] = next_url
    answer = client.post("/personale/log-ind/", data)
    assert answer.status_code == 302
    return client, answer["Location"]


def test_a_manager_sees_no_staff_page_admin_or_api_until_the_code_is_given(
    centre: Location,
) -> None:
    manager = member(Role.MANAGER, centre)
    device = with_authenticator(manager)
    client, sent_to = signed_in_with_password(manager)
    assert sent_to == f"{CODE_STEP}?next=%2Fpersonale%2F"
    for page in ["/personale/", "/personale/tider/dag/", "/admin/", "/admin/core/desk/"]:
        answer = client.get(page)
        assert answer.status_code == 302, page
        assert answer["Location"] == f"{CODE_STEP}?next={quote(page, safe='')}"
    assert client.get(STATISTICS_API).status_code == 401
    assert client.get(sent_to).status_code == 200

    answer = client.post(CODE_STEP, {"code": code_now(device), "next": "/personale/"})
    assert answer["Location"] == "/personale/"
    assert client.get("/personale/").status_code == 200
    assert client.get("/admin/").status_code == 200
    assert client.get(STATISTICS_API).status_code == 200


def test_a_wrong_code_is_refused(centre: Location) -> None:
    manager = member(Role.MANAGER, centre)
    device = with_authenticator(manager)
    client, _ = signed_in_with_password(manager)
    right = int(code_now(device))
    wrong = f"{(right + 1) % 1_000_000:06d}"
    answer = client.post(CODE_STEP, {"code": wrong})
    assert answer.status_code == 400
    assert "The code was not accepted" in answer.content.decode()
    assert client.get("/personale/").status_code == 302
    # The right code a little later (wrong codes slow the next try down).
    with time_machine.travel(timedelta(seconds=31), tick=False):
        assert client.post(CODE_STEP, {"code": code_now(device)}).status_code == 302
        assert client.get("/personale/").status_code == 200


def test_the_admin_sign_in_page_cannot_skip_the_code(centre: Location) -> None:
    administrator = member(Role.ADMINISTRATOR, centre)
    with_authenticator(administrator)
    client = Client()
    client.post("/admin/login/", {"username": administrator.username, "password": "pw"})
    answer = client.get("/admin/")
    assert answer.status_code == 302
    assert answer["Location"].startswith(CODE_STEP)


def test_a_manager_without_an_app_sets_one_up_and_gets_recovery_codes(
    centre: Location,
) -> None:
    manager = member(Role.MANAGER, centre)
    client, sent_to = signed_in_with_password(manager, next_url="/personale/tider/dag/")
    assert sent_to.startswith(ENROL_STEP)
    assert client.get("/personale/tider/dag/")["Location"].startswith(ENROL_STEP)
    page = client.get(sent_to).content.decode()
    device = TOTPDevice.objects.get(user=manager, confirmed=False)
    assert "<title>QR code for your authenticator app</title>" in page
    secret = b32encode(device.bin_key).decode().rstrip("=")
    assert secret[:4] + " " + secret[4:8] in page  # the key as text, for who cannot scan
    assert "<script" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]

    wrong = client.post(ENROL_STEP, {"code": "000000", "next": "/personale/tider/dag/"})
    assert wrong.status_code == 400
    with time_machine.travel(timedelta(seconds=31), tick=False):
        done = client.post(ENROL_STEP, {"code": code_now(device), "next": "/personale/tider/dag/"})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", done.content.decode())
    assert len(codes) == 10
    assert 'href="/personale/tider/dag/"' in done.content.decode()
    assert client.get("/personale/tider/dag/").status_code == 200
    # A reload of the set-up page does not show the codes or a new key again.
    assert client.get(ENROL_STEP)["Location"] == "/personale/"


def test_a_password_alone_never_adds_an_app_to_an_account_that_has_one(
    centre: Location,
) -> None:
    manager = member(Role.MANAGER, centre)
    with_authenticator(manager)
    client, _ = signed_in_with_password(manager)
    answer = client.get(ENROL_STEP)
    assert answer["Location"].startswith(CODE_STEP)
    assert TOTPDevice.objects.filter(user=manager).count() == 1


def test_a_recovery_code_works_once_only(centre: Location) -> None:
    manager = member(Role.MANAGER, centre)
    with_authenticator(manager)
    codes = issue_recovery_codes(user=manager)
    first, _ = signed_in_with_password(manager)
    answer = first.post(CODE_STEP, {"code": codes[0].upper()}, follow=True)
    assert answer.status_code == 200
    assert "You have 9 left" in answer.content.decode()
    second, _ = signed_in_with_password(manager)
    assert second.post(CODE_STEP, {"code": codes[0]}).status_code == 400
    assert second.get("/personale/").status_code == 302


def test_the_municipality_can_require_the_code_of_front_desk_staff(centre: Location) -> None:
    clerk = member(Role.FRONT_DESK, centre)
    client, sent_to = signed_in_with_password(clerk)
    assert sent_to == "/personale/"
    assert client.get("/personale/").status_code == 200

    SignInSettings.objects.create(municipality=centre.municipality, mfa_for_everyone=True)
    client, sent_to = signed_in_with_password(clerk)
    assert sent_to.startswith(ENROL_STEP)
    assert client.get("/personale/").status_code == 302


def test_the_data_protection_permission_needs_the_code_whatever_the_role(
    centre: Location,
) -> None:
    """A contact-centre agent made data-protection officer reads the access
    log and the citizens' data of every location: not on a password alone."""
    agent = member(Role.CONTACT_AGENT, centre)
    client, sent_to = signed_in_with_password(agent)
    assert sent_to == "/personale/"

    agent.user_permissions.add(
        Permission.objects.get(content_type__app_label="access_log", codename="read_access_log")
    )
    agent = User.objects.get(pk=agent.pk)  # permissions are cached on the object
    client, sent_to = signed_in_with_password(agent)
    assert sent_to.startswith(ENROL_STEP)
    for page in ["/personale/adgangslog/", "/personale/"]:
        answer = client.get(page)
        assert answer.status_code == 302, page
        assert answer["Location"].startswith(ENROL_STEP)


def test_without_mfa_switched_on_the_password_is_enough(centre: Location, settings: Any) -> None:
    settings.MFA_REQUIRED = False
    manager = member(Role.MANAGER, centre)
    with_authenticator(manager)
    client, sent_to = signed_in_with_password(manager)
    assert sent_to == "/personale/"
    assert client.get("/admin/").status_code == 200


def test_only_this_sites_pages_are_followed_after_the_code(centre: Location) -> None:
    manager = member(Role.MANAGER, centre)
    device = with_authenticator(manager)
    client, _ = signed_in_with_password(manager)
    answer = client.post(CODE_STEP, {"code": code_now(device), "next": "https://example.com/"})
    assert answer["Location"] == "/personale/"


def test_an_administrator_resets_a_colleagues_lost_app(
    centre: Location, staff_client, settings: Any
) -> None:
    manager = member(Role.MANAGER, centre)
    with_authenticator(manager)
    issue_recovery_codes(user=manager)
    administrator = staff_client(member(Role.ADMINISTRATOR, centre))
    # staff_client skips the code step; the admin's action is what is tested.
    settings.MFA_REQUIRED = False
    administrator.post(
        "/admin/accounts/user/",
        {"action": "reset_second_factors", "_selected_action": [manager.pk]},
    )
    settings.MFA_REQUIRED = True
    assert not TOTPDevice.objects.filter(user=manager).exists()
    _, sent_to = signed_in_with_password(manager)
    assert sent_to.startswith(ENROL_STEP)
