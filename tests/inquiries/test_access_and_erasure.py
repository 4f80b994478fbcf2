"""A citizen's right of access and erasure covers what they wrote: the
administrator's request for access finds the citizen's e-mails by their
address (and the texts by their number), shows them with the thread and
who read them, exports them, and erases them at the citizen's request;
another citizen's stay."""

import json
from collections.abc import Callable

import pytest
from django.test import Client

from skranke.access_log.recording import Action, record_access
from skranke.accounts.models import Role, User
from skranke.core import clock
from skranke.core.models import Location
from skranke.inquiries.models import Inquiry, InquiryMessage
from tests.access_log.conftest import member
from tests.centre import at

pytestmark = pytest.mark.django_db

URL = "/personale/indsigt/"


def wrote(centre: Location, sender: str, text: str) -> Inquiry:
    inquiry = Inquiry.objects.create(
        municipality=centre.municipality,
        channel=Inquiry.Channel.EMAIL,
        sender=sender,
        subject="Pas",
        received_at=at(7, 9, 0),
    )
    InquiryMessage.objects.create(
        inquiry=inquiry, direction=InquiryMessage.Direction.IN, at=at(7, 9, 0), text=text
    )
    return inquiry


def test_found_shown_exported_and_erased_at_the_citizens_request(
    centre: Location, staff_client: Callable[[User], Client]
) -> None:
    clock.set_now(at(7, 12, 0))
    mine = wrote(centre, "jens@example.dk", "Mit pas er udløbet.")
    theirs = wrote(centre, "karen@example.dk", "Mit sundhedskort er væk.")
    agent = member(Role.CONTACT_AGENT, centre, "karim")
    record_access(actor=agent, action=Action.VIEWED_INQUIRY, inquiry=mine)
    client = staff_client(member(Role.ADMINISTRATOR, centre, "anna"))

    page = client.post(URL, {"action": "find", "email": "Jens@Example.dk"}).content.decode()
    assert "Mit pas er udløbet." in page
    assert "Mit sundhedskort er væk." not in page
    assert "Karim" in page  # who read it

    exported = json.loads(client.post(URL, {"action": "json", "email": "jens@example.dk"}).content)
    [inquiry] = exported["inquiries"]
    assert inquiry["messages"][0]["text"] == "Mit pas er udløbet."

    client.post(
        URL, {"action": "erase", "email": "jens@example.dk", "reason": "Anmodning, sag 2026-1"}
    )
    assert not Inquiry.objects.filter(pk=mine.pk).exists()
    assert not InquiryMessage.objects.filter(inquiry_id=mine.pk).exists()
    assert Inquiry.objects.filter(pk=theirs.pk).exists()
