"""A walk-in who gives a mobile number at the kiosk gets one text message
when the turn is about ten minutes away: not before, not when already
called, with the ticket and the place and nothing personal."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client, override_settings

from skranke.accounts.models import Role, User
from skranke.core import clock
from skranke.core.models import Desk, Location, Service
from skranke.notifications.delivery import deliver_due_messages
from skranke.notifications.models import Message, MessageText
from skranke.notifications.segments import count_segments
from skranke.queueing.calling import call_next
from skranke.queueing.checkin import issue_walk_in_ticket
from skranke.queueing.models import Visit
from skranke.queueing.serving import finish_visit, start_visit
from skranke.queueing.turn_soon import ask_for_turn_soon_message, release_turn_soon_messages
from tests.centre import at, device_token
from tests.notifications.test_outbox import sent_texts

pytestmark = pytest.mark.django_db

MOBILE = "21 21 21 21"


@pytest.fixture
def outbox(tmp_path: Path):  # type: ignore[no-untyped-def]
    with override_settings(SMS_TRANSPORT="file", MESSAGE_OUTBOX_DIR=str(tmp_path)):
        yield tmp_path


@pytest.fixture
def queue(centre: Location, passport: Service) -> list[Visit]:
    """Monday 10:00, both desks open: four citizens for a passport (20 min)
    ahead of a fifth, whose wait is then about 40 minutes."""
    passport.walk_in_allowed = True
    passport.waiting_area_da = "Venteområde P"
    passport.waiting_area_en = "Waiting area P"
    passport.save()
    clock.set_now(at(7, 10, 0))
    return [issue_walk_in_ticket(location=centre, service=passport) for _ in range(5)]


def serve_next(desk: Desk, staff: User) -> Visit:
    visit = call_next(desk=desk, staff=staff)
    assert visit is not None
    return start_visit(visit_id=visit.pk, desk=desk)


def worker_round() -> None:
    release_turn_soon_messages()
    deliver_due_messages()


def test_the_text_goes_when_the_turn_is_ten_minutes_away(
    centre: Location, queue: list[Visit], outbox: Path
) -> None:
    staff = User.objects.create_user("s", municipality=centre.municipality, role=Role.FRONT_DESK)
    desks = list(Desk.objects.filter(location=centre).order_by("name"))
    last = queue[-1]
    ask_for_turn_soon_message(visit=last, phone=MOBILE, language="en")
    serving = [serve_next(desk, staff) for desk in desks]
    worker_round()
    assert sent_texts(outbox) == []  # about 40 minutes: stay held
    clock.set_now(at(7, 10, 20))
    for desk, visit in zip(desks, serving, strict=True):
        finish_visit(visit_id=visit.pk, desk=desk, outcome=Visit.Outcome.SERVED)
    serving = [serve_next(desk, staff) for desk in desks]
    worker_round()
    assert sent_texts(outbox) == []  # 20 minutes: still held
    clock.set_now(at(7, 10, 30))
    worker_round()
    worker_round()  # a second round sends nothing more
    texts = sent_texts(outbox)
    assert len(texts) == 1
    assert texts[0]["to"] == "+4521212121"
    assert texts[0]["body"] == (
        f"Number {last.ticket}: your turn at {centre.name} is soon, in about 10 min."
        " Please be ready in Waiting area P. Watch the screen for your desk."
    )
    sent = Message.objects.get(visit=last)
    assert sent.status == Message.Status.SENT
    assert sent.segments == 1


def test_no_text_for_a_citizen_called_before_it_was_time(
    centre: Location, queue: list[Visit], outbox: Path
) -> None:
    staff = User.objects.create_user("s", municipality=centre.municipality, role=Role.FRONT_DESK)
    first = queue[0]
    ask_for_turn_soon_message(visit=first, phone=MOBILE, language="da")
    # Nobody is at a desk yet, but the desks are about to call: the turn is
    # near at once, and the call comes before the worker's round.
    serve_next(Desk.objects.get(location=centre, name="1"), staff)
    worker_round()
    assert sent_texts(outbox) == []
    assert Message.objects.get(visit=first).status == Message.Status.SKIPPED


def test_a_released_text_is_not_sent_once_the_citizen_is_called(
    centre: Location, queue: list[Visit], outbox: Path
) -> None:
    staff = User.objects.create_user("s", municipality=centre.municipality, role=Role.FRONT_DESK)
    first = queue[0]
    ask_for_turn_soon_message(visit=first, phone=MOBILE, language="da")
    release_turn_soon_messages()
    assert Message.objects.get(visit=first).status == Message.Status.PENDING
    serve_next(Desk.objects.get(location=centre, name="1"), staff)
    deliver_due_messages()
    assert sent_texts(outbox) == []
    assert Message.objects.get(visit=first).status == Message.Status.SKIPPED


def test_asking_again_changes_the_number_and_keeps_one_message(queue: list[Visit]) -> None:
    ask_for_turn_soon_message(visit=queue[-1], phone=MOBILE, language="da")
    ask_for_turn_soon_message(visit=queue[-1], phone="+46 70 123 45 67", language="en")
    message = Message.objects.get(visit=queue[-1])
    assert (message.recipient, message.language) == ("+46701234567", "en")


def test_the_kiosk_offers_the_text_for_a_long_wait(
    kiosk: Client, queue: list[Visit], outbox: Path
) -> None:
    session = kiosk.session
    session["kiosk_visit"] = queue[-1].pk
    session.save()
    page = kiosk.get("/kiosk/billet/").content.decode()
    assert "Text me when it is my turn" in page
    wrong = kiosk.post("/kiosk/billet/", {"phone": "12"})
    assert wrong.status_code == 422
    assert "Write a valid mobile number" in wrong.content.decode()
    assert not Message.objects.exists()
    answer = kiosk.post("/kiosk/billet/", {"phone": MOBILE}, follow=True)
    page = answer.content.decode()
    assert "We will send a text message to the number ending in 2121" in page
    assert "21212121" not in page  # the next citizen may read the screen
    assert Message.objects.get().status == Message.Status.HELD
    # The first in the queue is called in a moment: no offer.
    session["kiosk_visit"] = queue[0].pk
    session.save()
    assert "Text me when it is my turn" not in kiosk.get("/kiosk/billet/").content.decode()


def test_a_ticket_over_the_api_may_carry_a_number(
    centre: Location, queue: list[Visit], passport: Service
) -> None:
    kiosk = Client(headers={"Authorization": f"Bearer {device_token(centre, 'kiosk')}"})
    body = {"location": centre.slug, "service": passport.slug, "phone": "no"}
    refused = kiosk.post("/api/v1/tickets", body, content_type="application/json")
    assert refused.status_code == 422
    assert Visit.objects.count() == len(queue)  # no ticket without its message
    body["phone"] = MOBILE
    taken = kiosk.post("/api/v1/tickets", body, content_type="application/json")
    assert taken.status_code == 201
    assert Message.objects.get().visit.ticket == taken.json()["ticket"]


def test_the_municipalitys_own_wording_is_checked_and_used(
    centre: Location, queue: list[Visit], outbox: Path
) -> None:
    from django.core.exceptions import ValidationError

    wording = MessageText(
        municipality=centre.municipality,
        kind=Message.Kind.TURN_SOON,
        channel=Message.Channel.SMS,
        language="da",
        text="{ticket}: din tur om {minutes} min. {code}",
    )
    with pytest.raises(ValidationError, match="code"):
        wording.full_clean()  # a ticket has no booking code
    wording.channel = Message.Channel.EMAIL
    wording.text = "{ticket}: din tur om {minutes} min."
    with pytest.raises(ValidationError, match="only as a text message"):
        wording.full_clean()
    wording.channel = Message.Channel.SMS
    wording.full_clean()
    wording.save()
    ask_for_turn_soon_message(visit=queue[0], phone=MOBILE, language="da")
    clock.set_now(clock.now() + timedelta(seconds=1))
    worker_round()
    assert sent_texts(outbox)[0]["body"] == f"{queue[0].ticket}: din tur om 1 min."


def test_the_danish_text_fits_one_segment_with_a_long_place_name(
    centre: Location, queue: list[Visit], outbox: Path
) -> None:
    centre.name = "Borgerservice Rådhuset, Østergade"
    centre.save()
    ask_for_turn_soon_message(visit=queue[0], phone=MOBILE, language="da")
    worker_round()
    sent = Message.objects.get(visit=queue[0])
    assert sent.body.startswith(f"Nummer {queue[0].ticket}: Det er snart din tur")
    assert "Borgerservice Rådhuset, Østergade" in sent.body
    assert "Venteområde P" in sent.body
    assert count_segments(sent.body).encoding == "GSM-7"
    assert sent.segments == 1
