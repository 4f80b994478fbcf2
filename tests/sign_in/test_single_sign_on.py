"""Single sign-on by OpenID Connect, against a real provider the test starts
on 127.0.0.1 (tests/sign_in/identity_provider.py): a staff member whose
identity an administrator entered signs in with their own role and
locations; a token for someone else's audience, an old one, one with
another nonce, an answer for another sign-in and an unknown person are
refused with a clear page and no one is created; the e-mail address never
decides who signs in; and the provider's own second factor spares
Skranke's only when the municipality says it asks for one."""

import logging
from collections.abc import Iterator
from datetime import time, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.test import Client
from joserfc.jwk import RSAKey

from skranke.accounts.models import Role, SingleSignOn, StaffIdentity, User, validate_issuer_url
from skranke.core import clock
from skranke.core.models import Desk, Location, Municipality, OpeningHours
from tests.booking.test_staff_booking import member
from tests.sign_in.identity_provider import LocalIdentityProvider

RETURN_URL = "http://testserver/personale/log-ind/sso/retur/"
SUBJECT = "3f1c2a9e-5b7d-4e8a-9c0f-1a2b3c4d5e6f"
LOGIN = "/personale/log-ind/"


@pytest.fixture
def identity_provider() -> Iterator[LocalIdentityProvider]:
    provider = LocalIdentityProvider(
        client_id="skranke-test", client_secret="very-secret", redirect_uri=RETURN_URL
    )
    provider.start()
    yield provider
    provider.stop()


@pytest.fixture
def single_sign_on(centre: Location, identity_provider: LocalIdentityProvider) -> SingleSignOn:
    return SingleSignOn.objects.create(
        municipality=centre.municipality,
        name="Testkommunes Entra ID",
        issuer=identity_provider.issuer,
        client_id="skranke-test",
        client_secret="very-secret",
    )


def provisioned(role: str, location: Location, provider: SingleSignOn) -> User:
    """A staff member an administrator has set up, with their identity at the provider."""
    user = member(role, location)
    user.email = f"{user.username}@testkommune.dk"
    user.save()
    StaffIdentity.objects.create(user=user, provider=provider, subject=SUBJECT)
    return user


def browser() -> Client:
    client = Client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def follow_provider(client: Client, start: HttpResponse) -> str:
    """The browser goes to the provider (over real HTTP), which signs the
    person in at once and sends it back: the return address it is sent to."""
    assert start.status_code == 302
    answer = requests.get(start["Location"], allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    back = answer.headers["Location"]
    assert back.startswith(RETURN_URL)
    parts = urlsplit(back)
    return f"{parts.path}?{parts.query}"


def sign_in(client: Client, provider: SingleSignOn, next_url: str = "") -> HttpResponse:
    """The staff member clicks the provider's button and comes back."""
    page = client.get(LOGIN).content.decode()
    assert f"Log in with {provider.name}" in page
    start_url = f"/personale/log-ind/sso/{provider.pk}/"
    assert start_url in page
    start = client.get(start_url + (f"?next={next_url}" if next_url else ""))
    return client.get(follow_provider(client, start))


def signed_in_user(client: Client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value is not None else None


def test_a_provisioned_staff_member_signs_in_with_their_own_role_and_locations(
    centre: Location, single_sign_on: SingleSignOn, identity_provider: LocalIdentityProvider
) -> None:
    elsewhere = Location.objects.create(
        municipality=centre.municipality, name="Biblioteket", slug="bibliotek", address="Vej 2"
    )
    OpeningHours.objects.create(location=elsewhere, weekday=0, opens=time(10), closes=time(15))
    own_desk = Desk.objects.get(location=centre, name="1")
    other_desk = Desk.objects.create(location=elsewhere, name="9")
    front_desk = provisioned(Role.FRONT_DESK, centre, single_sign_on)
    identity_provider.subject = SUBJECT
    staff_before = User.objects.count()

    answer = sign_in(client := browser(), single_sign_on, next_url="/personale/skranke/")

    assert answer.status_code == 302
    assert answer["Location"] == "/personale/skranke/"
    assert signed_in_user(client) == front_desk.pk
    assert User.objects.count() == staff_before
    front_desk.refresh_from_db()
    assert front_desk.role == Role.FRONT_DESK
    assert list(front_desk.locations.all()) == [centre]
    assert client.get("/personale/").status_code == 200
    assert client.get(f"/personale/skranke/{own_desk.pk}/").status_code == 200
    assert client.get(f"/personale/skranke/{other_desk.pk}/").status_code == 404
    # The code was exchanged with the verifier of the PKCE challenge (the
    # provider refuses it otherwise), and the secret never left the back channel.
    (token_request,) = identity_provider.token_requests
    assert len(token_request["code_verifier"]) >= 43
    assert "client_secret" not in token_request


def not_signed_in(client: Client) -> bool:
    return signed_in_user(client) is None and client.get("/personale/").status_code == 302


@pytest.mark.parametrize(
    ("changes", "why"),
    [
        ({"aud": "another-application"}, "another audience"),
        ({"aud": ["another-application", "a-third"]}, "a list without us"),
        ({"iss": "https://login.example.com/someone-else"}, "another issuer"),
        ({"nonce": "not-the-one-sent"}, "another nonce"),
        ({"nonce": None}, "no nonce"),
    ],
)
def test_a_token_for_another_audience_issuer_or_nonce_is_refused(
    centre: Location,
    single_sign_on: SingleSignOn,
    identity_provider: LocalIdentityProvider,
    changes: dict[str, Any],
    why: str,
) -> None:
    provisioned(Role.FRONT_DESK, centre, single_sign_on)
    identity_provider.subject = SUBJECT
    identity_provider.id_token_changes = changes
    answer = sign_in(client := browser(), single_sign_on)
    assert answer.status_code == 400, why
    assert "could not be verified" in answer.content.decode()
    assert not_signed_in(client)


def test_an_expired_token_is_refused(
    centre: Location, single_sign_on: SingleSignOn, identity_provider: LocalIdentityProvider
) -> None:
    provisioned(Role.FRONT_DESK, centre, single_sign_on)
    identity_provider.subject = SUBJECT
    now = int(clock.now().timestamp())
    identity_provider.id_token_changes = {"iat": now - 900, "exp": now - 300}
    answer = sign_in(client := browser(), single_sign_on)
    assert answer.status_code == 400
    assert "could not be verified" in answer.content.decode()
    assert not_signed_in(client)


def test_a_token_signed_by_another_key_is_refused(
    centre: Location, single_sign_on: SingleSignOn, identity_provider: LocalIdentityProvider
) -> None:
    provisioned(Role.FRONT_DESK, centre, single_sign_on)
    identity_provider.subject = SUBJECT
    # Someone else's key under the provider's key id: the signature fails.
    identity_provider.signing_key = RSAKey.generate_key(
        2048, parameters={"kid": identity_provider.key.kid}
    )
    client = browser()
    back = follow_provider(client, client.get(f"/personale/log-ind/sso/{single_sign_on.pk}/"))
    answer = client.get(back)
    assert answer.status_code == 400
    assert not_signed_in(client)


def test_an_answer_for_another_sign_in_or_used_twice_is_refused(
    centre: Location, single_sign_on: SingleSignOn, identity_provider: LocalIdentityProvider
) -> None:
    provisioned(Role.FRONT_DESK, centre, single_sign_on)
    identity_provider.subject = SUBJECT
    client = browser()
    back = follow_provider(client, client.get(f"/personale/log-ind/sso/{single_sign_on.pk}/"))
    forged = back.replace("state=", "state=x")
    answer = client.get(forged)
    assert answer.status_code == 400
    assert "did not belong to this sign-in" in answer.content.decode()
    assert not_signed_in(client)
    # The sign-in under way is spent: the right answer now comes too late.
    answer = client.get(back)
    assert answer.status_code == 400
    assert "Please try again" in answer.content.decode()
    assert not_signed_in(client)

    # Another browser, which never started a sign-in, gets nowhere with it.
    back = follow_provider(client, client.get(f"/personale/log-ind/sso/{single_sign_on.pk}/"))
    stranger = browser()
    assert stranger.get(back).status_code == 400
    assert not_signed_in(stranger)


def test_a_sign_in_left_for_more_than_ten_minutes_is_refused(
    centre: Location, single_sign_on: SingleSignOn, identity_provider: LocalIdentityProvider
) -> None:
    provisioned(Role.FRONT_DESK, centre, single_sign_on)
    identity_provider.subject = SUBJECT
    client = browser()
    back = follow_provider(client, client.get(f"/personale/log-ind/sso/{single_sign_on.pk}/"))
    clock.advance(timedelta(minutes=11))
    assert client.get(back).status_code == 400
    assert not_signed_in(client)


def test_an_unknown_person_is_told_to_ask_their_administrator_and_no_user_is_created(
    centre: Location,
    single_sign_on: SingleSignOn,
    identity_provider: LocalIdentityProvider,
    caplog: pytest.LogCaptureFixture,
) -> None:
    provisioned(Role.FRONT_DESK, centre, single_sign_on)
    identity_provider.subject = "someone-nobody-set-up"
    identity_provider.email = "ny.medarbejder@testkommune.dk"
    staff_before = User.objects.count()
    with caplog.at_level(logging.WARNING, logger="skranke.sign_in.single_sign_on"):
        answer = sign_in(client := browser(), single_sign_on)
    assert answer.status_code == 403
    assert (
        "Your user has not been set up in Skranke — contact your administrator."
        in answer.content.decode()
    )
    assert User.objects.count() == staff_before
    assert not_signed_in(client)
    # One log line with the reason, naming no one.
    (line,) = [
        record.getMessage()
        for record in caplog.records
        if record.name == "skranke.sign_in.single_sign_on"
    ]
    assert "unknown" in line
    assert "someone-nobody-set-up" not in line
    assert "testkommune.dk" not in line


def test_the_page_is_danish_for_a_danish_browser(
    centre: Location, single_sign_on: SingleSignOn, identity_provider: LocalIdentityProvider
) -> None:
    identity_provider.subject = "someone-nobody-set-up"
    client = Client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "da"
    start = client.get(f"/personale/log-ind/sso/{single_sign_on.pk}/")
    answer = client.get(follow_provider(client, start))
    assert answer.status_code == 403
    assert answer["Content-Language"] == "da"


def test_the_e_mail_address_never_decides_who_signs_in(
    centre: Location, single_sign_on: SingleSignOn, identity_provider: LocalIdentityProvider
) -> None:
    colleague = provisioned(Role.MANAGER, centre, single_sign_on)
    # Someone else at the provider, with the colleague's e-mail address.
    identity_provider.subject = "another-person"
    identity_provider.email = colleague.email
    answer = sign_in(client := browser(), single_sign_on)
    assert answer.status_code == 403
    assert not_signed_in(client)
    # Nor can an administrator choose the e-mail address as the claim.
    single_sign_on.subject_claim = "email"
    with pytest.raises(ValidationError):
        single_sign_on.full_clean()


def test_the_configured_claim_identifies_the_staff_member(
    centre: Location, single_sign_on: SingleSignOn, identity_provider: LocalIdentityProvider
) -> None:
    """Entra ID: the object ID (oid), not the per-application sub."""
    single_sign_on.subject_claim = "oid"
    single_sign_on.save()
    agent = provisioned(Role.CONTACT_AGENT, centre, single_sign_on)
    identity_provider.subject = "pairwise-sub-for-skranke"
    identity_provider.id_token_changes = {"oid": SUBJECT}
    answer = sign_in(client := browser(), single_sign_on)
    assert answer.status_code == 302
    assert signed_in_user(client) == agent.pk


def test_a_deactivated_staff_member_or_another_municipalitys_is_refused(
    centre: Location, single_sign_on: SingleSignOn, identity_provider: LocalIdentityProvider
) -> None:
    former = provisioned(Role.FRONT_DESK, centre, single_sign_on)
    former.is_active = False
    former.save()
    identity_provider.subject = SUBJECT
    answer = sign_in(client := browser(), single_sign_on)
    assert answer.status_code == 403
    assert "has been deactivated" in answer.content.decode()
    assert not_signed_in(client)

    # A staff member of another municipality, though their identity was
    # entered for this provider, is no one here.
    neighbour = Location.objects.create(
        municipality=Municipality.objects.create(name="Naboby", slug="naboby"),
        name="Naborådhuset",
        slug="nabo",
        address="Vej 3",
    )
    outsider = member(Role.FRONT_DESK, neighbour)
    StaffIdentity.objects.create(user=outsider, provider=single_sign_on, subject="outsider")
    identity_provider.subject = "outsider"
    answer = sign_in(client := browser(), single_sign_on)
    assert answer.status_code == 403
    assert "has not been set up in Skranke" in answer.content.decode()
    assert not_signed_in(client)


def test_a_provider_that_is_down_gives_a_calm_page(
    centre: Location,
    single_sign_on: SingleSignOn,
    identity_provider: LocalIdentityProvider,
    caplog: pytest.LogCaptureFixture,
) -> None:
    identity_provider.stop()
    client = browser()
    with caplog.at_level(logging.WARNING, logger="skranke.sign_in.single_sign_on"):
        answer = client.get(f"/personale/log-ind/sso/{single_sign_on.pk}/")
    assert answer.status_code == 502
    assert "could not be reached" in answer.content.decode()
    assert "Traceback" not in answer.content.decode()
    assert "unreachable" in caplog.text


def test_a_disabled_provider_has_no_button_and_no_start(
    centre: Location, single_sign_on: SingleSignOn
) -> None:
    single_sign_on.enabled = False
    single_sign_on.save()
    client = browser()
    assert "Log in with" not in client.get(LOGIN).content.decode()
    assert client.get(f"/personale/log-ind/sso/{single_sign_on.pk}/").status_code == 404


@pytest.mark.parametrize("counts_as_second_factor", [True, False])
def test_the_providers_second_factor_counts_only_when_the_municipality_says_so(
    centre: Location,
    single_sign_on: SingleSignOn,
    identity_provider: LocalIdentityProvider,
    settings: Any,
    counts_as_second_factor: bool,
) -> None:
    settings.MFA_REQUIRED = True
    single_sign_on.counts_as_second_factor = counts_as_second_factor
    single_sign_on.save()
    manager = provisioned(Role.MANAGER, centre, single_sign_on)
    identity_provider.subject = SUBJECT
    answer = sign_in(client := browser(), single_sign_on, next_url="/personale/tider/dag/")
    assert signed_in_user(client) == manager.pk
    if counts_as_second_factor:
        assert answer["Location"] == "/personale/tider/dag/"
        assert client.get("/personale/").status_code == 200
        assert client.get("/admin/").status_code == 200
    else:
        # No authenticator yet: set one up, then on to the page asked for.
        enrol = "/personale/log-ind/autentifikator/"
        assert answer["Location"] == f"{enrol}?next=%2Fpersonale%2Ftider%2Fdag%2F"
        staff_page = client.get("/personale/")
        assert staff_page.status_code == 302
        assert staff_page["Location"].startswith(enrol)
        assert client.get("/admin/").status_code == 302


def test_an_administrator_sets_up_the_provider_and_the_secret_is_never_shown_again(
    centre: Location, staff_client: Any
) -> None:
    administrator = member(Role.ADMINISTRATOR, centre)
    client = staff_client(administrator)
    form = client.get("/admin/accounts/singlesignon/add/").content.decode()
    assert RETURN_URL in form  # the redirect URI to register with the provider
    answer = client.post(
        "/admin/accounts/singlesignon/add/",
        {
            "municipality": centre.municipality_id,
            "name": "Entra ID",
            "enabled": "on",
            "issuer": "https://login.microsoftonline.com/0000-tenant/v2.0",
            "client_id": "app-id",
            "client_secret": "the-secret-value",
            "subject_claim": "oid",
        },
    )
    assert answer.status_code == 302, answer.content.decode()
    provider = SingleSignOn.objects.get(municipality=centre.municipality)
    assert provider.client_secret == "the-secret-value"
    change_url = f"/admin/accounts/singlesignon/{provider.pk}/change/"
    assert "the-secret-value" not in client.get(change_url).content.decode()
    # Saved again without typing the secret: it is kept.
    answer = client.post(
        change_url,
        {
            "municipality": centre.municipality_id,
            "name": "Testkommune",
            "enabled": "on",
            "issuer": provider.issuer,
            "client_id": "app-id",
            "client_secret": "",
            "subject_claim": "oid",
        },
    )
    assert answer.status_code == 302
    provider.refresh_from_db()
    assert (provider.name, provider.client_secret) == ("Testkommune", "the-secret-value")
    # The staff member's page has a place for their identity at the provider.
    colleague = member(Role.FRONT_DESK, centre)
    page = client.get(f"/admin/accounts/user/{colleague.pk}/change/").content.decode()
    assert "identities-TOTAL_FORMS" in page


def test_a_plain_http_provider_is_refused_outside_this_machine(centre: Location) -> None:
    provider = SingleSignOn(
        municipality=centre.municipality,
        name="Keycloak",
        issuer="http://keycloak.example.dk/realms/staff",
        client_id="skranke",
        client_secret="x",
    )
    with pytest.raises(ValidationError):
        provider.full_clean()
    provider.issuer = "https://keycloak.example.dk/realms/staff"
    provider.full_clean()


@pytest.mark.parametrize(
    "address",
    [
        "http://localhost:8080/realms/staff",  # plain HTTP
        "https://127.0.0.1/realms/staff",
        "https://localhost/realms/staff",  # a name for this machine
        "https://[::1]/realms/staff",
        "https://[::ffff:127.0.0.1]/realms/staff",
        "https://169.254.169.254/latest/meta-data",  # a cloud's metadata service
        "https://10.0.0.5/realms/staff",
        "https://192.168.1.10/realms/staff",
        "https://0.0.0.0/realms/staff",
    ],
)
def test_in_production_a_provider_may_not_lead_into_the_machine_or_its_network(
    address: str, settings: Any
) -> None:
    """The app server posts the client secret to what an administrator
    sets up here: not to itself or a host on the internal network."""
    settings.PRODUCTION = True
    with pytest.raises(ValidationError):
        validate_issuer_url(address)


def test_in_production_a_named_internal_host_and_a_public_address_pass(settings: Any) -> None:
    settings.PRODUCTION = True
    validate_issuer_url("https://20.190.151.68/tenant/v2.0")  # a public address
    settings.SINGLE_SIGN_ON_INTERNAL_HOSTS = ["localhost"]
    validate_issuer_url("https://localhost/realms/staff")
    with pytest.raises(ValidationError):
        validate_issuer_url("http://localhost/realms/staff")  # still HTTPS only
