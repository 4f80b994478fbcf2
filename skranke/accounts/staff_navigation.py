"""The staff pages' header navigation: each staff page, the group it sits
in, and who may open it.

Each app with staff pages declares them in a module named
`staff_pages.py` of its own (the desk its desk, the contact centre its
log and key figures, …); AccountsConfig.ready discovers those modules, as
the admin discovers `admin.py`. Accounts imports none of them: they
stand above it (docs/architecture.md), and the navigation needs only a
page's URL name, label and permission, which each app knows best.

The header (accounts/templatetags/staff_navigation.py) and the staff
start page both read `navigation_for`, so the two never disagree about
what a role may open.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Group:
    key: str
    label: Promise


# The groups, in the order the header shows them: what people do.
AT_THE_COUNTER = Group("at_the_counter", _("At the counter"))
CONTACT_CENTRE = Group("contact_centre", _("Contact centre"))
INSIGHT = Group("insight", _("Insight"))
DATA_PROTECTION = Group("data_protection", _("Data protection"))
SET_UP = Group("set_up", _("Set-up"))
GROUPS = (AT_THE_COUNTER, CONTACT_CENTRE, INSIGHT, DATA_PROTECTION, SET_UP)


@dataclass(frozen=True)
class StaffPage:
    """A page in the navigation. `group` None puts it in the header's top
    row on its own (the overview, a manager's home)."""

    label: Promise
    url_name: str
    may_open: Callable[..., bool]  # called as may_open(user=…)
    group: Group | None = None
    # Pages under other URLs that belong to this one (a booking found
    # from the search is the search's).
    also_for: tuple[str, ...] = ()
    order: int = 0  # the place in its group; lower first


_pages: list[StaffPage] = []


def register_staff_pages(*pages: StaffPage) -> None:
    """Called by each app's staff_pages.py when Django starts."""
    _pages.extend(pages)


@dataclass(frozen=True)
class Link:
    label: Promise
    href: str
    # "page" on the page itself, "true" on a page within it, "" elsewhere:
    # the value of aria-current, which DKFDS's styles follow.
    current: str


@dataclass(frozen=True)
class Entry:
    """A top-row entry of the header: one link, or a group of them."""

    label: Promise
    key: str
    links: tuple[Link, ...]
    is_group: bool

    @property
    def active(self) -> bool:
        return any(link.current for link in self.links)


def navigation_for(*, user: Any, path: str, view_name: str = "") -> list[Entry]:
    """The entries `user` may open, the one the page at `path` (resolved as
    `view_name`) belongs to marked. A page belongs to the entry whose
    address is the longest start of its own: the desk of one place is
    within "Serve citizens at a desk"."""
    pages = sorted(
        (page for page in _pages if page.may_open(user=user)),
        key=lambda page: page.order,
    )
    hrefs = {page.url_name: reverse(page.url_name) for page in pages}
    current = _current_page(pages=pages, hrefs=hrefs, path=path, view_name=view_name)

    def link(page: StaffPage) -> Link:
        href = hrefs[page.url_name]
        if page is not current:
            marked = ""
        elif href == path:
            marked = "page"
        else:
            marked = "true"
        return Link(label=page.label, href=href, current=marked)

    entries = [
        Entry(label=page.label, key=page.url_name, links=(link(page),), is_group=False)
        for page in pages
        if page.group is None
    ]
    for group in GROUPS:
        links = tuple(link(page) for page in pages if page.group == group)
        if links:
            entries.append(Entry(label=group.label, key=group.key, links=links, is_group=True))
    return entries


def _current_page(
    *, pages: list[StaffPage], hrefs: dict[str, str], path: str, view_name: str
) -> StaffPage | None:
    for page in pages:
        if view_name and view_name in page.also_for:
            return page
    within = [page for page in pages if path.startswith(hrefs[page.url_name])]
    return max(within, key=lambda page: len(hrefs[page.url_name]), default=None)
