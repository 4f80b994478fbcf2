"""What citizens wrote goes when its time is up: a closed inquiry, with its
messages and files, after the municipality's period (90 days by default),
one holding a CPR number after its own shorter one (30); an open one
waits for its answer; the contact log's line stays for the figures."""

from datetime import timedelta

import pytest

from skranke.contact_centre.models import Contact, Topic
from skranke.core.models import Location
from skranke.inquiries.models import Inquiry, InquiryAttachment, InquiryMessage
from skranke.privacy.erasure import erase_due_personal_data
from skranke.privacy.models import RetentionSettings
from tests.centre import at

pytestmark = pytest.mark.django_db


def written(centre: Location, *, closed: bool, cpr: bool = False) -> Inquiry:
    topic, _ = Topic.objects.get_or_create(municipality=centre.municipality, name_da="Pas")
    inquiry = Inquiry.objects.create(
        municipality=centre.municipality,
        channel=Inquiry.Channel.EMAIL,
        sender="jens@example.dk",
        subject="Pas",
        status=Inquiry.Status.SETTLED if closed else Inquiry.Status.OPEN,
        closed_at=at(1, 10, 0) if closed else None,
        received_at=at(1, 9, 0),
        has_cpr_number=cpr,
        contact=Contact.objects.create(
            municipality=centre.municipality,
            channel=Contact.Channel.EMAIL,
            topic=topic,
            outcome=Contact.Outcome.SETTLED,
        )
        if closed
        else None,
    )
    message = InquiryMessage.objects.create(
        inquiry=inquiry, direction=InquiryMessage.Direction.IN, text="Mit pas…"
    )
    InquiryAttachment.objects.create(
        message=message, filename="pas.pdf", content_type="application/pdf", size=4
    )
    return inquiry


def test_closed_inquiries_go_after_their_period_and_open_ones_wait(centre: Location) -> None:
    kept_open = written(centre, closed=False)
    closed = written(centre, closed=True)
    with_cpr = written(centre, closed=True, cpr=True)

    erase_due_personal_data(now=at(1, 10, 0) + timedelta(days=30, hours=1))
    assert set(Inquiry.objects.all()) == {kept_open, closed}

    erase_due_personal_data(now=at(1, 10, 0) + timedelta(days=90, hours=1))
    assert set(Inquiry.objects.all()) == {kept_open}
    assert InquiryMessage.objects.count() == InquiryAttachment.objects.count() == 1
    # The figures keep counting them.
    assert Contact.objects.count() == 2
    assert with_cpr.pk not in Inquiry.objects.values_list("pk", flat=True)


def test_the_municipality_sets_its_own_periods(centre: Location) -> None:
    RetentionSettings.objects.create(municipality=centre.municipality, inquiry_days=14)
    written(centre, closed=True)
    erase_due_personal_data(now=at(1, 10, 0) + timedelta(days=14, hours=1))
    assert not Inquiry.objects.exists()
