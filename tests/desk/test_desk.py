"""The staff desk pages: front desk staff of the location only; each button
does its one thing once, and a second click is told nothing changed."""

from skranke.accounts.models import Role
from skranke.booking.availability import Policy
from skranke.booking.booking import book_appointment
from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.models import Desk, Location, Municipality, Service
from skranke.queueing.checkin import check_in_booking, issue_walk_in_ticket
from skranke.queueing.models import Visit
from tests.booking.test_staff_booking import member
from tests.centre import at, citizen


def desk_url(desk: Desk, action: str = "") -> str:
    return f"/personale/skranke/{desk.pk}/{action}"


def test_front_desk_staff_pick_a_desk_at_their_location(
    centre: Location, staff_client, card: Service
) -> None:
    client = staff_client(member(Role.FRONT_DESK, centre))
    desk = Desk.objects.get(location=centre, name="2")
    assert "Desk 2" in client.get("/personale/skranke/").content.decode()
    answer = client.post("/personale/skranke/", {"desk": desk.pk})
    assert answer.url == desk_url(desk)
    assert client.get(desk_url(desk)).status_code == 200


def test_staff_of_another_location_or_role_cannot_use_the_desk(
    centre: Location, staff_client, card: Service
) -> None:
    desk = Desk.objects.get(location=centre, name="1")
    other_town = Municipality.objects.create(name="Andeby", slug="andeby")
    elsewhere = Location.objects.create(municipality=other_town, name="Andeby", slug="andeby")
    outsider = staff_client(member(Role.FRONT_DESK, elsewhere))
    assert outsider.get(desk_url(desk)).status_code == 404
    assert outsider.post(desk_url(desk, "handling/"), {"action": "call"}).status_code == 404
    agent = staff_client(member(Role.CONTACT_AGENT, centre))
    assert agent.get(desk_url(desk)).status_code == 403


def test_calling_serving_and_double_clicks_at_the_desk(
    centre: Location, staff_client, card: Service
) -> None:
    card.walk_in_allowed = True
    card.save()
    clock.set_now(at(7, 10, 0))
    first = issue_walk_in_ticket(location=centre, service=card)
    issue_walk_in_ticket(location=centre, service=card)
    client = staff_client(member(Role.FRONT_DESK, centre))
    desk = Desk.objects.get(location=centre, name="1")
    action = desk_url(desk, "handling/")
    client.post(action, {"action": "call"})
    client.post(action, {"action": "call"})  # a double click calls nobody new
    assert list(Visit.objects.filter(status=Visit.Status.CALLED)) == [first]
    page = client.get(desk_url(desk)).content.decode()
    assert "A001" in page
    assert 'data-shortcut="s"' in page
    client.post(action, {"action": "start", "visit": first.pk})
    client.post(action, {"action": "finish", "outcome": "served", "visit": first.pk})
    again = client.post(
        action, {"action": "finish", "outcome": "served", "visit": first.pk}, follow=True
    )
    assert "Ticket A001 has already ended." in again.content.decode()
    assert Visit.objects.filter(status=Visit.Status.ENDED).count() == 1
    garbage = client.post(action, {"action": "finish", "outcome": "x", "visit": "abc"}, follow=True)
    assert garbage.status_code == 200
    assert "Choose how the visit ended." in garbage.content.decode()


def test_the_desk_lists_the_days_appointments_and_who_waits(
    centre: Location, staff_client, card: Service
) -> None:
    card.walk_in_allowed = True
    card.save()
    clock.set_now(at(7, 10, 0))
    issue_walk_in_ticket(location=centre, service=card)
    client = staff_client(member(Role.FRONT_DESK, centre))
    desk = Desk.objects.get(location=centre, name="1")
    lists = client.get(desk_url(desk, "koe/")).content.decode()
    assert "A001" in lists
    assert "no booking" in lists


def test_a_manager_can_pause_and_open_the_desk(centre: Location, staff_client) -> None:
    client = staff_client(member(Role.MANAGER, centre))
    desk = Desk.objects.get(location=centre, name="1")
    client.post(desk_url(desk, "handling/"), {"action": "pause"})
    assert "The desk is paused" in client.get(desk_url(desk)).content.decode()
    client.post(desk_url(desk, "handling/"), {"action": "resume"})
    assert "The desk is paused" not in client.get(desk_url(desk)).content.decode()


def test_the_waiting_list_is_in_the_order_call_next_will_call(
    centre: Location, staff_client, card: Service, passport: Service
) -> None:
    for service in (card, passport):
        service.walk_in_allowed = True
        service.save()
    clock.set_now(at(7, 10, 0))
    first = issue_walk_in_ticket(location=centre, service=card)
    second = issue_walk_in_ticket(location=centre, service=card)
    client = staff_client(member(Role.FRONT_DESK, centre))
    desk = Desk.objects.get(location=centre, name="1")
    action = desk_url(desk, "handling/")
    client.post(action, {"action": "call"})
    # A001 is transferred to the passport errand: first in that queue, so
    # first on the list although A002 arrived before the transfer.
    clock.set_now(at(7, 10, 5))
    client.post(
        action,
        {"action": "finish", "outcome": "transferred", "visit": first.pk, "service": passport.pk},
    )
    lists = client.get(desk_url(desk, "koe/")).content.decode()
    assert lists.index("A001") < lists.index(second.ticket)
    client.post(action, {"action": "call"})
    called = Visit.objects.get(status=Visit.Status.CALLED)
    assert (called.ticket, called.transferred_from) == ("A001", first)


def test_transferring_needs_a_chosen_errand(
    centre: Location, staff_client, card: Service, passport: Service
) -> None:
    card.walk_in_allowed = True
    card.save()
    clock.set_now(at(7, 10, 0))
    visit = issue_walk_in_ticket(location=centre, service=card)
    client = staff_client(member(Role.FRONT_DESK, centre))
    desk = Desk.objects.get(location=centre, name="1")
    action = desk_url(desk, "handling/")
    client.post(action, {"action": "call"})
    page = client.get(desk_url(desk)).content.decode()
    assert '<option value="">Choose an errand</option>' in page
    answer = client.post(
        action,
        {"action": "finish", "outcome": "transferred", "visit": visit.pk, "service": ""},
        follow=True,
    )
    assert "Choose the errand to transfer the citizen to." in answer.content.decode()
    visit.refresh_from_db()
    assert visit.status == Visit.Status.CALLED


def test_every_button_says_what_it_did_and_a_finish_without_start_says_how_it_counts(
    centre: Location, staff_client, card: Service, passport: Service
) -> None:
    card.walk_in_allowed = True
    card.save()
    clock.set_now(at(7, 10, 0))
    for _ in range(3):
        issue_walk_in_ticket(location=centre, service=card)
    client = staff_client(member(Role.FRONT_DESK, centre))
    desk = Desk.objects.get(location=centre, name="1")
    action = desk_url(desk, "handling/")

    def said(data: dict[str, object]) -> str:
        page = client.post(action, data, follow=True).content.decode()
        return " ".join(page.split('alert-text">')[1].split("<")[0].split())

    assert said({"action": "call"}) == "A001 is called."
    first = Visit.objects.get(status=Visit.Status.CALLED)
    assert said({"action": "recall", "visit": first.pk}) == "A001 is called again."
    clock.set_now(at(7, 10, 2))
    assert said({"action": "start", "visit": first.pk}) == "A001 is at the desk since 10:02."
    assert said({"action": "finish", "outcome": "served", "visit": first.pk}) == (
        "A001 is finished."
    )
    said({"action": "call"})
    second = Visit.objects.get(status=Visit.Status.CALLED)
    clock.set_now(at(7, 10, 9))
    assert said({"action": "finish", "outcome": "served", "visit": second.pk}) == (
        "A002 is finished. It was not started, so its service time counts from the call at 10:02."
    )
    said({"action": "call"})
    third = Visit.objects.get(status=Visit.Status.CALLED)
    assert said({"action": "finish", "outcome": "no_show", "visit": third.pk}) == (
        "A003 is marked as did not come."
    )
    assert said({"action": "pause"}) == "The desk is paused: nobody is called to it."
    assert said({"action": "resume"}) == "The desk is open again."


def test_the_waiting_list_says_when_an_early_booked_citizen_moves_up(
    centre: Location, staff_client, card: Service, passport: Service
) -> None:
    """A booked citizen who came ten minutes early waits behind a walk-in
    now, and the row says when that changes."""
    card.walk_in_allowed = True
    card.save()
    booking = book_appointment(
        location=centre, service=passport, start=at(7, 10, 20), citizen=citizen(1),
        channel=Booking.Channel.WEB, policy=Policy.for_staff(centre),
    )  # fmt: skip
    clock.set_now(at(7, 10, 10))
    booked = check_in_booking(location=centre, code=booking.code)
    walk_in = issue_walk_in_ticket(location=centre, service=card)
    client = staff_client(member(Role.FRONT_DESK, centre))
    desk = Desk.objects.get(location=centre, name="1")
    lists = " ".join(client.get(desk_url(desk, "koe/")).content.decode().split())
    assert lists.index(walk_in.ticket) < lists.index(booked.ticket)
    assert "10:20 (moves up when 10:20 comes)" in lists
    assert "In the order Call next calls them now." in lists
    clock.set_now(at(7, 10, 20))
    later = " ".join(client.get(desk_url(desk, "koe/")).content.decode().split())
    assert later.index(booked.ticket) < later.index(walk_in.ticket)
    assert "(moves up when" not in later


def test_a_desk_is_named_as_people_say_it(
    centre: Location, staff_client, passport: Service
) -> None:
    """ "Hvor: Rådhuset, 1" read as a bare number: a numbered desk is "Desk 1"
    (Skranke 1), a named one its name, everywhere staff read it."""
    numbered = Desk.objects.get(location=centre, name="1")
    named = Desk.objects.create(location=centre, name="Pas-skranken")
    assert numbered.label == "Desk 1"
    assert named.label == "Pas-skranken"
    assert str(numbered) == "Rådhuset – Desk 1"
    booking = book_appointment(
        location=centre, service=passport, start=at(8, 10), citizen=citizen(1),
        channel=Booking.Channel.PHONE, policy=Policy.for_staff(centre),
    )  # fmt: skip
    client = staff_client(member(Role.FRONT_DESK, centre))
    page = " ".join(client.get(f"/personale/tider/{booking.code}/").content.decode().split())
    assert f"Rådhuset, {booking.desk.label}" in page
    choose = client.get("/personale/skranke/").content.decode()
    assert "Desk 1, Rådhuset" in choose
