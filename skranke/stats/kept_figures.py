"""Figures of a period that is over, computed once and kept.

Reading and measuring a year at a town hall (25,000 visits, 17,000
bookings) takes most of a second however it is written: reading the rows
alone is half of it. A manager looking at last year changes the grouping,
downloads the table, comes back to it: the same numbers each time. A
period that ended before today changes only when someone changes its
past — marks a visit's times wrong, answers a survey late, changes the
schedule — so its figures are kept under a fingerprint of exactly those
things, read with a few counts: any such change gives a new fingerprint
and the figures are computed afresh. Periods that include today are
always computed.

Kept in Django's cache: in the process by default, in a shared cache if
the installation configures one.
"""

from collections.abc import Callable, Iterable
from datetime import date, datetime, time
from typing import TypeVar

from django.db.models import Count, Q
from django.utils import translation

from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.models import Desk, Location
from skranke.database.kept import keep_value
from skranke.information_and_cash_desks.models import Tally
from skranke.queueing.models import Visit
from skranke.surveys.models import Answer, Invitation

T = TypeVar("T")

KEPT_FOR = 24 * 3600  # seconds; only to let unused figures go


def keep_figures(
    *, name: str, location_ids: Iterable[int], first: date, end: date, build: Callable[[], T]
) -> T:
    """`build()`'s figures for the locations and days [first, end), kept
    while nothing they rest on changes if the period is over; `name` says
    which figures and with which choices (service, grouping, …)."""
    places = sorted(location_ids)
    if end > clock.today():
        return build()
    fingerprint = read_fingerprint(location_ids=places, first=first, end=end)
    wording = translation.get_language() or ""  # labels are in the reader's language
    return keep_value(
        name="stats", fingerprint=(name, wording, fingerprint), build=build, seconds=KEPT_FOR
    )


def read_fingerprint(*, location_ids: list[int], first: date, end: date) -> tuple[object, ...]:
    """What a closed period's figures rest on that can still change, in a
    few counts over indexed columns (about a tenth of reading the rows)."""
    starts = datetime.combine(first, time(0), tzinfo=clock.LOCAL_ZONE)
    ends = datetime.combine(end, time(0), tzinfo=clock.LOCAL_ZONE)
    visits = Visit.objects.filter(location_id__in=location_ids, day__gte=first, day__lt=end)
    bookings = Booking.objects.filter(
        location_id__in=location_ids, start__gte=starts, start__lt=ends
    )
    invitations = Invitation.objects.filter(
        booking__location_id__in=location_ids, created_at__gte=starts, created_at__lt=ends
    )
    return (
        location_ids,
        first,
        end,
        tuple(Location.objects.filter(pk__in=location_ids).values_list("pk", "schedule_version")),
        tuple(
            Desk.objects.filter(location_id__in=location_ids)
            .order_by("pk")
            .values_list("pk", "kind")
        ),
        tuple(
            visits.aggregate(
                rows=Count("pk"),
                wrong=Count("pk", filter=Q(times_wrong=True)),
                closed=Count("pk", filter=Q(not_ended_by_staff=True)),
            ).values()
        ),
        tuple(bookings.order_by("status").values_list("status").annotate(Count("pk"))),
        Answer.objects.filter(
            location_id__in=location_ids, answered_at__gte=starts, answered_at__lt=ends
        ).count(),
        tuple(
            invitations.aggregate(
                sent=Count("pk", filter=Q(sent=True)),
                answered=Count("pk", filter=Q(answered_at__isnull=False)),
            ).values()
        ),
        tuple(
            Tally.objects.filter(location_id__in=location_ids, at__gte=starts, at__lt=ends)
            .order_by("kind")
            .values_list("kind")
            .annotate(Count("pk"))
        ),
    )
