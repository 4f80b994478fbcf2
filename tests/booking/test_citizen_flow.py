"""The citizen's booking flow through the web pages, without JavaScript."""

import re

import pytest
from django.conf import settings
from django.test import Client

from skranke.booking.models import Booking
from skranke.booking.qr_code import booking_code_svg
from skranke.core import clock
from skranke.core.models import Location, Service, slot_step_for
from tests.centre import at

pytestmark = pytest.mark.django_db

DETAILS = {"name": "Ane Hansen", "phone": "20 12 34 56", "email": "", "sms_consent": "on"}


@pytest.fixture
def citizen_client() -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def book_through_pages(client: Client, details: dict[str, str] = DETAILS) -> str:
    """Errand → (one place, skipped) → day → time → details → review → booked."""
    assert 'href="/bestil/pas/"' in client.get("/bestil/").content.decode()
    day_page = client.get("/bestil/pas/", follow=True)
    assert day_page.redirect_chain[-1][0] == "/bestil/pas/raadhus/"
    assert 'href="/bestil/pas/raadhus/2026-12-08/"' in day_page.content.decode()
    time_page = client.get("/bestil/pas/raadhus/2026-12-08/").content.decode()
    assert "/bestil/pas/raadhus/oplysninger/?start=2026-12-08T10:00" in time_page
    details_response = client.post(
        "/bestil/pas/raadhus/oplysninger/?start=2026-12-08T10:00", details
    )
    assert details_response.status_code == 302
    confirmed = client.post(details_response["Location"])
    assert confirmed.status_code == 302
    return str(confirmed["Location"])


def test_a_citizen_books_and_sees_the_confirmation(
    centre: Location, passport: Service, citizen_client: Client
) -> None:
    location = book_through_pages(citizen_client)
    booking = Booking.objects.get()
    assert location == f"/tid/{booking.code}/?ny=1"
    page = citizen_client.get(location).content.decode()
    assert "Your time is booked" in page
    assert booking.code in page
    assert "Torvet 1" in page
    assert (booking.name, booking.phone, booking.channel) == ("Ane Hansen", "+4520123456", "web")


def test_the_confirmation_carries_the_code_as_a_qr_code_for_the_kiosk(
    centre: Location, passport: Service, citizen_client: Client
) -> None:
    location = book_through_pages(citizen_client)
    code = Booking.objects.get().code
    page = citizen_client.get(location).content.decode()
    assert 'role="img" aria-label="QR code with your booking code"' in page
    assert page.count("<svg") == 1
    # The picture is the code's own: another code draws another picture.
    assert booking_code_svg(code=code) in page
    assert booking_code_svg(code=code) != booking_code_svg(code="AAAAAA")
    with pytest.raises(ValueError, match="letters and digits"):
        booking_code_svg(code='"><script>')
    citizen_client.post(f"/tid/{code}/aflys/")
    assert "<svg" not in citizen_client.get(f"/tid/{code}/").content.decode()


def test_personal_details_never_appear_in_a_url(
    centre: Location, passport: Service, citizen_client: Client
) -> None:
    book_through_pages(citizen_client)
    review_page = citizen_client.get(f"/tid/{Booking.objects.get().code}/").content.decode()
    for href in re.findall(r'(?:href|action)="([^"]*)"', review_page):
        assert "Ane" not in href
        assert "20123456" not in href


def test_markup_in_the_name_is_shown_as_text(
    centre: Location, passport: Service, citizen_client: Client
) -> None:
    book_through_pages(citizen_client, DETAILS | {"name": "<script>alert(1)</script>"})
    page = citizen_client.get(f"/tid/{Booking.objects.get().code}/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_bad_details_are_explained_next_to_the_field(
    centre: Location, passport: Service, citizen_client: Client
) -> None:
    response = citizen_client.post(
        "/bestil/pas/raadhus/oplysninger/?start=2026-12-08T10:00", DETAILS | {"phone": "123"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Write a valid mobile number" in page
    assert 'aria-invalid="true"' in page


def test_a_lost_race_offers_the_next_free_times(
    centre: Location, passport: Service, citizen_client: Client
) -> None:
    review = citizen_client.post(
        "/bestil/pas/raadhus/oplysninger/?start=2026-12-08T10:00", DETAILS
    )["Location"]
    for phone in ("+4520000001", "+4520000002"):  # both desks go while the citizen reads
        Booking.objects.create(
            code=phone[-6:],
            token="t",
            location=centre,
            service=passport,
            desk=centre.desks.exclude(bookings__start=at(8, 10)).first(),
            start=at(8, 10),
            end=at(8, 10, 20),
            name="x",
            phone=phone,
            language="da",
            channel="web",
        )
    response = citizen_client.post(review)
    page = response.content.decode()
    assert response.status_code == 409
    assert "This time was just taken" in page
    assert 'name="new_start" value="2026-12-08T10:20"' in page
    citizen_client.post(review, {"new_start": "2026-12-08T10:20"})
    assert citizen_client.post(review).status_code == 302
    assert Booking.objects.get(phone="+4520123456").start == at(8, 10, 20)


def test_the_manage_link_opens_the_booking_and_drops_the_token(
    centre: Location, passport: Service, citizen_client: Client
) -> None:
    book_through_pages(citizen_client)
    booking = Booking.objects.get()
    stranger = Client()
    assert stranger.get(f"/tid/{booking.code}/").status_code == 404
    assert stranger.get(f"/tid/{booking.code}/?token=wrong").status_code == 404
    opened = stranger.get(f"/tid/{booking.code}/?token={booking.token}")
    assert opened.status_code == 302
    assert opened["Location"] == f"/tid/{booking.code}/"
    assert stranger.get(opened["Location"]).status_code == 200


def test_cancel_and_book_again(centre: Location, passport: Service, citizen_client: Client) -> None:
    book_through_pages(citizen_client)
    code = Booking.objects.get().code
    assert "Cancel the booking?" in citizen_client.get(f"/tid/{code}/aflys/").content.decode()
    citizen_client.post(f"/tid/{code}/aflys/")
    assert Booking.objects.get().status == "cancelled"
    book_through_pages(citizen_client)
    assert Booking.objects.filter(status="booked").count() == 1


def test_move_a_booking_to_another_time(
    centre: Location, passport: Service, citizen_client: Client
) -> None:
    book_through_pages(citizen_client)
    code = Booking.objects.get().code
    days = citizen_client.get(f"/tid/{code}/flyt/").content.decode()
    assert f"/tid/{code}/flyt/2026-12-09/" in days
    citizen_client.post(f"/tid/{code}/flyt/2026-12-09/", {"start": "2026-12-09T11:00"})
    assert Booking.objects.get().start == at(9, 11)


def test_an_errand_without_booking_says_when_to_come(
    centre: Location, passport: Service, citizen_client: Client
) -> None:
    passport.booking_required = False
    passport.save()
    page = citizen_client.get("/bestil/pas/").content.decode()
    assert "You do not need to book a time" in page


def test_an_errand_at_one_place_counts_its_steps_without_the_place(
    centre: Location, passport: Service, citizen_client: Client
) -> None:
    """Never from step 1 to step 3: with one place there is no choice of
    place, and the steps are counted without it."""
    assert "Step 1 of 6" in citizen_client.get("/bestil/").content.decode()
    day = citizen_client.get("/bestil/pas/raadhus/").content.decode()
    assert "Step 2 of 5" in day
    details = citizen_client.get("/bestil/pas/raadhus/oplysninger/?start=2026-12-08T10:00")
    assert "Step 4 of 5" in details.content.decode()
    other = Location.objects.create(
        municipality=centre.municipality, name="Biblioteket", slug="bib", address="Torvet 3"
    )
    passport.locations.add(other)
    assert "Step 3 of 6" in citizen_client.get("/bestil/pas/raadhus/").content.decode()


def test_a_telephone_meeting_asks_what_it_is_about(
    centre: Location, passport: Service, citizen_client: Client
) -> None:
    passport.kind = Service.Kind.PHONE
    passport.save()
    url = "/bestil/pas/raadhus/oplysninger/?start=2026-12-08T10:00"
    details = citizen_client.get(url).content.decode()
    assert "What would you like to talk about?" in details
    # The number is the meeting: the page says so where it is typed.
    assert "We call you on this number at the time you choose." in details
    review = citizen_client.post(url, DETAILS | {"note": "Flytning til udlandet"})["Location"]
    citizen_client.post(review)
    booking = Booking.objects.get()
    assert booking.note == "Flytning til udlandet"
    page = citizen_client.get(f"/tid/{booking.code}/?ny=1").content.decode()
    assert "We will call you on +45 20 12 34 56" in page


def test_a_calendar_file_comes_with_the_booking(
    centre: Location, passport: Service, citizen_client: Client
) -> None:
    book_through_pages(citizen_client)
    code = Booking.objects.get().code
    response = citizen_client.get(f"/tid/{code}/kalender.ics")
    assert response["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VTIMEZONE" in response.content
    assert b"TZID=Europe/Copenhagen" in response.content


@pytest.mark.parametrize(
    "path",
    [
        "/bestil/pas/raadhus/?fra=9999-12-31",
        "/bestil/pas/raadhus/9999-12-31/",
        "/bestil/pas/raadhus/0001-01-01/",
        "/bestil/pas/raadhus/oplysninger/?start=0001-01-01T00:00%2B05:00",
        "/bestil/pas/raadhus/oplysninger/?start=9999-12-31T23:59",
        "/tid/ABCDEF/?token=%C3%A9",
        "/personale/tider/?ydelse=pas&dag=9999-12-31",
    ],
)
def test_odd_addresses_never_fail(
    centre: Location, passport: Service, citizen_client: Client, path: str
) -> None:
    assert citizen_client.get(path).status_code in (200, 302, 404)


def test_the_review_page_links_back_to_the_details(
    centre: Location, passport: Service, citizen_client: Client
) -> None:
    review = citizen_client.post(
        "/bestil/pas/raadhus/oplysninger/?start=2026-12-08T10:00", DETAILS
    )["Location"]
    page = citizen_client.get(review).content.decode()
    [link] = re.findall(r'href="(/bestil/pas/raadhus/oplysninger/[^"]*)"', page)
    assert citizen_client.get(link.replace("&amp;", "&")).status_code == 200


def test_a_calendar_link_with_the_token_drops_it(
    centre: Location, passport: Service, citizen_client: Client
) -> None:
    book_through_pages(citizen_client)
    booking = Booking.objects.get()
    response = Client().get(f"/tid/{booking.code}/kalender.ics?token={booking.token}")
    assert response.status_code == 302
    assert response["Location"] == f"/tid/{booking.code}/kalender.ics"


def test_cancelling_after_the_time_explains_instead_of_failing(
    centre: Location, passport: Service, citizen_client: Client
) -> None:
    book_through_pages(citizen_client)
    code = Booking.objects.get().code
    clock.set_now(at(8, 11))
    response = citizen_client.post(f"/tid/{code}/aflys/", follow=True)
    assert "can no longer be changed" in response.content.decode()
    assert Booking.objects.get().status == "booked"


def test_a_link_to_an_errand_not_bookable_online_leads_back_with_the_reason(
    centre: Location, passport: Service, citizen_client: Client
) -> None:
    passport.bookable_online = False
    passport.save()
    for path in ("/bestil/pas/", "/bestil/pas/raadhus/", "/bestil/pas/raadhus/2026-12-08/"):
        response = citizen_client.get(path, follow=True)
        assert response.redirect_chain[-1][0] == "/bestil/"
        assert "cannot be booked online" in response.content.decode()


def test_two_tabs_each_confirm_exactly_the_booking_they_show(
    centre: Location, passport: Service, citizen_client: Client
) -> None:
    # A parent books for the family: tab A holds the mother at 10:00, tab B
    # the child at 10:20; confirming in tab A books the mother, then tab B
    # the child.
    details = "/bestil/pas/raadhus/oplysninger/?start="
    mother = DETAILS | {"name": "Mor Hansen"}
    child = DETAILS | {"name": "Barn Hansen", "phone": "20 12 34 57"}
    tab_a = citizen_client.post(details + "2026-12-08T10:00", mother)["Location"]
    tab_b = citizen_client.post(details + "2026-12-08T10:20", child)["Location"]
    assert tab_a != tab_b
    page_a = citizen_client.get(tab_a).content.decode()
    assert "Mor Hansen" in page_a
    assert "Confirm booking at 10:00 for Mor Hansen" in page_a
    assert citizen_client.post(tab_a).status_code == 302
    assert [(b.name, b.start) for b in Booking.objects.all()] == [("Mor Hansen", at(8, 10))]
    assert citizen_client.post(tab_b).status_code == 302
    booked = {(b.name, b.start) for b in Booking.objects.all()}
    assert booked == {("Mor Hansen", at(8, 10)), ("Barn Hansen", at(8, 10, 20))}
    # A confirmed tab cannot book its citizen twice.
    again = citizen_client.post(tab_a, follow=True)
    assert "Your booking was not finished" in again.content.decode()
    assert Booking.objects.count() == 2


def test_booking_without_text_message_or_e_mail_warns_and_asks_once_more(
    centre: Location, passport: Service, citizen_client: Client
) -> None:
    untold = DETAILS | {"sms_consent": ""}
    review = citizen_client.post("/bestil/pas/raadhus/oplysninger/?start=2026-12-08T10:00", untold)[
        "Location"
    ]
    page = citizen_client.get(review).content.decode()
    assert "You will not hear from us" in page
    assert "Book at 10:00 for Ane Hansen without messages" in page
    # They gave a mobile number and unticked text messages: asked to allow
    # them, not to add a number they already gave.
    assert "Allow text messages to your mobile number, or add an e-mail address" in page
    assert "Add a mobile number" not in page
    refused = citizen_client.post(review)
    assert refused.status_code == 422
    assert not Booking.objects.exists()
    assert citizen_client.post(review, {"without_messages": "yes"}).status_code == 302
    assert Booking.objects.get().sms_consent is False


@pytest.mark.parametrize(
    ("start", "why"),
    [
        ("2026-12-07T07:00", "past"),
        ("2026-12-13T10:00", "a Sunday"),
        ("2026-12-24T10:00", "a public holiday"),
        ("2026-12-08T03:00", "at night"),
        ("2026-12-08T10:07", "off the grid"),
    ],
)
def test_a_time_that_is_not_offered_is_refused_at_the_details_step_with_the_nearest_times(
    centre: Location, passport: Service, citizen_client: Client, start: str, why: str
) -> None:
    response = citizen_client.get(f"/bestil/pas/raadhus/oplysninger/?start={start}")
    page = response.content.decode()
    assert response.status_code == 409, why
    assert "This time cannot be booked" in page
    assert 'name="name"' not in page
    offered = re.findall(
        r'class="button button-secondary time" href="[^"]*\?start=([0-9T:-]+)"', page
    )
    assert offered, why
    for time_text in offered:
        follow = citizen_client.get(f"/bestil/pas/raadhus/oplysninger/?start={time_text}")
        assert follow.status_code == 200
    # Details posted to such a time are kept, and the review offers the
    # nearest times instead of a confirm button.
    posted = citizen_client.post(f"/bestil/pas/raadhus/oplysninger/?start={start}", DETAILS)
    review = citizen_client.get(posted["Location"])
    page = review.content.decode()
    assert review.status_code == 409
    assert "Ane Hansen" in page
    assert 'name="new_start"' in page
    assert "Confirm booking" not in page


def test_a_cancelled_bookings_move_and_cancel_pages_lead_back_with_the_reason(
    centre: Location, passport: Service, citizen_client: Client
) -> None:
    book_through_pages(citizen_client)
    code = Booking.objects.get().code
    citizen_client.post(f"/tid/{code}/aflys/")
    for path in (f"/tid/{code}/aflys/", f"/tid/{code}/flyt/", f"/tid/{code}/flyt/2026-12-09/"):
        response = citizen_client.get(path, follow=True)
        page = response.content.decode()
        assert response.redirect_chain[-1][0] == f"/tid/{code}/", path
        assert "This booking is cancelled, so it cannot be moved or cancelled." in page
        assert f'href="/tid/{code}/flyt/"' not in page
    moved = citizen_client.post(f"/tid/{code}/flyt/2026-12-09/", {"start": "2026-12-09T10:00"})
    assert moved.status_code == 302
    assert Booking.objects.get().status == "cancelled"


def test_a_long_errand_gets_a_grid_that_fits_it_and_the_day_is_read_by_the_hour(
    centre: Location, passport: Service, citizen_client: Client
) -> None:
    """A 25-minute errand on a 5-minute grid was 80 buttons a day on a
    phone: it starts every 20 minutes, and the day is grouped by hour."""
    assert slot_step_for(minutes=25) == 20
    assert slot_step_for(minutes=45) == 30
    assert slot_step_for(minutes=7) == 5
    assert slot_step_for(minutes=20) == 20
    assert slot_step_for(minutes=25, explicit=5) == 5  # the manager's own choice stands
    passport.duration_minutes = 25
    passport.save()
    page = citizen_client.get("/bestil/pas/raadhus/2026-12-08/").content.decode()
    times = re.findall(r'class="button button-secondary time"[^>]*>(\d\d:\d\d)<', page)
    assert times[:4] == ["10:00", "10:20", "10:40", "11:00"]
    assert len(times) <= 15  # 10 to 15, three an hour
    hours = re.findall(r'<h2 class="h4 time-hour">([^<]+)</h2>', page)
    assert hours == ["From 10:00", "From 11:00", "From 12:00", "From 13:00", "From 14:00"]


def test_the_refused_time_is_said_with_a_capital_letter_in_danish(
    centre: Location, passport: Service
) -> None:
    page = Client().get("/bestil/pas/raadhus/oplysninger/?start=2026-12-08T10:07")
    said = page.content.decode().split('role="alert"><div class="alert-body">')[1]
    text = said.split('<p class="alert-text">')[1].strip()
    assert text.startswith("Tirsdag 8. december 2026"), text[:40]
