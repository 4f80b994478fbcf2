"""A municipality writes its own messages: used when sent, refused when
they would leak personal data or not fit, previewed before use."""

from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, override_settings

from skranke.accounts.models import Role, User
from skranke.booking.availability import Policy
from skranke.booking.booking import book_appointment
from skranke.booking.models import Booking
from skranke.core.models import Location, Municipality, Service
from skranke.notifications.delivery import deliver_due_messages
from skranke.notifications.models import MessageText
from tests.booking.test_staff_booking import member
from tests.centre import at, citizen
from tests.notifications.test_outbox import sent_texts

pytestmark = pytest.mark.django_db

OWN = "Kære {first_name}. Vi ses {date} kl. {time} på {place}. Kode {code}. {link}"


def own_text(municipality: Municipality, text: str = OWN, **changes: object) -> MessageText:
    fields = {"kind": "confirmation", "channel": "sms", "language": "da"} | changes
    message_text = MessageText(municipality=municipality, text=text, **fields)
    message_text.full_clean()
    message_text.save()
    return message_text


def test_the_municipalitys_own_text_is_sent(
    centre: Location, passport: Service, tmp_path: Path
) -> None:
    own_text(centre.municipality)
    with override_settings(SMS_TRANSPORT="file", MESSAGE_OUTBOX_DIR=str(tmp_path)):
        booking = book_appointment(
            location=centre,
            service=passport,
            start=at(9, 10),
            citizen=citizen(1, sms_consent=True, language="da", name="Ole Bøgh"),
            channel=Booking.Channel.WEB,
            policy=Policy.for_staff(centre),
        )
        deliver_due_messages()
    (sent,) = sent_texts(tmp_path)
    assert sent["body"].startswith("Kære Ole. Vi ses onsdag 9. december kl. 10:00 på Rådhuset.")
    assert booking.code in sent["body"]


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("Hej {name}, din tid er {date}.", "may not carry {name}"),
        ("Vi ringer på {phone}.", "may not carry {phone}"),
        ("Hej {fornavn}.", "Unknown fields: {fornavn}"),
        ("Hej {first_name.upper}.", "Unknown fields"),
        ("Hej {first_name.", "A brace is not closed"),
        ("{place} " * 40, "at most 2 are allowed"),
    ],
)
def test_a_text_that_would_leak_or_not_fit_is_refused(
    centre: Location, text: str, complaint: str
) -> None:
    with pytest.raises(ValidationError, match=complaint.replace("{", r"\{").replace("}", r"\}")):
        own_text(centre.municipality, text)


def test_an_email_may_use_the_full_name(centre: Location) -> None:
    own_text(centre.municipality, "Kære {name}, vi ses {date}.", channel="email")


def test_a_manager_writes_a_text_in_the_admin_and_sees_it_filled_in(
    centre: Location, staff_client: Callable[[User], Client]
) -> None:
    client = staff_client(member(Role.MANAGER, centre))
    response = client.post(
        "/admin/notifications/messagetext/add/",
        {
            "municipality": centre.municipality.pk,
            "kind": "reminder",
            "channel": "sms",
            "language": "da",
            "text": "Husk {date} kl. {time} på {place}. {link}",
            "_continue": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(response["Location"]).content.decode()
    assert "Husk" in page
    assert "kl. 10:20 på Rådhuset" in page  # the example booking
    assert "SMS segments" in page


def test_another_municipalitys_texts_are_out_of_reach(
    centre: Location, staff_client: Callable[[User], Client]
) -> None:
    theirs = own_text(centre.municipality)
    other = Municipality.objects.create(name="Nabokommune", slug="nabo")
    place = Location.objects.create(municipality=other, name="Nabo", slug="nabo", address="X")
    client = staff_client(member(Role.MANAGER, place))
    assert client.get(f"/admin/notifications/messagetext/{theirs.pk}/change/").status_code in (
        302,
        404,
    )
    listing = client.get("/admin/notifications/messagetext/")
    assert listing.context["cl"].result_count == 0
