"""Lockout: repeated wrong passwords lock the account from the network they
come from (an IPv4 address, an IPv6 /64) and, at a higher limit, the
network (whatever account); the right password is refused there while
locked, and signs in from anywhere else. An account failed from many
networks is throttled: the right password goes on only with a second
factor. The lock lifts by itself or by the administrator."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.test import Client, RequestFactory
from django_otp.plugins.otp_totp.models import TOTPDevice

from skranke.accounts.models import Role
from skranke.core.models import Location
from skranke.sign_in.lockout import forget_old_sign_in_attempts
from skranke.web.client_address import client_address
from tests.booking.test_staff_booking import member

LOCKED = "Too many failed attempts. Try again in 15 minutes or ask your administrator."


def browser(address: str = "192.0.2.10") -> Client:
    client = Client(REMOTE_ADDR=address)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def sign_in(client: Client, username: str, password: str, page: str = "/personale/log-ind/"):
    return client.post(page, {"username": username, "password": password})


def is_signed_in(client: Client) -> bool:
    return client.get("/personale/").status_code == 200


def test_a_brute_force_run_is_locked_out_and_the_right_password_refused(
    centre: Location,
) -> None:
    clerk = member(Role.FRONT_DESK, centre)
    client = browser()
    answers = [sign_in(client, clerk.username, f"guess-{n}") for n in range(20)]
    assert [answer.status_code for answer in answers[:4]] == [200] * 4
    assert answers[4].status_code == 429  # the fifth failure locks
    assert all(answer.status_code == 429 for answer in answers[4:])

    right = sign_in(client, clerk.username, "pw")
    assert right.status_code == 429
    assert LOCKED in right.content.decode()
    assert not is_signed_in(client)


def test_someone_guessing_elsewhere_does_not_lock_the_staff_member_out(
    centre: Location,
) -> None:
    # Anyone who knows a user name could otherwise keep a front desk from
    # working with a wrong password every few minutes.
    clerk = member(Role.FRONT_DESK, centre)
    attacker = browser("198.51.100.7")
    for _ in range(5):
        sign_in(attacker, clerk.username, "wrong")
    assert sign_in(attacker, clerk.username, "pw").status_code == 429
    at_the_desk = browser("203.0.113.7")
    assert sign_in(at_the_desk, clerk.username, "pw").status_code == 302
    assert is_signed_in(at_the_desk)


def test_one_ipv6_network_is_one_place_however_many_addresses_it_rotates(
    centre: Location,
) -> None:
    clerk = member(Role.FRONT_DESK, centre)
    answers = [
        sign_in(browser(f"2001:db8:5:6:{n:x}::{n + 1:x}"), clerk.username, f"guess-{n}")
        for n in range(8)
    ]
    assert [answer.status_code for answer in answers] == [200] * 4 + [429] * 4
    assert sign_in(browser("2001:db8:5:6:ffff::1"), clerk.username, "pw").status_code == 429
    # The neighbouring /64 is another household.
    assert sign_in(browser("2001:db8:5:7::1"), clerk.username, "pw").status_code == 302


def test_the_lockout_keeps_neither_the_user_name_typed_nor_the_address(
    centre: Location,
) -> None:
    # A password typed in the user-name field is the classic slip.
    sign_in(browser("2001:db8:5:6:1234:5678:9abc:def0"), "Sommer2026!", "wrong")
    (attempt,) = AccessAttempt.objects.all()
    assert "Sommer2026" not in str(attempt.username)
    assert "sommer2026" not in str(attempt.username)
    assert attempt.ip_address == "2001:db8:5:6::"
    assert "Sommer2026" not in attempt.post_data


def test_an_account_tried_from_many_networks_asks_the_right_password_for_a_second_factor(
    centre: Location, settings: Any
) -> None:
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 12
    clerk = member(Role.FRONT_DESK, centre)
    for network in range(3):
        for _ in range(4):
            sign_in(browser(f"198.51.100.{network}"), clerk.username, "wrong")
    # No second factor to ask for: refused, with the lock's words, not as a
    # wrong password.
    desk = browser("203.0.113.7")
    refused = sign_in(desk, clerk.username, "pw")
    assert refused.status_code == 200
    assert "Too many failed attempts" in refused.content.decode()
    assert not is_signed_in(desk)
    # A wrong password gets the same answer: nobody learns which was right.
    wrong = sign_in(browser("203.0.113.8"), clerk.username, "wrong")
    assert "Too many failed attempts" in wrong.content.decode()

    # With an authenticator, the right password goes on to ask for its code.
    TOTPDevice.objects.create(user=clerk, name="Telefon", confirmed=True)
    answer = sign_in(desk, clerk.username, "pw")
    assert answer.status_code == 302
    assert answer["Location"].startswith("/personale/log-ind/kode/")
    assert desk.get("/personale/").status_code == 302  # not in until the code is given
    assert not settings.MFA_REQUIRED  # asked only because of the attack


def test_one_address_trying_many_accounts_is_locked_at_its_own_limit(
    centre: Location, settings: Any
) -> None:
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 12
    clerk = member(Role.FRONT_DESK, centre)
    own_account = member(Role.CONTACT_AGENT, centre)
    attacker = browser("192.0.2.66")
    for n in range(11):
        sign_in(attacker, f"guessed-name-{n}", "wrong")
    # Signing in to an account of one's own does not wipe the address's record.
    assert sign_in(browser("192.0.2.66"), own_account.username, "pw").status_code == 302
    sign_in(attacker, "guessed-name-11", "wrong")
    assert sign_in(attacker, clerk.username, "pw").status_code == 429
    assert sign_in(browser("192.0.2.67"), clerk.username, "pw").status_code == 302


def test_the_admins_sign_in_page_is_locked_too(centre: Location) -> None:
    manager = member(Role.MANAGER, centre)
    client = browser()
    for _ in range(5):
        sign_in(client, manager.username, "wrong", page="/admin/login/")
    answer = sign_in(client, manager.username, "pw", page="/admin/login/")
    assert answer.status_code == 429
    assert client.get("/admin/").status_code == 302


def test_an_administrator_unlocks_a_colleague(centre: Location, staff_client) -> None:
    clerk = member(Role.FRONT_DESK, centre)
    client = browser()
    for _ in range(6):
        sign_in(client, clerk.username, "wrong")
    assert sign_in(client, clerk.username, "pw").status_code == 429

    administrator = staff_client(member(Role.ADMINISTRATOR, centre))
    done = administrator.post(
        "/admin/accounts/user/",
        {"action": "unlock_sign_ins", "_selected_action": [clerk.pk]},
        follow=True,
    )
    assert "They can sign in again at once." in done.content.decode()
    assert sign_in(client, clerk.username, "pw").status_code == 302
    assert is_signed_in(client)


def test_a_manager_cannot_unlock_anyone(centre: Location, staff_client) -> None:
    clerk = member(Role.FRONT_DESK, centre)
    client = browser()
    for _ in range(5):
        sign_in(client, clerk.username, "wrong")
    manager = staff_client(member(Role.MANAGER, centre))
    manager.post(
        "/admin/accounts/user/", {"action": "unlock_sign_ins", "_selected_action": [clerk.pk]}
    )
    assert sign_in(client, clerk.username, "pw").status_code == 429


def test_the_lock_lifts_after_the_lockout_time(centre: Location) -> None:
    clerk = member(Role.FRONT_DESK, centre)
    client = browser()
    for _ in range(5):
        sign_in(client, clerk.username, "wrong")
    with time_machine.travel(timedelta(minutes=14), tick=False):
        answer = sign_in(client, clerk.username, "pw")
        assert answer.status_code == 429
        # The failure during the lock started its fifteen minutes again.
        assert LOCKED in answer.content.decode()
    with time_machine.travel(timedelta(minutes=30), tick=False):
        assert sign_in(client, clerk.username, "pw").status_code == 302


def test_a_successful_sign_in_forgets_the_earlier_failures(centre: Location) -> None:
    clerk = member(Role.FRONT_DESK, centre)
    client = browser()
    for _ in range(4):
        sign_in(client, clerk.username, "wrong")
    assert sign_in(client, clerk.username, "pw").status_code == 302
    client.post("/personale/log-ud/")
    for _ in range(4):
        assert sign_in(client, clerk.username, "wrong").status_code == 200
    assert sign_in(client, clerk.username, "pw").status_code == 302


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "1.2.3.4", "10.0.0.1"),  # no proxy: the header is the client's own
        (1, "1.2.3.4, 5.6.7.8", "5.6.7.8"),  # the left one the client made up
        (2, "5.6.7.8, 172.16.0.2", "5.6.7.8"),
        (1, "", "10.0.0.1"),
    ],
)
def test_the_address_is_the_one_the_trusted_proxy_saw(
    settings: Any, proxies: int, forwarded: str, expected: str
) -> None:
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().post(
        "/personale/log-ind/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded
    )
    assert client_address(request) == expected


def test_a_locked_account_is_not_named_in_the_log(centre: Location, caplog) -> None:
    clerk = member(Role.FRONT_DESK, centre)
    for _ in range(6):
        sign_in(browser(), clerk.username, "wrong")
    assert caplog.records
    assert not any(clerk.username in record.getMessage() for record in caplog.records)
    assert not any("192.0.2.10" in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize("page", ["/personale/log-ind/", "/admin/login/"])
def test_a_user_name_longer_than_any_account_is_a_form_error_not_an_attempt(
    centre: Location, page: str
) -> None:
    # django-axes keeps 255 characters of a failed attempt's user name:
    # PostgreSQL refused a longer one, and the page answered 500.
    answer = sign_in(browser(), "x" * 300, "whatever", page=page)
    assert answer.status_code == 200
    assert "at most 150 characters" in answer.content.decode()
    assert not AccessAttempt.objects.exists()


def test_the_worker_forgets_failed_attempts_once_the_lock_has_lifted(centre: Location) -> None:
    clerk = member(Role.FRONT_DESK, centre)
    client = browser()
    for _ in range(3):
        sign_in(client, clerk.username, "wrong")
    assert forget_old_sign_in_attempts() == 0  # they still count
    with time_machine.travel(timedelta(minutes=16), tick=False):
        assert forget_old_sign_in_attempts() == 1
    assert not AccessAttempt.objects.exists()
