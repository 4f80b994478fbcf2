"""The sign-in log tells the second step apart: "signed in" is written when
the staff member is in, after the second factor where one is asked, not at
the password; setting up an app, adding a passkey, using a recovery code,
a reset of the second factor, an unlock and a password reset each leave an
event, with the administrator who did it. When an administrator's second
factor is reset, the other administrators are told. A passkey is added
beside an existing second factor only just after signing in."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from skranke.access_log.models import SignInEvent
from skranke.accounts.models import Role, User
from skranke.core import clock
from skranke.core.models import Location
from skranke.sign_in.mfa_devices import issue_recovery_codes
from tests.access_log.conftest import member
from tests.sign_in.test_mfa import (
    CODE_STEP,
    ENROL_STEP,
    code_now,
    signed_in_with_password,
    with_authenticator,
)

pytestmark = pytest.mark.django_db
Kind = SignInEvent.Kind


@pytest.fixture(autouse=True)
def _mfa_switched_on(settings: Any) -> None:
    settings.MFA_REQUIRED = True


def kinds(user: User) -> list[str]:
    return list(
        SignInEvent.objects.filter(user=user).order_by("at", "pk").values_list("kind", flat=True)
    )


def test_signed_in_is_written_after_the_code_not_at_the_password(centre: Location) -> None:
    manager = member(Role.MANAGER, centre)
    device = with_authenticator(manager)
    client, _ = signed_in_with_password(manager)
    assert kinds(manager) == [Kind.PASSWORD_ACCEPTED]
    with time_machine.travel(timedelta(seconds=31), tick=False):
        client.post(CODE_STEP, {"code": code_now(device)})
    assert kinds(manager) == [Kind.PASSWORD_ACCEPTED, Kind.SIGNED_IN]


def test_without_a_second_step_the_password_signs_in(centre: Location) -> None:
    clerk = member(Role.FRONT_DESK, centre)
    signed_in_with_password(clerk)
    assert kinds(clerk) == [Kind.SIGNED_IN]


def test_a_recovery_code_used_is_logged_as_such(centre: Location) -> None:
    manager = member(Role.MANAGER, centre)
    with_authenticator(manager)
    codes = issue_recovery_codes(user=manager)
    client, _ = signed_in_with_password(manager)
    client.post(CODE_STEP, {"code": codes[0]})
    assert kinds(manager) == [Kind.PASSWORD_ACCEPTED, Kind.SIGNED_IN_WITH_RECOVERY_CODE]


def test_setting_up_the_app_is_logged_and_then_the_sign_in(centre: Location) -> None:
    manager = member(Role.MANAGER, centre)
    client, sent_to = signed_in_with_password(manager)
    assert sent_to.startswith(ENROL_STEP)
    client.get(sent_to)
    device = TOTPDevice.objects.get(user=manager, confirmed=False)
    assert client.post(ENROL_STEP, {"code": code_now(device)}).status_code == 200
    assert kinds(manager) == [
        Kind.PASSWORD_ACCEPTED,
        Kind.AUTHENTICATOR_SET_UP,
        Kind.SIGNED_IN,
    ]


def administrator(centre: Location, name: str) -> User:
    """An administrator with an e-mail address, name@example.org."""
    user = member(Role.ADMINISTRATOR, centre, name)
    user.email = f"{name}@example.org"
    user.save()
    return user


def administrators_client(centre: Location, staff_client: Any, settings: Any) -> Client:
    settings.MFA_REQUIRED = False  # staff_client skips the code step
    return staff_client(administrator(centre, "anna"))


def test_an_administrators_reset_is_logged_with_who_did_it_and_the_others_are_told(
    centre: Location, staff_client: Any, settings: Any
) -> None:
    colleague = member(Role.ADMINISTRATOR, centre, "bent")
    with_authenticator(colleague)
    administrator(centre, "carl")
    client = administrators_client(centre, staff_client, settings)
    client.post(
        "/admin/accounts/user/",
        {"action": "reset_second_factors", "_selected_action": [colleague.pk]},
    )
    event = SignInEvent.objects.get(kind=Kind.SECOND_FACTOR_RESET)
    assert (event.user, event.by_name) == (colleague, "anna")
    (told,) = mail.outbox
    assert told.to == ["carl@example.org"]  # not the one who did it
    assert "anna" in told.body
    assert "bent" in told.body
    assert "nulstillede totrinslogin" in told.body


def test_a_reset_of_a_front_desk_member_tells_no_administrator(
    centre: Location, staff_client: Any, settings: Any
) -> None:
    clerk = member(Role.FRONT_DESK, centre, "frida")
    with_authenticator(clerk)
    administrator(centre, "carl")
    client = administrators_client(centre, staff_client, settings)
    client.post(
        "/admin/accounts/user/", {"action": "reset_second_factors", "_selected_action": [clerk.pk]}
    )
    assert SignInEvent.objects.filter(kind=Kind.SECOND_FACTOR_RESET, user=clerk).exists()
    assert mail.outbox == []


def test_an_unlock_is_logged_with_who_did_it(
    centre: Location, staff_client: Any, settings: Any
) -> None:
    clerk = member(Role.FRONT_DESK, centre, "frida")
    client = administrators_client(centre, staff_client, settings)
    client.post(
        "/admin/accounts/user/", {"action": "unlock_sign_ins", "_selected_action": [clerk.pk]}
    )
    event = SignInEvent.objects.get(kind=Kind.UNLOCKED)
    assert (event.user, event.by_name) == (clerk, "anna")


def test_adding_a_passkey_beside_the_app_needs_a_fresh_sign_in(centre: Location) -> None:
    manager = member(Role.MANAGER, centre)
    device = with_authenticator(manager)
    client, _ = signed_in_with_password(manager)
    with time_machine.travel(timedelta(seconds=31), tick=False):
        client.post(CODE_STEP, {"code": code_now(device)})
    begin = "/personale/log-ind/adgangsnoegle/ny/start/"
    assert "Sign in again" not in client.get("/personale/adgangsnoegler/").content.decode()
    assert client.post(begin, content_type="application/json").status_code == 200
    clock.set_now(clock.now() + timedelta(minutes=11))
    page = client.get("/personale/adgangsnoegler/").content.decode()
    assert "Sign in again" in page
    refused = client.post(begin, content_type="application/json")
    assert refused.status_code == 403
    assert "sign in again" in refused.content.decode()
