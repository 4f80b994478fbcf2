"""The access log page (/personale/adgangslog/): managers, administrators and the data-protection
officer find who has seen a citizen's bookings, or what one staff member
has seen, and take the answer as a CSV file. A manager finds citizens at
their own locations only: the search must not tell them whether a number
has bookings at another. A third search lists the
staff's sign-ins, sign-outs and failed attempts (models.SignInEvent).

Every search is posted (with the CSRF token), the page number and the
export too: a mobile number or an e-mail address never goes into an
address, which ends up in logs and browser histories."""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from skranke.access_log.models import AccessRecord, SignInEvent
from skranke.access_log.reading import (
    may_read_access_log,
    reads_every_location,
    records_about,
    records_of_staff,
    visible_sign_in_events,
    visible_staff,
)
from skranke.access_log.recording import record_access
from skranke.accounts.scoping import location_scope, visible_locations
from skranke.core import clock
from skranke.core.personal_data_registry import CitizenSearch
from skranke.privacy.access_request import in_municipality_of, shown_personal_data
from skranke.web.csv_export import csv_response

PER_PAGE = 50
# A file for a person's question, not a dump of the whole log.
EXPORT_LIMIT = 10_000


@login_required
@require_http_methods(["GET", "POST"])
def access_log_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not may_read_access_log(user=user):
        raise PermissionDenied
    staff = visible_staff(user=user)
    kind = request.POST.get("kind", "")
    text = request.POST.get("query", "")[:254] if kind == "citizen" else ""
    staff_id = _number(request.POST.get("staff")) if kind in ("staff", "sign_ins") else 0
    bookings: list[Any] = []
    records: QuerySet[AccessRecord] | None = None
    events: QuerySet[SignInEvent] | None = None
    if kind == "citizen" and text.strip():
        bookings, records = _records_of_citizen(user=user, text=text)
    elif kind == "staff" and staff.filter(pk=staff_id).exists():
        records = records_of_staff(user=user, staff_id=staff_id)
    elif kind == "sign_ins" and (staff_id == 0 or staff.filter(pk=staff_id).exists()):
        events = visible_sign_in_events(user=user, staff_id=staff_id)
    found = records if records is not None else events
    if found is not None and "export" in request.POST:
        response = _export(records) if records is not None else _export_sign_ins(events)
        action = AccessRecord.Action.EXPORTED
    else:
        page = Paginator(found, PER_PAGE).get_page(request.POST.get("page")) if found else None
        response = render(
            request,
            "access_log/log.html",
            {
                "kind": kind,
                "text": text,
                "staff": staff,
                "staff_id": staff_id,
                "searched": found is not None,
                "bookings": bookings,
                "page": page,
            },
        )
        action = AccessRecord.Action.VIEWED_ACCESS_LOG
    # Reading a citizen's log shows which bookings are theirs: noted too,
    # after the answer is made, so that it does not list its own reading.
    record_access(actor=user, action=action, booking=bookings)
    return response


def _records_of_citizen(*, user: object, text: str) -> tuple[list[Any], QuerySet[AccessRecord]]:
    """The citizen's bookings in `user`'s municipality, and the rows about
    them; a booking code also finds the rows of an erased booking. How the
    text finds bookings, and how the log names them, booking declares
    (booking/personal_data.py)."""
    every_location = reads_every_location(user=user)
    where = in_municipality_of(user=user) if every_location else _own_locations(user=user)
    search = CitizenSearch(in_municipality=where, text=text)
    bookings: list[Any] = []
    about = Q(pk__in=[])
    for _data, how in shown_personal_data():
        if not how.are_bookings or how.find_by_text is None:
            continue
        found = how.find_by_text(search)
        bookings.extend(found)
        if how.records_about is not None:
            about |= how.records_about(found, search)
    records = records_about(user=user, about=about)
    if not every_location:
        # The rows about the bookings found here. A typed code also finds an
        # erased booking's rows, which no longer say where it was: those
        # written at, or by staff of, the manager's locations.
        own = visible_locations(user=user)
        found_here = Q(booking_id__in=[booking.pk for booking in bookings])
        erased_here = Q(booking__isnull=True) & (Q(location__in=own) | Q(user__locations__in=own))
        records = records.filter(found_here | erased_here).distinct()
    return bookings, records


def _own_locations(*, user: object) -> Callable[[str], Q]:
    """A manager's search: the rows of their own locations, given the path
    from a row to its municipality through its location
    ("location__municipality"); a row of no location is none of theirs."""

    def scope(path: str) -> Q:
        if not path.endswith("__municipality"):
            return Q(pk__in=[])
        return location_scope(user=user, path=path.removesuffix("__municipality"))

    return scope


def _export(records: QuerySet[AccessRecord]) -> HttpResponse:
    header = [
        _("When"),
        _("Who"),
        _("Action"),
        _("Booking code"),
        _("Contact"),
        _("Visit"),
        _("From location"),
    ]
    rows = (
        [
            f"{record.at.astimezone(clock.LOCAL_ZONE):%d-%m-%Y %H:%M:%S}",
            record.actor_name,
            record.get_action_display(),
            record.booking_code,
            record.contact_id,
            record.visit_id,
            record.location.name if record.location else "",
        ]
        for record in records[:EXPORT_LIMIT]
    )
    stamp = f"{clock.local_now():%Y-%m-%d-%H%M}"
    return csv_response(filename=f"adgangslog-{stamp}.csv", rows=[header, *rows])


def _export_sign_ins(events: QuerySet[SignInEvent] | None) -> HttpResponse:
    header = [_("When"), _("Who"), _("Event"), _("Network")]
    rows = (
        [
            f"{event.at.astimezone(clock.LOCAL_ZONE):%d-%m-%Y %H:%M:%S}",
            event.actor_name or _("(unknown user name)"),
            event.get_kind_display(),
            event.network,
        ]
        for event in (events if events is not None else SignInEvent.objects.none())[:EXPORT_LIMIT]
    )
    stamp = f"{clock.local_now():%Y-%m-%d-%H%M}"
    return csv_response(filename=f"log-ind-og-ud-{stamp}.csv", rows=[header, *rows])


def _number(value: object) -> int:
    try:
        number = int(str(value))
    except ValueError:
        return 0
    # A key the database can hold: anything beyond finds nobody.
    return number if 0 <= number < 2**31 else 0
