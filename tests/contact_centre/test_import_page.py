"""The call-record import page: managers and administrators upload the
phone system's file and see the report; no one else may, and no one sees
another municipality's calls or column mapping."""

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from skranke.accounts.models import Role, User
from skranke.contact_centre.models import Call, CallRecordFormat
from skranke.core.models import Location, Municipality
from tests.booking.test_staff_booking import member

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], Client]
PAGE = "/personale/kontaktcenter/opkald/indlaes/"
FILE = (
    "call_id;queue;offered_at;answered_at;ended_at;abandoned;agent\n"
    "P1;Pas;07-12-2026 10:00:00;07-12-2026 10:00:12;07-12-2026 10:03:00;0;Ane\n"
    "P2;Pas;07-12-2026 10:01:00;;;1;\n"
    "P3;Pas;07-12-2026 10:02:00;07-12-2026 10:01:00;;0;Bo\n"
)


def upload(text: str = FILE) -> dict[str, SimpleUploadedFile]:
    return {"file": SimpleUploadedFile("calls.csv", text.encode(), content_type="text/csv")}


@pytest.fixture
def elsewhere() -> Location:
    andeby = Municipality.objects.create(name="Andeby", slug="andeby")
    return Location.objects.create(municipality=andeby, name="Andeby", slug="andeby")


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.CONTACT_AGENT])
def test_front_desk_and_agents_may_not_import(
    location: Location, staff_client: ClientFor, role: str
) -> None:
    client = staff_client(member(role, location))
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, upload()).status_code == 403
    assert not Call.objects.exists()
    assert PAGE not in client.get("/personale/").content.decode()


def test_a_signed_out_visitor_is_sent_to_sign_in(location: Location) -> None:
    answer = Client().get(PAGE)
    assert answer.status_code == 302
    assert answer["Location"].startswith("/personale/log-ind/")


def test_a_manager_imports_a_file_and_sees_the_lines_not_imported(
    location: Location, staff_client: ClientFor
) -> None:
    client = staff_client(member(Role.MANAGER, location))
    assert PAGE in client.get("/personale/").content.decode()
    page = client.post(PAGE, upload()).content.decode()
    assert "3 lines read" in page
    assert "2 calls imported" in page
    assert "1 line with errors, not imported" in page
    assert (
        '<td class="align-text-right">4</td><td>The call was answered before it was offered.'
        in (page)
    )
    assert set(Call.objects.values_list("municipality__slug", "call_id")) == {
        ("testkommune", "P1"),
        ("testkommune", "P2"),
    }
    again = client.post(PAGE, upload()).content.decode()
    assert "0 calls imported" in again
    assert "2 calls were already there" in again
    assert Call.objects.count() == 2
    assert "2 calls, offered from 7 December 2026 to 7 December 2026." in again


def test_a_file_without_the_configured_columns_is_refused_whole(
    location: Location, staff_client: ClientFor
) -> None:
    CallRecordFormat.objects.create(municipality=location.municipality, call_id_column="Opkald")
    client = staff_client(member(Role.ADMINISTRATOR, location))
    page = client.post(PAGE, upload()).content.decode()
    assert "The file&#x27;s first line has no column “Opkald”" in page
    assert not Call.objects.exists()
    assert "Choose the file to import." in client.post(PAGE, {}).content.decode()


def test_the_page_shows_the_own_municipalitys_mapping_and_calls_only(
    location: Location, elsewhere: Location, staff_client: ClientFor
) -> None:
    CallRecordFormat.objects.create(municipality=location.municipality, call_id_column="Opkald")
    theirs = CallRecordFormat.objects.create(
        municipality=elsewhere.municipality, call_id_column="Samtale-nr"
    )
    staff_client(member(Role.MANAGER, location)).post(
        PAGE, upload(FILE.replace("call_id;", "Opkald;"))
    )
    assert Call.objects.count() == 2
    page = staff_client(member(Role.MANAGER, elsewhere)).get(PAGE).content.decode()
    assert "<code>Samtale-nr</code>" in page
    assert "Opkald" not in page
    assert "No calls yet." in page
    assert f"/admin/contact/callrecordformat/{theirs.pk}/change/" in page


def test_an_administrator_without_a_mapping_is_offered_to_make_one(
    location: Location, staff_client: ClientFor
) -> None:
    page = staff_client(member(Role.ADMINISTRATOR, location)).get(PAGE).content.decode()
    assert "<code>call_id</code>" in page  # the default columns
    assert f"/admin/contact/callrecordformat/add/?municipality={location.municipality_id}" in page
