"""The staff pages' header navigation: each role is shown the pages it may
open, every one of them opens, and the page a member is on is marked."""

import html
import re
from datetime import datetime

import pytest
from django.test import Client

from skranke.accounts.models import Role, User
from skranke.core.models import Location
from tests.booking.test_staff_booking import member

pytestmark = pytest.mark.django_db

NAV = re.compile(r'<nav class="nav" aria-label="Staff pages">(.*?)</nav>', re.S)


def header_links(page: str) -> dict[str, str]:
    """The desktop navigation's links: label → address."""
    found = NAV.search(page)
    assert found, "the page has no staff navigation"
    return {
        html.unescape(label.strip()): href
        for href, label in re.findall(
            r'<a href="([^"]+)" class="nav-link"[^>]*><span>([^<]+)</span>', found.group(1)
        )
    }


def header_groups(page: str) -> list[str]:
    found = NAV.search(page)
    assert found
    return re.findall(
        r'class="button-overflow-menu js-dropdown"[^>]*><span>([^<]+)</span>', found.group(1)
    )


def marked_in(nav: str) -> list[tuple[str, str]]:
    """The links marked as current: (aria-current, label)."""
    return [
        (current, html.unescape(label))
        for current, label in re.findall(r'aria-current="(\w+)"[^>]*><span>([^<]+)</span>', nav)
    ]


def signed_in(user: User, staff_client) -> Client:
    client: Client = staff_client(user)
    return client


@pytest.mark.parametrize(
    ("role", "shown", "not_shown"),
    [
        (
            Role.FRONT_DESK,
            {"Overview of the day", "Serve citizens at a desk", "Find a booking", "Contact log"},
            {
                "Statistics",
                "Planning",
                "Messages to citizens",
                "Staff access log (data protection)",
            },
        ),
        (
            Role.CONTACT_AGENT,
            {"Contact log", "Contact centre: key figures", "Book for a citizen"},
            {
                "Overview of the day",
                "Serve citizens at a desk",
                "Statistics",
                "Import call records",
            },
        ),
        (
            Role.MANAGER,
            {
                "Overview of the day",
                "Statistics",
                "Annual report",
                "Planning",
                "Import call records",
            },
            {"A citizen's data: access and erasure"},
        ),
        (
            Role.ADMINISTRATOR,
            {"Set up the centre (administration)", "A citizen's data: access and erasure"},
            set(),
        ),
    ],
)
def test_each_role_is_shown_only_what_it_may_open_and_every_link_opens(
    location: Location, staff_client, stopped_clock: datetime, role: str, shown: set, not_shown: set
) -> None:
    client = signed_in(member(role, location), staff_client)
    links = header_links(client.get("/personale/").content.decode())
    assert shown <= links.keys()
    assert not (not_shown & links.keys())
    for label, href in links.items():
        answer = client.get(href, follow=True)
        assert answer.status_code == 200, (
            f"{role} was shown {label} ({href}) but got {answer.status_code}"
        )


def test_pages_are_grouped_by_what_people_do(
    location: Location, staff_client, stopped_clock: datetime
) -> None:
    page = signed_in(member(Role.ADMINISTRATOR, location), staff_client).get("/personale/")
    assert header_groups(page.content.decode()) == [
        "At the counter",
        "Contact centre",
        "Insight",
        "Data protection",
        "Set-up",
    ]
    # A front-desk member has no insight pages, so no such group.
    front_desk = signed_in(member(Role.FRONT_DESK, location), staff_client).get("/personale/")
    assert "Insight" not in header_groups(front_desk.content.decode())


def test_the_page_a_member_is_on_is_marked_and_so_is_its_group(
    location: Location, staff_client, stopped_clock: datetime
) -> None:
    client = signed_in(member(Role.MANAGER, location), staff_client)
    page = client.get("/personale/tider/dag/").content.decode()
    nav = NAV.search(page)
    assert nav
    assert marked_in(nav.group(1)) == [("page", "The day's bookings")]
    # The group it is in is marked active, so a closed menu still shows where one is.
    assert re.search(
        r'<li class="active">\s*<div class="submenu">\s*<button[^>]*><span>At the counter',
        nav.group(1),
    )


def test_a_page_within_an_entry_marks_that_entry(
    location: Location, staff_client, stopped_clock: datetime
) -> None:
    client = signed_in(member(Role.MANAGER, location), staff_client)
    # An annual report of a given year is within "Annual report"; the
    # planning's forecast is within "Planning".
    for path, label in [
        ("/personale/statistik/aarsrapport/2025/", "Annual report"),
        ("/personale/planlaegning/prognose/", "Planning"),
    ]:
        nav = NAV.search(client.get(path).content.decode())
        assert nav
        assert marked_in(nav.group(1)) == [("true", label)], path


def test_the_start_page_lists_the_same_pages_as_the_header(
    location: Location, staff_client, stopped_clock: datetime
) -> None:
    page = (
        signed_in(member(Role.MANAGER, location), staff_client).get("/personale/").content.decode()
    )
    main = page[page.index("<main") : page.index("</main>")]
    listed = set(re.findall(r'<a (?:class="[^"]*" )?href="([^"]+)">', main))
    assert listed == set(header_links(page).values())


def test_the_citizens_pages_have_no_staff_navigation(location: Location, client: Client) -> None:
    assert NAV.search(client.get("/").content.decode()) is None
