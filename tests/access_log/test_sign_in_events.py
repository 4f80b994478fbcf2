"""Sign-ins, sign-outs, failed attempts and lockouts in the access log:
who (when known), when, the event and the network it came from; never
the text typed as a user name nobody has; append-only; read within the
municipality; erased with the access log's retention period."""

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from skranke.access_log.models import AppendOnly, SignInEvent
from skranke.access_log.sign_ins import address_network
from skranke.accounts.models import Role, User
from skranke.core import clock
from skranke.core.models import Location, Municipality
from skranke.privacy.erasure import count_due_personal_data, erase_all_due_personal_data
from tests.access_log.conftest import member
from tests.centre import at

pytestmark = pytest.mark.django_db

URL = "/personale/adgangslog/"
SIGN_IN = "/personale/log-ind/"
Kind = SignInEvent.Kind


def browser(address: str = "192.0.2.10") -> Client:
    client = Client(REMOTE_ADDR=address)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def sign_in(client: Client, username: str, password: str):
    return client.post(SIGN_IN, {"username": username, "password": password})


def events() -> list[tuple[str, str, str]]:
    """Every row as (who, event, network), oldest first."""
    return [
        (event.actor_name, event.kind, event.network)
        for event in SignInEvent.objects.order_by("at", "pk")
    ]


def all_text() -> str:
    return " ".join(
        str(value)
        for event in SignInEvent.objects.all()
        for key, value in event.__dict__.items()
        if not key.startswith("_")
    )


@pytest.fixture
def frida(centre: Location) -> User:
    return member(Role.FRONT_DESK, centre, "frida")


@pytest.fixture
def manager(centre: Location) -> User:
    return member(Role.MANAGER, centre, "maja")


def test_a_sign_in_and_a_sign_out_are_logged_with_the_network_not_the_address(
    frida: User,
) -> None:
    clock.set_now(at(7, 8, 2))
    client = browser("192.0.2.10")
    assert sign_in(client, "frida", "pw").status_code == 302
    clock.set_now(at(7, 15, 30))
    client.post("/personale/log-ud/")
    assert events() == [
        ("frida", Kind.SIGNED_IN, "192.0.2.0/24"),
        ("frida", Kind.SIGNED_OUT, "192.0.2.0/24"),
    ]
    first, last = SignInEvent.objects.order_by("at")
    assert (first.at, last.at) == (at(7, 8, 2), at(7, 15, 30))
    assert (first.user, first.municipality) == (frida, frida.municipality)
    assert "192.0.2.10" not in all_text()


def test_a_wrong_password_names_the_staff_member_and_never_the_password(frida: User) -> None:
    sign_in(browser(), "frida", "Sommer2026!")
    assert events() == [("frida", Kind.FAILED, "192.0.2.0/24")]
    assert SignInEvent.objects.get().user == frida
    assert "Sommer2026" not in all_text()


def test_an_unknown_user_name_is_logged_without_the_text_typed(frida: User) -> None:
    # A password typed into the user-name field by mistake.
    sign_in(browser(), "Sommer2026!", "frida")
    assert events() == [("", Kind.FAILED_UNKNOWN_NAME, "192.0.2.0/24")]
    event = SignInEvent.objects.get()
    assert (event.user, event.municipality) == (None, None)
    assert "Sommer2026" not in all_text()


def test_a_lockout_is_logged_once_while_it_lasts(frida: User) -> None:
    client = browser()
    for n in range(8):
        sign_in(client, "frida", f"guess-{n}")
    assert sign_in(client, "frida", "pw").status_code == 429
    kinds = [kind for _who, kind, _network in events()]
    # Four failures, then the fifth locks; the attempts while locked are
    # refused by the lock and add nothing more.
    assert kinds == [Kind.FAILED] * 4 + [Kind.LOCKED_OUT]
    assert SignInEvent.objects.get(kind=Kind.LOCKED_OUT).user == frida


def test_a_wrong_second_factor_code_is_logged(frida: User, settings: Any) -> None:
    settings.MFA_REQUIRED = True
    TOTPDevice.objects.create(user=frida, name="authenticator", confirmed=True)
    client = browser()
    sign_in(client, "frida", "pw")
    assert client.post("/personale/log-ind/kode/", {"code": "000000"}).status_code == 400
    assert [kind for _who, kind, _network in events()] == [
        Kind.SIGNED_IN,
        Kind.SECOND_FACTOR_FAILED,
    ]


def test_the_rows_are_append_only(frida: User) -> None:
    sign_in(browser(), "frida", "wrong")
    event = SignInEvent.objects.get()
    event.actor_name = "someone else"
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        event.delete()
    with pytest.raises(AppendOnly):
        SignInEvent.objects.update(actor_name="x")
    with pytest.raises(AppendOnly):
        SignInEvent.objects.all().delete()
    assert SignInEvent.objects.get().actor_name == "frida"


def test_a_manager_reads_the_sign_ins_of_their_municipality_only(
    centre: Location, frida: User, manager: User
) -> None:
    town = Municipality.objects.create(name="Andeby", slug="andeby")
    elsewhere = Location.objects.create(municipality=town, name="Andeby Rådhus", slug="andeby")
    anders = member(Role.FRONT_DESK, elsewhere, "anders")
    other_manager = member(Role.MANAGER, elsewhere, "mogens")
    sign_in(browser(), "frida", "wrong")
    sign_in(browser(), "anders", "wrong")
    sign_in(browser(), "nobody-at-all", "wrong")

    client = browser()
    client.force_login(manager)
    page = client.post(URL, {"kind": "sign_ins", "staff": "0"}).content.decode()
    assert "Frida" in page
    assert "Failed sign-in" in page
    assert "192.0.2.0/24" in page
    assert "Anders" not in page
    assert "unknown user name" not in page  # no municipality: superusers only
    # Another municipality's staff member cannot be asked for by number.
    page = client.post(URL, {"kind": "sign_ins", "staff": str(anders.pk)}).content.decode()
    assert "Anders" not in page
    assert "Failed sign-in" not in page

    other = browser()
    other.force_login(other_manager)
    page = other.post(URL, {"kind": "sign_ins", "staff": "0"}).content.decode()
    assert "Anders" in page
    assert "Frida" not in page

    export = client.post(URL, {"kind": "sign_ins", "staff": "0", "export": "csv"})
    text = b"".join(export.streaming_content if export.streaming else [export.content])
    assert b"frida" in text
    assert b"anders" not in text

    front_desk = browser()
    front_desk.force_login(frida)
    assert front_desk.post(URL, {"kind": "sign_ins", "staff": "0"}).status_code == 403


def test_retention_erases_sign_in_events_with_the_access_log(frida: User) -> None:
    clock.set_now(at(7, 8))
    sign_in(browser(), "frida", "wrong")
    sign_in(browser(), "nobody-at-all", "wrong")
    later = at(7, 8) + timedelta(days=365 * 10)
    assert count_due_personal_data(now=at(7, 9))["access_records"] == 0
    assert count_due_personal_data(now=later)["access_records"] == 2
    erase_all_due_personal_data(now=at(7, 9))
    assert SignInEvent.objects.count() == 2
    erase_all_due_personal_data(now=later)
    assert SignInEvent.objects.count() == 0


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("192.0.2.10", "192.0.2.0/24"),
        ("2001:db8:1234:5678::1", "2001:db8:1234::/48"),
        ("::ffff:192.0.2.10", "192.0.2.0/24"),
        ("unknown", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_an_address_is_kept_as_its_network(address: str | None, network: str) -> None:
    assert address_network(address) == network


def test_a_superuser_sees_the_attempts_with_an_unknown_user_name(frida: User) -> None:
    sign_in(browser(), "nobody-at-all", "wrong")
    root = User.objects.create_superuser("root", password="pw")
    client = browser()
    client.force_login(root)
    page = client.post(URL, {"kind": "sign_ins", "staff": "0"}).content.decode()
    assert "(unknown user name)" in page
    assert "nobody-at-all" not in page
    assert client.get("/admin/access_log/signinevent/").status_code == 200
