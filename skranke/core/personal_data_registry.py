"""What privacy knows of each kind of citizens' personal data: nothing but
what the app that holds it declares here.

Each app that holds something about a citizen declares it in a module
named `personal_data.py` of its own (booking's bookings, queueing's
visits, the contact centre's notes and call records, the outbox's
messages, the surveys' invitations and comments): which rows, how long
they are kept, what they become when erased, and what a citizen's
request for access finds and shows of them. Privacy discovers those
modules when Django starts (PrivacyConfig.ready), as the admin discovers
`admin.py`, and does the work from the declarations alone: erasing what
is due (privacy/erasure.py), answering a request for access
(privacy/access_request.py), erasing at a request
(privacy/erasure_on_request.py) and finding a citizen in the access log
(privacy/access_log_views.py). Privacy imports no app that holds the
data.

Why the declarations' type is here, in core, and not in privacy: the apps
that declare stand below privacy (the domain), and one of them, the
outbox (notifications), below the whole domain; an app may import only
what stands below it (docs/architecture.md). So the type must stand below
all of them, where privacy can read it too. Core is the lowest layer they
all import already, and holds what the domain apps share (errors, phone
numbers, CPR numbers, free text). Only the type and the list of
declarations are here; what runs an erasure or a search stays in privacy.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.functional import Promise

from skranke.core import clock

# What each personal field becomes when erased: a value, or a function of
# the row, for a value that must differ from row to row (a unique column).
Erased = Mapping[str, object | Callable[[Any], object]]


@dataclass(frozen=True)
class Retention:
    """When the rows' personal data goes by itself: once the municipality's
    period (a field of privacy's RetentionSettings) has passed since the
    row's moment."""

    setting: str  # the RetentionSettings field holding the period, e.g. "booking_days"
    moment: str  # the (indexed) moment the period counts from
    municipality: tuple[str, ...]  # paths to the municipality's id; any may match
    still_there: Q = field(default_factory=Q)  # rows not yet erased
    also: Q = field(default_factory=Q)  # further conditions
    # Further moments that must be past the period as well, when they are set.
    also_before: tuple[str, ...] = ()


@dataclass(frozen=True)
class CitizenSearch:
    """Whom a search for a citizen is about, and where it looks.

    The request for access gives a mobile number and/or an e-mail address;
    the access log page one text, which may also be a booking code. A
    citizen is found by their bookings: the other kinds are found through
    `booking_ids`, the bookings found first."""

    # A filter keeping the rows of the searching staff member's
    # municipality, given the path from a row to it ("location__municipality").
    in_municipality: Callable[[str], Q]
    phone: str = ""  # E.164, as bookings store it
    email: str = ""  # in lower case
    text: str = ""  # as typed on the access log page
    booking_ids: Sequence[int] = ()


@dataclass(frozen=True)
class Shown:
    """What a citizen's request for access finds and shows of a kind."""

    key: str  # its name in the JSON answer
    # The kind's section of the page and of the PDF, given its `rows`.
    template: str
    find: Callable[[CitizenSearch], list[Any]]
    as_json: Callable[[Any], dict[str, object]]
    # The access log's rows about the rows found: a filter on access_log's
    # AccessRecord, which names bookings, contacts and visits.
    records_about: Callable[[Sequence[Any], CitizenSearch], Q] | None = None
    # Whether these rows are the citizen's bookings, found first, by number
    # and address, and then leading to the other kinds.
    are_bookings: bool = False
    # For the citizen's bookings, the access log page's search: the
    # bookings one text finds (a mobile number, an e-mail address or a
    # booking code).
    find_by_text: Callable[[CitizenSearch], list[Any]] | None = None


@dataclass(frozen=True)
class Erasing:
    """A citizen's request for erasure, as a kind is asked for its rows."""

    rows: Sequence[Any]  # the kind's rows the request for access found (if it shows them)
    booking_ids: frozenset[int]  # the citizen's bookings whose data may go

    def may_go(self, booking_id: int | None) -> bool:
        """Whether a row about this booking (or about none) may be erased:
        a booking still to come keeps its messages and contacts."""
        return booking_id is None or booking_id in self.booking_ids


@dataclass(frozen=True)
class PersonalData:
    """One kind of personal data an app holds, and what becomes of it."""

    kind: str  # in the log line, the erasure command's report and an erasure's counts
    label: str | Promise  # the same, for people
    model: type[models.Model]
    # Where it is listed among the kinds, the lowest first: on the request
    # for access, and within one retention setting in the erasure's report.
    order: int
    # Each personal field and what it becomes; None: the row is deleted.
    erased: Erased | None
    retention: Retention | None = None
    shown: Shown | None = None
    # Erasing at a citizen's request: the ids of the rows to erase. None:
    # not erased at a request.
    on_request: Callable[[Erasing], Iterable[int]] | None = None
    # Of the rows found, those that may not be erased at a request yet (a
    # booking still to come). Of the citizen's bookings, the rows about a
    # booking kept stay too (Erasing.may_go).
    kept_on_request: Callable[[Sequence[Any]], list[Any]] | None = None


_DECLARED: list[PersonalData] = []


def register_personal_data(*declarations: PersonalData) -> None:
    for data in declarations:
        if any(known.kind == data.kind for known in _DECLARED):
            raise ValueError(f"personal data {data.kind!r} is declared twice")
        _DECLARED.append(data)


def registered_personal_data() -> list[PersonalData]:
    """Every kind declared, by `order`."""
    return sorted(_DECLARED, key=lambda data: data.order)


def any_filled(*names: str) -> Q:
    """Rows where any of the fields still holds something."""
    filled = Q()
    for name in names:
        filled |= ~Q(**{name: ""})
    return filled


def exported_moment(value: datetime | None) -> str | None:
    """A moment as the request for access's JSON gives it: Copenhagen's
    time, ISO 8601."""
    return value.astimezone(clock.LOCAL_ZONE).isoformat() if value else None
