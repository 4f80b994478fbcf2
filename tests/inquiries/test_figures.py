"""The written inquiries counted for the key figures: per channel, those
that came in the period, answered, answered within the municipality's
target in opening days, the time to the first answer, and settled at
first contact; automatic mail nobody handled does not count. The key
figures page shows them beside the calls."""

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from django.test import Client

from skranke.accounts.models import Role, User
from skranke.contact_centre.models import Contact, Topic
from skranke.core import clock
from skranke.core.models import Location, Municipality
from skranke.inquiries.figures import count_written_inquiries
from skranke.inquiries.models import Inquiry
from skranke.stats.export import report_sheets
from skranke.stats.report import build_annual_report
from tests.booking.test_staff_booking import member
from tests.centre import at
from tests.contact_centre.test_calls_api import make_token

pytestmark = pytest.mark.django_db


def came(
    centre: Location,
    received_at: datetime,
    *,
    channel: str = Inquiry.Channel.EMAIL,
    answered_after: timedelta | None = None,
    outcome: str | None = None,
) -> Inquiry:
    topic, _ = Topic.objects.get_or_create(municipality=centre.municipality, name_da="Pas")
    closed = outcome is not None
    return Inquiry.objects.create(
        municipality=centre.municipality,
        channel=channel,
        location=centre,
        sender="jens@example.dk",
        received_at=received_at,
        first_answered_at=received_at + answered_after if answered_after else None,
        status=Inquiry.Status.ANSWERED if closed else Inquiry.Status.OPEN,
        closed_at=received_at + (answered_after or timedelta(0)) if closed else None,
        contact=Contact.objects.create(
            municipality=centre.municipality,
            channel=channel,
            topic=topic,
            outcome=outcome,
        )
        if closed
        else None,
    )


def test_each_channel_counted_against_the_target(centre: Location) -> None:
    settled = Contact.Outcome.SETTLED
    # Monday 7 December: due at Wednesday's closing, 15:00 (tests/centre.py).
    came(centre, at(7, 9, 0), answered_after=timedelta(hours=2), outcome=settled)
    came(centre, at(7, 9, 0), answered_after=timedelta(hours=6), outcome=settled)
    came(centre, at(7, 9, 0), answered_after=timedelta(days=3), outcome=settled)  # Thursday
    came(centre, at(7, 10, 0), outcome=Contact.Outcome.TRANSFERRED)  # forwarded, no answer
    came(centre, at(7, 11, 0))  # still open
    came(
        centre,
        at(8, 9, 0),
        channel=Inquiry.Channel.SMS,
        answered_after=timedelta(hours=1),
        outcome=settled,
    )
    # A mailing list's mail: closed as it came, never handled.
    Inquiry.objects.create(
        municipality=centre.municipality,
        channel=Inquiry.Channel.EMAIL,
        sender="liste@example.dk",
        received_at=at(7, 9, 0),
        status=Inquiry.Status.SETTLED,
        closed_at=at(7, 9, 0),
    )
    # Another week's.
    came(centre, at(14, 9, 0), answered_after=timedelta(hours=1), outcome=settled)

    email, sms = count_written_inquiries(
        municipality=centre.municipality, starts=at(7, 0), ends=at(14, 0)
    )
    assert (email.channel, email.received, email.answered) == ("email", 5, 3)
    assert email.answered_within_target == 2
    assert email.within_target_share == pytest.approx(2 / 3)
    assert email.median_hours == pytest.approx(6.0)
    assert email.p80_hours == pytest.approx(6 + (72 - 6) * 0.6)
    assert (email.closed, email.settled_first_contact) == (4, 3)
    assert (sms.received, sms.answered, sms.answered_within_target) == (1, 1, 1)
    assert sms.median_hours == pytest.approx(1.0)


def test_the_key_figures_page_shows_them(
    centre: Location, staff_client: Callable[[User], Client]
) -> None:
    clock.set_now(at(9, 12, 0))
    came(centre, at(7, 9, 0), answered_after=timedelta(hours=2), outcome=Contact.Outcome.SETTLED)
    page = staff_client(member(Role.CONTACT_AGENT, centre)).get(
        "/personale/kontaktcenter/noegletal/", {"periode": "week", "dato": "2026-12-07"}
    )
    text = page.content.decode()
    assert "<caption>E-mails and text messages</caption>" in text
    assert "Answered within 2 opening days" in text
    assert "2.0 h" in text


def test_the_statistics_api_gives_them(centre: Location, location: Location) -> None:
    came(centre, at(7, 9, 0), answered_after=timedelta(hours=2), outcome=Contact.Outcome.SETTLED)
    token = make_token(centre.municipality)[1]
    answer = Client().get(
        "/api/v1/statistics/written-inquiries",
        {"from": "2026-12-07", "to": "2026-12-13"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 200
    email, sms = answer.json()["channels"]
    assert email == {
        "channel": "email",
        "received": 1,
        "answered": 1,
        "answered_within_target": 1,
        "answered_within_target_share": 1.0,
        "median_hours_to_answer": 2.0,
        "p80_hours_to_answer": 2.0,
        "closed": 1,
        "settled_first_contact": 1,
        "settled_first_contact_share": 1.0,
    }
    assert sms["received"] == 0
    # Another municipality's token reads its own, none of these.
    other = Municipality.objects.create(slug="anden", name="Anden Kommune")
    theirs = Client().get(
        "/api/v1/statistics/written-inquiries",
        {"from": "2026-12-07", "to": "2026-12-13"},
        headers={"Authorization": f"Bearer {make_token(other)[1]}"},
    )
    assert theirs.json()["channels"][0]["received"] == 0
    assert Client().get("/api/v1/statistics/written-inquiries").status_code == 401


def test_the_annual_report_counts_them_in_its_telephone_chapter(centre: Location) -> None:
    came(centre, at(7, 9, 0), answered_after=timedelta(hours=2), outcome=Contact.Outcome.SETTLED)
    came(centre, at(8, 9, 0), channel=Inquiry.Channel.SMS)
    report = build_annual_report(municipality=centre.municipality, year=2026)
    email, sms = report.as_json()["written_inquiries"]
    assert (email["received"], email["answered"], email["median_hours_to_answer"]) == (1, 1, 2.0)
    assert (sms["received"], sms["answered"]) == (1, 0)
    sheet = next(sheet for sheet in report_sheets(report) if sheet.name == "Telephone")
    table = next(table for table in sheet.tables if table.title == "E-mails and text messages")
    assert table.rows[1][:4] == ["E-mail", 1, 1, 100.0]
