"""The access log page: for managers, administrators and whoever holds the
data-protection permission, each within their municipality; searched by
post, so that no phone number or e-mail address goes into an address."""

import pytest
from django.contrib.auth.models import Permission

from skranke.access_log.models import AccessRecord, AppendOnly, DataProtectionReader
from skranke.access_log.recording import Action, record_access
from skranke.access_log.retention import erase_access_records
from skranke.accounts.models import Role, User
from skranke.core import clock
from skranke.core.models import Location, Municipality, Service
from tests.access_log.conftest import BookFor, member
from tests.centre import at
from tests.stats.visits import make_booking

pytestmark = pytest.mark.django_db

URL = "/personale/adgangslog/"


@pytest.fixture
def manager(centre: Location) -> User:
    return member(Role.MANAGER, centre, "maja")


@pytest.fixture
def elsewhere(db: None) -> Location:
    town = Municipality.objects.create(name="Andeby", slug="andeby")
    return Location.objects.create(municipality=town, name="Andeby Rådhus", slug="andeby")


def by_citizen(client, text: str, **more: str):
    return client.post(URL, {"kind": "citizen", "query": text, **more})


def test_front_desk_staff_may_not_read_the_log(
    centre: Location, front_desk: User, staff_client
) -> None:
    client = staff_client(front_desk)
    assert client.get(URL).status_code == 403
    assert by_citizen(client, "20000001").status_code == 403
    assert URL not in client.get("/personale/").content.decode()


def test_a_manager_finds_who_saw_a_citizens_bookings_by_phone(
    centre: Location, book: BookFor, front_desk: User, manager: User, staff_client
) -> None:
    mine, other = book(1), book(2, hour=11)
    clock.set_now(at(7, 9, 12))
    record_access(actor=front_desk, action=Action.VIEWED_BOOKING, booking=mine)
    record_access(actor=front_desk, action=Action.VIEWED_BOOKING, booking=other)
    client = staff_client(manager)
    assert URL in client.get("/personale/").content.decode()
    answer = by_citizen(client, "+45 20 00 00 01")
    page = answer.content.decode()
    assert answer.request["PATH_INFO"] == URL
    assert mine.code in page
    assert other.code not in page
    assert "Frida" in page
    assert "09:12" in page
    # The manager's reading is itself noted, against the citizen's booking.
    assert AccessRecord.objects.filter(
        user=manager, action=Action.VIEWED_ACCESS_LOG, booking=mine
    ).exists()


def test_search_by_e_mail_and_by_the_code_of_an_erased_booking(
    centre: Location, book: BookFor, front_desk: User, manager: User, staff_client
) -> None:
    booking = book(1)
    record_access(actor=front_desk, action=Action.VIEWED_BOOKING, booking=booking)
    client = staff_client(manager)
    assert "Viewed the booking" in by_citizen(client, "BORGER1@example.dk").content.decode()
    code = booking.code
    booking.delete()  # erased: the row keeps the code, the key is cleared
    record = AccessRecord.objects.get(action=Action.VIEWED_BOOKING)
    assert (record.booking_id, record.booking_code) == (None, code)
    assert "Viewed the booking" in by_citizen(client, code.lower()).content.decode()


def test_a_manager_sees_only_their_municipalitys_rows(
    centre: Location, elsewhere: Location, book: BookFor, manager: User, staff_client
) -> None:
    booking = book(1)
    outsider = member(Role.ADMINISTRATOR, elsewhere, "olga")
    record_access(actor=outsider, action=Action.VIEWED_BOOKING, booking=booking)
    assert AccessRecord.objects.get().municipality == elsewhere.municipality
    page = by_citizen(staff_client(manager), booking.code).content.decode()
    assert "Nothing in the log." in page
    # Nor may they pick another municipality's staff member.
    page = staff_client(manager).post(URL, {"kind": "staff", "staff": outsider.pk})
    assert "Olga" not in page.content.decode()
    assert "Result" not in page.content.decode()


def test_a_manager_finds_no_citizen_at_another_location_an_administrator_does(
    centre: Location, passport: Service, manager: User, staff_client
) -> None:
    library = Location.objects.create(
        municipality=centre.municipality, name="Biblioteket", slug="bibliotek", address="Vej 2"
    )
    there = make_booking(
        location=library, service=passport, start=at(8, 10), phone="+4520000001", name="Ane"
    )
    librarian = member(Role.FRONT_DESK, library, "bodil")
    record_access(actor=librarian, action=Action.VIEWED_BOOKING, booking=there)
    for text in ("+45 20 00 00 01", there.code):
        page = by_citizen(staff_client(manager), text).content.decode()
        assert "Nothing in the log." in page, text
        assert "Viewed the booking" not in page, text
    assert there.code not in by_citizen(staff_client(manager), "20000001").content.decode()
    # Nor is the library's staff member offered, or found, by name.
    page = staff_client(manager).get(URL).content.decode()
    assert "Bodil" not in page
    page = staff_client(manager).post(URL, {"kind": "staff", "staff": librarian.pk})
    assert "Viewed the booking" not in page.content.decode()
    administrator = member(Role.ADMINISTRATOR, centre, "ada")
    page = by_citizen(staff_client(administrator), "+45 20 00 00 01").content.decode()
    assert there.code in page
    assert "Viewed the booking" in page
    assert "Bodil" in page


def test_by_staff_member_newest_first_and_paginated(
    centre: Location, book: BookFor, front_desk: User, manager: User, staff_client
) -> None:
    booking = book(1)
    for minute in range(55):
        clock.set_now(at(7, 9, minute))
        record_access(actor=front_desk, action=Action.VIEWED_BOOKING, booking=booking)
    client = staff_client(manager)
    first = client.post(URL, {"kind": "staff", "staff": front_desk.pk}).content.decode()
    assert "55 entries, newest first." in first
    assert "Page 1 of 2" in first
    assert first.index("09:54") < first.index("09:53")
    second = client.post(URL, {"kind": "staff", "staff": front_desk.pk, "page": "2"})
    assert "09:00" in second.content.decode()
    assert "09:54" not in second.content.decode()


def test_the_data_protection_permission_opens_the_log_to_any_staff_member(
    centre: Location, book: BookFor, staff_client
) -> None:
    officer = member(Role.CONTACT_AGENT, centre, "dora")
    client = staff_client(officer)
    assert client.get(URL).status_code == 403
    officer.user_permissions.add(Permission.objects.get(codename="read_access_log"))
    officer = User.objects.get(pk=officer.pk)  # permissions are cached per object
    client = staff_client(officer)
    assert client.get(URL).status_code == 200
    assert URL in client.get("/personale/").content.decode()


def test_an_administrator_grants_the_permission_in_the_admin(
    centre: Location, staff_client
) -> None:
    admin = member(Role.ADMINISTRATOR, centre, "anna")
    officer = member(Role.FRONT_DESK, centre, "dora")
    client = staff_client(admin)
    page = f"/admin/access_log/dataprotectionreader/{officer.pk}/change/"
    assert client.get(page).status_code == 200
    client.post(page, {"reads_access_log": "on"})
    assert User.objects.get(pk=officer.pk).has_perm("access_log.read_access_log")
    client.post(page, {})
    assert not User.objects.get(pk=officer.pk).has_perm("access_log.read_access_log")
    # A manager may read the log, not hand out the right to.
    assert staff_client(member(Role.MANAGER, centre, "maja")).get(page).status_code == 403
    assert DataProtectionReader.objects.filter(pk=officer.pk).exists()


def test_the_csv_export_names_bookings_not_citizens(
    centre: Location, book: BookFor, front_desk: User, manager: User, staff_client
) -> None:
    booking = book(1)
    clock.set_now(at(7, 9, 30))
    record_access(actor=front_desk, action=Action.VIEWED_BOOKING, booking=booking)
    answer = by_citizen(staff_client(manager), "20000001", export="csv")
    assert answer["Content-Type"].startswith("text/csv")
    text = answer.content.decode("utf-8-sig")
    assert "frida;Viewed the booking;" + booking.code in text
    assert "07-12-2026 09:30" in text
    assert "Borger" not in text
    assert "20000001" not in text
    assert AccessRecord.objects.filter(user=manager, action=Action.EXPORTED).count() == 1


def test_the_log_page_never_puts_a_phone_or_e_mail_in_an_address(
    centre: Location, book: BookFor, front_desk: User, manager: User, staff_client
) -> None:
    booking = book(1)
    for _minute in range(55):
        record_access(actor=front_desk, action=Action.VIEWED_BOOKING, booking=booking)
    client = staff_client(manager)
    # A search in the address is not a search.
    assert "Result" not in client.get(URL + "?kind=citizen&query=20000001").content.decode()
    page = by_citizen(client, "20000001").content.decode()
    assert 'method="get"' not in page
    assert 'href="?' not in page
    assert "20000001" not in page.split("<form")[0]


def test_rows_can_be_neither_changed_nor_deleted(
    centre: Location, book: BookFor, front_desk: User, staff_client
) -> None:
    record_access(actor=front_desk, action=Action.VIEWED_BOOKING, booking=book(1))
    record = AccessRecord.objects.get()
    record.action = Action.CANCELLED
    with pytest.raises(AppendOnly):
        record.save()
    with pytest.raises(AppendOnly):
        record.delete()
    with pytest.raises(AppendOnly):
        AccessRecord.objects.update(action=Action.CANCELLED)
    with pytest.raises(AppendOnly):
        AccessRecord.objects.all().delete()
    superuser = User.objects.create_superuser("root", password="pw")
    client = staff_client(superuser)
    base = f"/admin/access_log/accessrecord/{record.pk}"
    assert client.get(f"{base}/change/").status_code == 200  # to read
    assert client.post(f"{base}/change/", {"action": "cancelled"}).status_code == 403
    assert client.post(f"{base}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/access_log/accessrecord/add/").status_code == 403
    assert AccessRecord.objects.get().action == Action.VIEWED_BOOKING


def test_old_rows_leave_only_through_retention(
    centre: Location, book: BookFor, front_desk: User
) -> None:
    record_access(actor=front_desk, action=Action.VIEWED_BOOKING, booking=book(1))
    clock.set_now(at(9, 9))
    record_access(actor=front_desk, action=Action.VIEWED_BOOKING, booking=book(2, day=10))
    erased = erase_access_records(municipality_id=centre.municipality_id, older_than=at(8, 0))
    assert erased == 1
    assert AccessRecord.objects.count() == 1
