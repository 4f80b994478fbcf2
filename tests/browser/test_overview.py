"""The overview of the day in a real browser: a manager opens it from the
start page and watches a morning without reloading (a ticket taken, a
desk calling, a visit left open too long, a message that failed, a
telephone meeting overdue); it is
axe-clean at a laptop's size, at 200 % and on a phone. The wallboard
reads from across the room and moves with the morning (a ticket, a
caller waiting)."""

from datetime import datetime, timedelta
from typing import Any

import pytest
from pytest_django.live_server_helper import LiveServer

from skranke.accounts.models import User
from skranke.booking.availability import Policy
from skranke.booking.booking import book_appointment
from skranke.booking.models import Booking
from skranke.contact_centre.call_events import CallEvent, receive_call_event
from skranke.core import clock
from skranke.core.models import Desk, Location, Service
from skranke.demo.data import DEMO_DEVICE_TOKENS
from skranke.demo.loading import load_demo_data
from skranke.notifications.models import Message
from skranke.phone_meetings.worklist import read_worklist
from skranke.queueing.calling import call_next
from skranke.queueing.checkin import issue_walk_in_ticket
from skranke.queueing.serving import open_desk
from tests.browser.conftest import assert_accessible, has_horizontal_scroll
from tests.browser.test_contact_centre import sign_in
from tests.centre import citizen

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_morning(transactional_db: None) -> None:
    clock.set_now(datetime(2026, 12, 7, 10, 0, tzinfo=clock.LOCAL_ZONE))
    load_demo_data(now=clock.now())


def test_a_manager_watches_a_ticket_arrive_without_reloading(
    demo_morning: None, live_server: LiveServer, page: Any
) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, live_server.url, "leder")
    page.get_by_role("navigation", name="Medarbejdersider").get_by_role(
        "link", name="Overblik over dagen"
    ).click()
    page.get_by_role("heading", name="Overblik over dagen").wait_for()
    queues = page.get_by_role("table", name="Køer på Borgerservice Rådhuset")
    postal_votes = queues.get_by_role("row").filter(has_text="Brevstemme")
    assert postal_votes.get_by_role("cell").nth(0).inner_text() == "0"
    assert_accessible(page)

    town_hall = Location.objects.get(slug="raadhuset")
    issue_walk_in_ticket(location=town_hall, service=Service.objects.get(slug="brevstemme"))
    # The figures ask for themselves again every two seconds, saying they
    # are a poll, not a person (sign_in/staff_sessions.py), and take the
    # figures every screen shares, read again when two seconds old
    # (overview/snapshots.py): the clock, stopped, is moved on.
    clock.set_now(clock.now() + timedelta(seconds=2))
    with page.expect_request(lambda request: "/personale/overblik/nu/" in request.url) as poll:
        postal_votes.get_by_role("cell").nth(0).filter(has_text="1").wait_for()
    assert poll.value.headers.get("x-skranke-poll") == "1"
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
    assert_accessible(page)

    # Sara calls the postal vote at desk 1 and forgets to finish: at ten
    # minutes (twice its five) the overview flags the desk.
    sara = User.objects.get(username="skranke")
    desk = Desk.objects.get(location=town_hall, name="1")
    open_desk(desk=desk, staff=sara)
    called = call_next(desk=desk, staff=sara)
    assert called is not None
    clock.set_now(clock.now() + timedelta(seconds=2))
    desks = page.get_by_role("table", name="Skranker på Borgerservice Rådhuset")
    desks.get_by_role("row").filter(has_text="Betjener").filter(has_text="Sara").wait_for()
    clock.set_now(clock.now() + timedelta(minutes=11))
    page.get_by_text("Åben langt længere end ærindet tager: glemt at afslutte?").wait_for()
    # A reminder that could not be sent: the system says so, with where to act.
    Message.objects.filter(pk=Message.objects.order_by("pk").values("pk")[:1]).update(
        status=Message.Status.DEAD
    )
    clock.set_now(clock.now() + timedelta(seconds=2))
    page.get_by_role("link", name="Se beskederne, og send dem igen").wait_for()
    # A citizen's telephone meeting at 10:15 that nobody has taken by 10:16
    # is overdue: the overview counts it as the worklist does.
    meeting = book_appointment(
        location=town_hall,
        service=Service.objects.get(slug="tlf-folkeregister"),
        start=datetime(2026, 12, 7, 10, 15, tzinfo=clock.LOCAL_ZONE),
        citizen=citizen(7, sms_consent=True),
        channel=Booking.Channel.PHONE,
        policy=Policy.for_staff(town_hall),
    )
    clock.set_now(datetime(2026, 12, 7, 10, 16, tzinfo=clock.LOCAL_ZONE))
    overdue = [item for item in read_worklist(staff=sara) if item.overdue]
    assert meeting.pk in {item.booking.pk for item in overdue}
    page.get_by_text(f"Forsinket: {len(overdue)}.").wait_for()
    page.get_by_role("link", name="Åbn telefonmøderne").wait_for()
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
    assert_accessible(page)

    # 200 % zoom of the laptop leaves 683 × 384 CSS pixels: the header's
    # entries move into its menu, and the page reflows.
    page.set_viewport_size({"width": 683, "height": 384})
    assert page.get_by_role("button", name="Menu").is_visible()
    assert not has_horizontal_scroll(page)
    page.set_viewport_size({"width": 390, "height": 844})
    assert not has_horizontal_scroll(page)
    assert_accessible(page)

    # Left open with nobody at it: half an hour after the last person's
    # request, the page reloads itself to the sign-in page.
    clock.set_now(clock.now() + timedelta(minutes=31))
    page.wait_for_url("**/personale/log-ind/**")
    assert "Du blev logget ud efter 30 minutter uden aktivitet." in page.content()


def test_the_wallboard_reads_from_across_the_room(
    demo_morning: None, live_server: LiveServer, page: Any
) -> None:
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(live_server.url + "/enhed/")
    page.get_by_label("Enhedens token").fill(DEMO_DEVICE_TOKENS["wallboard"])
    page.get_by_role("button", name="Log ind").click()
    page.get_by_role("heading", name="Venter nu").wait_for()
    assert_accessible(page)
    # The figures fill the screen without scrolling, in type read from afar.
    assert not has_horizontal_scroll(page)
    assert page.evaluate("document.documentElement.scrollHeight") <= 1080
    sizes = page.eval_on_selector_all(
        ".wallboard-figures dd", "items => items.map(i => parseFloat(getComputedStyle(i).fontSize))"
    )
    assert sizes
    assert min(sizes) >= 60

    # The morning moves on the board without a reload: a ticket taken, and
    # a caller waiting in the phone system's queue. The board asks every
    # five seconds, and its figures are read again when five seconds old.
    town_hall = Location.objects.get(slug="raadhuset")
    postal_vote = Service.objects.get(slug="brevstemme")
    waiting = page.get_by_role("table", name="Venter nu")
    postal_votes = waiting.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=postal_vote.ticket_letter, exact=True)
    )
    before = int(postal_votes.get_by_role("cell").nth(0).inner_text())
    issue_walk_in_ticket(location=town_hall, service=postal_vote)
    receive_call_event(
        municipality=town_hall.municipality,
        call_id="demo-1",
        event=CallEvent.OFFERED,
        at=clock.now(),
        queue="Pas",
    )
    clock.set_now(clock.now() + timedelta(seconds=5))
    postal_votes.get_by_role("cell").nth(0).filter(has_text=str(before + 1)).wait_for(
        timeout=30_000
    )
    phones = page.get_by_role("region", name="Telefonerne")
    phones.get_by_text("Opkald i kø").wait_for()
    assert "1" in phones.locator("dd").first.inner_text()
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
    assert_accessible(page)
