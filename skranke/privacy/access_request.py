"""A citizen's right of access: everything Skranke holds about one person,
found by their mobile number and/or e-mail address, within the staff
member's municipality, and who on the staff has looked at it.

Administrators may look and erase; whoever holds the data-protection
permission (`access_log.read_access_log`, e.g. the data-protection
officer) may look. Managers may not: they read the access log, not the
citizen's whole record.

What is found, and how it is shown, each app that holds it declares in
its personal_data.py (core/personal_data_registry.py): the bookings with
that number or address; the visits of those bookings; the contacts logged
about them (a contact holds no phone number); the messages sent to that
number or address, or about those bookings; the survey invitations of
those bookings (a survey answer is not linked to anyone, by design:
surveys/models.py). Privacy adds the access log's rows about any of them.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q

from skranke.access_log.models import AccessRecord
from skranke.access_log.reading import PERMISSION
from skranke.accounts.models import Role, User
from skranke.accounts.scoping import municipality_scope
from skranke.core import clock
from skranke.core.personal_data_registry import (
    CitizenSearch,
    PersonalData,
    Shown,
    exported_moment,
    registered_personal_data,
)
from skranke.core.phone_numbers import format_phone, phone_for_lookup


def may_see_citizen_data(*, user: object) -> bool:
    """Administrators of a municipality, and holders of the data-protection
    permission there."""
    if not isinstance(user, User) or not user.is_active or user.municipality_id is None:
        return False
    return user.role == Role.ADMINISTRATOR or user.has_perm(PERMISSION)


def may_erase_citizen_data(*, user: object) -> bool:
    """Erasing is the administrator's decision alone."""
    return (
        isinstance(user, User)
        and user.is_active
        and user.municipality_id is not None
        and user.role == Role.ADMINISTRATOR
    )


@dataclass(frozen=True)
class Citizen:
    """Who is asked about: the number as bookings store it (E.164), the
    address in lower case; either may be empty."""

    phone: str = ""
    email: str = ""

    @property
    def given(self) -> bool:
        return bool(self.phone or self.email)


def read_citizen(*, phone: str, email: str) -> Citizen:
    """The number and address as typed, made comparable with what is stored.
    A number that cannot be a phone number is left out."""
    number = phone_for_lookup(phone[:30]) if phone.strip() else None
    address = email.strip().lower()[:254]
    return Citizen(phone=number or "", email=address if "@" in address else "")


@dataclass(frozen=True)
class Section:
    """One kind's part of the answer: how it is shown, and the rows found."""

    kind: str
    shown: Shown
    rows: list[Any]

    @property
    def template(self) -> str:
        return self.shown.template


@dataclass
class CitizenData:
    citizen: Citizen
    sections: list[Section] = field(default_factory=list)
    records: list[AccessRecord] = field(default_factory=list)

    @property
    def bookings(self) -> list[Any]:
        """The citizen's bookings found: the access log notes each one."""
        return [
            row for section in self.sections if section.shown.are_bookings for row in section.rows
        ]

    @property
    def found(self) -> bool:
        return any(section.rows for section in self.sections)

    def rows_of(self, kind: str) -> list[Any]:
        """The rows found of one kind; none of a kind that is not shown."""
        return next((section.rows for section in self.sections if section.kind == kind), [])


def shown_personal_data() -> list[tuple[PersonalData, Shown]]:
    """The kinds a request for access shows, in their order."""
    return [(data, data.shown) for data in registered_personal_data() if data.shown is not None]


def in_municipality_of(*, user: object) -> Callable[[str], Q]:
    """The filter keeping rows of `user`'s municipality, by the path to it."""
    return lambda path: municipality_scope(user=user, path=path)


def find_citizen_data(*, user: object, citizen: Citizen) -> CitizenData:
    """Everything held about `citizen` in `user`'s municipality (nothing
    when `user` may not look, or nothing was given to look by)."""
    shown = shown_personal_data()
    found: dict[str, list[Any]] = {data.kind: [] for data, _how in shown}
    records: list[AccessRecord] = []
    if citizen.given and may_see_citizen_data(user=user):
        search = CitizenSearch(
            in_municipality=in_municipality_of(user=user),
            phone=citizen.phone,
            email=citizen.email,
        )
        # The bookings first, by number and address: the other kinds are
        # found through them.
        for data, how in shown:
            if how.are_bookings:
                found[data.kind] = how.find(search)
        search = replace(
            search,
            booking_ids=[
                row.pk for data, how in shown if how.are_bookings for row in found[data.kind]
            ],
        )
        for data, how in shown:
            if not how.are_bookings:
                found[data.kind] = how.find(search)
        about = reduce(
            or_,
            (
                how.records_about(found[data.kind], search)
                for data, how in shown
                if how.records_about is not None
            ),
            Q(pk__in=[]),
        )
        records = list(
            AccessRecord.objects.filter(about, municipality_scope(user=user, path="municipality"))
            .select_related("user", "location")
            .order_by("-at", "-pk")
        )
    return CitizenData(
        citizen=citizen,
        sections=[Section(kind=data.kind, shown=how, rows=found[data.kind]) for data, how in shown],
        records=records,
    )


def citizen_data_as_json(*, data: CitizenData) -> dict[str, object]:
    """The answer to the citizen, as data: their own details in full (it is
    they who asked), the staff who looked at them by name."""
    return {
        "made_at": exported_moment(clock.now()),
        "citizen": {"phone": data.citizen.phone, "email": data.citizen.email},
        **{
            section.shown.key: [section.shown.as_json(row) for row in section.rows]
            for section in data.sections
        },
        "access_log": [
            {
                "at": exported_moment(record.at),
                "who": record.actor_name,
                "action": record.action,
                "booking_code": record.booking_code,
                "from_location": record.location.name if record.location else "",
            }
            for record in data.records
        ],
    }


def shown_phone(*, citizen: Citizen) -> str:
    return format_phone(citizen.phone) if citizen.phone else ""
