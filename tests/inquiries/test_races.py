"""Colleagues acting on one inquiry at the same moment, in real threads on
real PostgreSQL connections: one closes it and one line goes into the
contact log; the others are told it is closed."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from skranke.accounts.models import Role, User
from skranke.contact_centre.models import Contact, Topic
from skranke.core import clock
from skranke.core.models import Location
from skranke.inquiries import handling
from skranke.inquiries.errors import InquiryClosed
from skranke.inquiries.models import Inquiry
from tests.access_log.conftest import member
from tests.centre import at
from tests.races import meet_after

COLLEAGUES = 6


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_of_six_colleagues_settling_at_once_one_does(
    centre: Location, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock.set_now(at(7, 10, 0))
    topic = Topic.objects.create(municipality=centre.municipality, name_da="Pas")
    inquiry = Inquiry.objects.create(
        municipality=centre.municipality,
        channel=Inquiry.Channel.EMAIL,
        location=centre,
        sender="jens@example.dk",
        subject="Pas",
    )
    colleagues = [member(Role.CONTACT_AGENT, centre, f"agent{n}") for n in range(COLLEAGUES)]
    # Each looks at the inquiry and waits until all have looked: all see it
    # open, and only the update of it as it was seen can tell them apart.
    meet_after(monkeypatch, handling, "_visible", racers=COLLEAGUES)
    start = threading.Barrier(COLLEAGUES)

    def settle(colleague: User) -> str:
        connection.ensure_connection()
        start.wait()
        try:
            handling.settle_inquiry(staff=colleague, inquiry_id=inquiry.pk, topic_id=topic.pk)
            return "settled"
        except InquiryClosed:
            return "closed"
        except Exception as error:
            return repr(error)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=COLLEAGUES) as pool:
        results = list(pool.map(settle, colleagues))

    assert results.count("settled") == 1, results
    assert results.count("closed") == COLLEAGUES - 1, results
    assert Contact.objects.count() == 1
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.SETTLED
