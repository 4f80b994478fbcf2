"""Figures of bookings: how citizens booked, how far ahead, how many
cancelled, moved or did not come, and whether those who came in time were
served on time.

A booking belongs to the day of its time (Copenhagen), not the day it was
made. On time: the citizen arrived no later than the booked time and the
visit started at most the municipality's `on_time_minutes` after it (the
surveys ask "were you served on time or earlier"; a citizen who came late
cannot be). Telephone meetings are bookings too; their figures are apart
(measure_phone_meetings).
"""

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

import numpy as np
from django.db.models import FilteredRelation, Q

from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.models import Service
from skranke.database.seconds_between import EpochSeconds, SecondsBetween
from skranke.database.sql import fetch_columns
from skranke.stats.local_time import local_days
from skranke.stats.robust import TimeFigure, summarise_minutes

# Bands of minutes, as (label key, upper bound inclusive); the last is open.
LATENESS_BANDS = [
    ("early_or_on_time", 0),
    ("1_5", 5),
    ("6_10", 10),
    ("11_20", 20),
    ("over_20", None),
]
ARRIVAL_BANDS = [
    ("over_15_early", -15.0),
    ("5_15_early", -5.0),
    ("0_5_early", 0.0),
    ("0_5_late", 5.0),
    ("over_5_late", None),
]
LEAD_BANDS = [
    ("same_day", 0),
    ("1_day", 1),
    ("2_3_days", 3),
    ("4_7_days", 7),
    ("8_14_days", 14),
    ("over_14_days", None),
]


@dataclass(frozen=True)
class BookingTable:
    """Booking rows as columns (numpy arrays, one entry per booking), as
    visits.VisitTable and for the same reason."""

    service_id: np.ndarray
    start: np.ndarray  # seconds since the epoch
    status: np.ndarray  # index into STATUSES
    channel: np.ndarray  # index into CHANNELS
    lead_seconds: np.ndarray  # from booking to the time
    moves: np.ndarray
    # Of its first visit, in seconds from the booked time (negative:
    # before); NaN without a visit.
    arrived: np.ndarray
    started: np.ndarray

    def __len__(self) -> int:
        return len(self.start)

    def take(self, index: np.ndarray) -> "BookingTable":
        return BookingTable(
            **{field.name: getattr(self, field.name)[index] for field in dataclasses.fields(self)}
        )

    @property
    def lead_days(self) -> np.ndarray:
        """Calendar days between booking and the time, in Copenhagen."""
        return local_days(self.start) - local_days(self.start - self.lead_seconds)


STATUSES = tuple(Booking.Status.values)
CHANNELS = tuple(Booking.Channel.values)
CANCELLED = STATUSES.index(Booking.Status.CANCELLED)
SERVED = STATUSES.index(Booking.Status.SERVED)
NO_SHOW = STATUSES.index(Booking.Status.NO_SHOW)


def read_bookings(
    *,
    location_ids: Iterable[int],
    first: date,
    end: date,
    kind: str = Service.Kind.IN_PERSON,
    service_ids: Iterable[int] | None = None,
    desk_ids: Iterable[int] | None = None,
) -> BookingTable:
    """Bookings for services of `kind` whose time falls on [first, end), with
    the arrival and start of their first visit (there is at most one): one
    query, the times as seconds computed by the database. `desk_ids` keeps
    the bookings that hold those desks."""
    starts = datetime.combine(first, time(0), tzinfo=clock.LOCAL_ZONE)
    ends = datetime.combine(end, time(0), tzinfo=clock.LOCAL_ZONE)
    bookings = Booking.objects.filter(
        location_id__in=list(location_ids), start__gte=starts, start__lt=ends, service__kind=kind
    )
    if service_ids is not None:
        bookings = bookings.filter(service_id__in=list(service_ids))
    if desk_ids is not None:
        bookings = bookings.filter(desk_id__in=list(desk_ids))
    fields = ("service_id", "starts_at", "status", "channel", "lead", "moves", "arrived", "started")
    service, start, status, channel, lead, moves, arrived, started = fetch_columns(
        bookings.annotate(
            first_visit=FilteredRelation(
                "visits", condition=Q(visits__transferred_from__isnull=True)
            ),
            starts_at=EpochSeconds("start"),
            lead=SecondsBetween("created_at", "start"),
            arrived=SecondsBetween("start", "first_visit__arrived_at"),
            started=SecondsBetween("start", "first_visit__started_at"),
        )
        .order_by("start", "id")
        .values_list(*fields),
        width=len(fields),
    )
    return BookingTable(
        service_id=np.array(service, dtype=np.int64),
        start=np.array(start, dtype=float),
        status=np.array([STATUSES.index(value) for value in status], dtype=np.int8),
        channel=np.array([CHANNELS.index(value) for value in channel], dtype=np.int8),
        lead_seconds=np.array(lead, dtype=float),
        moves=np.array(moves, dtype=np.int64),
        arrived=np.array(arrived, dtype=float),
        started=np.array(started, dtype=float),
    )


@dataclass(frozen=True)
class BookingFigures:
    bookings: int  # every booking, cancelled ones too
    by_status: dict[str, int]
    by_channel: dict[str, int]  # of the bookings not cancelled
    moved: int
    no_show_share: float | None  # of those that were due: came or did not
    arrived_in_time: int
    on_time: int
    lateness: dict[str, int]  # minutes from the booked time to the start
    arrival: dict[str, int]  # minutes from the booked time to the arrival
    lead_days: TimeFigure  # in days, despite the name of its fields
    lead: dict[str, int]

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.arrived_in_time if self.arrived_in_time else None

    def as_dict(self) -> dict[str, object]:
        return {
            "bookings": self.bookings,
            "by_status": self.by_status,
            "by_channel": self.by_channel,
            "moved": self.moved,
            "no_show_share": _rounded(self.no_show_share),
            "arrived_in_time": self.arrived_in_time,
            "on_time": self.on_time,
            "on_time_share": _rounded(self.on_time_share),
            "lateness": self.lateness,
            "arrival": self.arrival,
            "lead": self.lead,
            "lead_days_median": self.lead_days.median,
        }


def measure_bookings(rows: BookingTable, *, on_time_minutes: int) -> BookingFigures:
    statuses = np.bincount(rows.status, minlength=len(STATUSES))
    kept = rows.take(rows.status != CANCELLED)
    channels = np.bincount(kept.channel, minlength=len(CHANNELS))
    due = int(statuses[SERVED] + statuses[NO_SHOW])
    came = kept.take(~np.isnan(kept.arrived))
    in_time = came.take((came.arrived <= 0) & ~np.isnan(came.started))
    late = in_time.started / 60
    lead_days = kept.lead_days
    return BookingFigures(
        bookings=len(rows),
        by_status={value: int(statuses[code]) for code, value in enumerate(STATUSES)},
        by_channel={value: int(channels[code]) for code, value in enumerate(CHANNELS)},
        moved=int(np.count_nonzero(rows.moves)),
        no_show_share=int(statuses[NO_SHOW]) / due if due else None,
        arrived_in_time=len(in_time),
        on_time=int(np.count_nonzero(late <= on_time_minutes)),
        lateness=_count_bands(late, LATENESS_BANDS),
        arrival=_count_bands(came.arrived / 60, ARRIVAL_BANDS),
        lead_days=summarise_minutes(minutes=lead_days.astype(float), fence=False),
        lead=_count_bands(lead_days, LEAD_BANDS),
    )


@dataclass(frozen=True)
class PhoneMeetingFigures:
    booked: int  # not cancelled
    reached: int
    not_reached: int
    by_topic: dict[int, dict[str, int]]  # service id → the three above

    def as_dict(self) -> dict[str, object]:
        return {
            "booked": self.booked,
            "reached": self.reached,
            "not_reached": self.not_reached,
            "by_topic": {str(key): value for key, value in self.by_topic.items()},
        }


def measure_phone_meetings(rows: BookingTable) -> PhoneMeetingFigures:
    """Telephone meetings (read_bookings with kind="phone"): reached is a
    meeting whose call got through, not reached one given up after the
    second try."""
    kept = rows.take(rows.status != CANCELLED)
    by_topic = {
        int(service): {
            "booked": int(np.count_nonzero(of_topic)),
            "reached": int(np.count_nonzero(of_topic & (kept.status == SERVED))),
            "not_reached": int(np.count_nonzero(of_topic & (kept.status == NO_SHOW))),
        }
        for service in np.unique(kept.service_id)
        for of_topic in [kept.service_id == service]
    }
    return PhoneMeetingFigures(
        booked=len(kept),
        reached=int(np.count_nonzero(kept.status == SERVED)),
        not_reached=int(np.count_nonzero(kept.status == NO_SHOW)),
        by_topic=by_topic,
    )


def _count_bands(values: np.ndarray, bands: Sequence[tuple[str, float | None]]) -> dict[str, int]:
    """How many values fall in each band (a value on a bound belongs to
    the band below it)."""
    bounds = [bound for _label, bound in bands if bound is not None]
    counts = np.bincount(np.searchsorted(bounds, values, side="left"), minlength=len(bands))
    return {label: int(count) for (label, _bound), count in zip(bands, counts, strict=True)}


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
