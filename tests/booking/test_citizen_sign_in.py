"""Citizens sign in with MitID through the municipality's broker, against
a real OpenID provider the test starts on 127.0.0.1: an errand that
requires it asks for it before any detail is typed, a signed-in citizen
books without a code and holds one booking of the errand whatever number
they give, and Skranke keeps a keyed hash of the broker's subject, never
the subject, and never a CPR number."""

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import requests
from django.conf import settings as django_settings
from django.http import HttpResponse
from django.test import Client

from skranke.accounts.models import CitizenSignIn
from skranke.booking.models import Booking
from skranke.core.models import Location, Service
from skranke.notifications.models import Message
from tests.sign_in.identity_provider import LocalIdentityProvider

pytestmark = pytest.mark.django_db

RETURN_URL = "http://testserver/bestil/mitid/retur/"
SUBJECT = "8b5f0c6e-2d41-4f7a-9e3b-6a1c2d3e4f50"
DETAILS = "/bestil/pas/raadhus/oplysninger/?start=2026-12-08T10:00"


@pytest.fixture
def broker_server() -> Iterator[LocalIdentityProvider]:
    provider = LocalIdentityProvider(
        client_id="skranke-borger", client_secret="broker-secret", redirect_uri=RETURN_URL
    )
    provider.subject = SUBJECT
    provider.start()
    yield provider
    provider.stop()


@pytest.fixture
def broker(centre: Location, broker_server: LocalIdentityProvider) -> CitizenSignIn:
    return CitizenSignIn.objects.create(
        municipality=centre.municipality,
        issuer=broker_server.issuer,
        client_id="skranke-borger",
        client_secret="broker-secret",
    )


@pytest.fixture
def mitid_required(passport: Service) -> Service:
    passport.citizen_sign_in_required = True
    passport.code_confirmation = Service.CodeConfirmation.ALWAYS
    passport.save()
    return passport


def browser() -> Client:
    client = Client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def through_mitid(client: Client, start: HttpResponse) -> HttpResponse:
    """The browser goes to the broker (over real HTTP), which signs the
    citizen in at once, and back to Skranke."""
    assert start.status_code == 302
    answer = requests.get(start["Location"], allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    back = urlsplit(answer.headers["Location"])
    return client.get(f"{back.path}?{back.query}")


def signed_in_at_details(client: Client) -> str:
    page = client.get(DETAILS)
    html = page.content.decode()
    assert "Sign in with MitID to book this errand" in html
    assert 'name="name"' not in html  # nothing to type before signing in
    link = html.split('class="button button-primary" href="')[1].split('"')[0]
    back = through_mitid(client, client.get(link.replace("&amp;", "&")))
    assert back.status_code == 302
    assert back["Location"] == DETAILS
    return back["Location"]


def book(client: Client, *, name: str, phone: str) -> HttpResponse:
    details = {"name": name, "phone": phone, "email": "", "sms_consent": "on"}
    review = client.post(DETAILS, details)
    assert review.status_code == 302, review.content.decode()[:2000]
    return client.post(review["Location"])


def test_a_signed_in_citizen_books_without_a_code_and_only_a_pseudonym_is_kept(
    broker: CitizenSignIn, mitid_required: Service
) -> None:
    client = browser()
    signed_in_at_details(client)
    assert "You are signed in with MitID" in client.get(DETAILS).content.decode()
    booked = book(client, name="Ane Hansen", phone="20123456")
    assert booked["Location"].endswith("?ny=1")  # not held: no code asked for
    booking = Booking.objects.get()
    assert booking.held_until is None
    assert len(booking.citizen_pseudonym) == 40
    assert SUBJECT not in booking.citizen_pseudonym
    assert not Message.objects.filter(kind=Message.Kind.HOLD_CODE).exists()
    # Nowhere in the database is the broker's subject.
    for row in Booking.objects.values():
        assert SUBJECT not in str(row)


def test_one_person_holds_one_booking_of_the_errand_whatever_number_they_give(
    broker: CitizenSignIn, broker_server: LocalIdentityProvider, mitid_required: Service
) -> None:
    client = browser()
    signed_in_at_details(client)
    assert book(client, name="Ane Hansen", phone="20123456").status_code == 302
    again = client.post(
        DETAILS.replace("10:00", "11:00"),
        {"name": "Ane B. Hansen", "phone": "20999999", "email": "", "sms_consent": "on"},
    )
    refused = client.post(again["Location"])
    assert refused.status_code == 422
    assert "already have a booking for this errand" in refused.content.decode()
    # Another person, signed in in another browser, books as ever, with
    # the same number (a parent's) too.
    broker_server.subject = "another-person"
    other = browser()
    signed_in_at_details(other)
    assert book(other, name="Bo Hansen", phone="20123456").status_code == 302
    assert Booking.objects.count() == 2
    assert len(set(Booking.objects.values_list("citizen_pseudonym", flat=True))) == 2


def test_an_errand_that_requires_mitid_cannot_be_booked_without_it(
    broker: CitizenSignIn, mitid_required: Service
) -> None:
    client = browser()
    # Posting the details anyway, or the review of a draft made before.
    assert client.post(DETAILS, {"name": "Bo", "phone": "20123456"}).status_code == 200
    assert not Booking.objects.exists()
    api = client.post(
        "/api/v1/bookings",
        {"location": "raadhus", "service": "pas", "start": "2026-12-08T10:00:00+01:00",
         "name": "Bo", "phone": "20123456"},
        content_type="application/json",
    )  # fmt: skip
    assert api.status_code == 422
    assert not Booking.objects.exists()


def test_a_broker_that_sends_a_cpr_number_as_the_subject_is_refused(
    broker: CitizenSignIn, broker_server: LocalIdentityProvider, mitid_required: Service
) -> None:
    broker_server.subject = "0101701234"
    client = browser()
    page = client.get(DETAILS).content.decode()
    link = page.split('class="button button-primary" href="')[1].split('"')[0]
    back = through_mitid(client, client.get(link.replace("&amp;", "&")))
    assert back.status_code == 400
    assert "You were not signed in with MitID" in back.content.decode()
    assert "Sign in with MitID to book this errand" in client.get(DETAILS).content.decode()


def test_mitid_is_offered_where_codes_are_asked_for_and_spares_the_code(
    broker: CitizenSignIn, passport: Service
) -> None:
    passport.code_confirmation = Service.CodeConfirmation.ALWAYS
    passport.save()
    client = browser()
    page = client.get(DETAILS).content.decode()
    assert "we will not need to send you a code by text message" in page
    link = page.split('by text message. <a href="')[1].split('"')[0]
    back = through_mitid(client, client.get(link.replace("&amp;", "&")))
    assert back["Location"] == DETAILS
    assert book(client, name="Ane Hansen", phone="20123456")["Location"].endswith("?ny=1")
