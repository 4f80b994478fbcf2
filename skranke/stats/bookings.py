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

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import NamedTuple

from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.models import Service
from skranke.core.seconds_between import EpochSeconds, SecondsBetween
from skranke.queueing.models import Visit
from skranke.stats.local_time import local_day
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


class BookingRow(NamedTuple):
    id: int
    service_id: int
    start: float  # seconds since the epoch
    status: str
    channel: str
    lead_seconds: float  # from booking to the time
    moves: int
    # Of its first visit, in seconds from the booked time (negative: before).
    arrived: float | None
    started: float | None

    @property
    def lead_days(self) -> int:
        """Calendar days between booking and the time, in Copenhagen."""
        return local_day(self.start) - local_day(self.start - self.lead_seconds)


def read_bookings(
    *,
    location_ids: Iterable[int],
    first: date,
    end: date,
    kind: str = Service.Kind.IN_PERSON,
    service_ids: Iterable[int] | None = None,
) -> list[BookingRow]:
    """Bookings for services of `kind` whose time falls on [first, end), with
    the arrival and start of their first visit: two queries, the times as
    seconds computed by the database."""
    starts = datetime.combine(first, time(0), tzinfo=clock.LOCAL_ZONE)
    ends = datetime.combine(end, time(0), tzinfo=clock.LOCAL_ZONE)
    bookings = Booking.objects.filter(
        location_id__in=list(location_ids), start__gte=starts, start__lt=ends, service__kind=kind
    )
    if service_ids is not None:
        bookings = bookings.filter(service_id__in=list(service_ids))
    values = list(
        bookings.annotate(
            starts_at=EpochSeconds("start"), lead=SecondsBetween("created_at", "start")
        ).values_list("id", "service_id", "starts_at", "status", "channel", "lead", "moves")
    )
    visits = {
        booking_id: (arrived, started)
        for booking_id, arrived, started in Visit.objects.filter(
            booking__in=bookings, transferred_from__isnull=True
        )
        .annotate(
            arrived=SecondsBetween("booking__start", "arrived_at"),
            started=SecondsBetween("booking__start", "started_at"),
        )
        .values_list("booking_id", "arrived", "started")
    }
    return [BookingRow(*value, *visits.get(value[0], (None, None))) for value in values]


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


def measure_bookings(rows: list[BookingRow], *, on_time_minutes: int) -> BookingFigures:
    by_status = Counter(dict.fromkeys(Booking.Status.values, 0))
    by_status.update(row.status for row in rows)
    kept = [row for row in rows if row.status != Booking.Status.CANCELLED]
    by_channel = Counter(dict.fromkeys(Booking.Channel.values, 0))
    by_channel.update(row.channel for row in kept)
    due = by_status[Booking.Status.SERVED] + by_status[Booking.Status.NO_SHOW]
    arrival: Counter[str] = Counter({label: 0 for label, _bound in ARRIVAL_BANDS})
    lateness: Counter[str] = Counter({label: 0 for label, _bound in LATENESS_BANDS})
    in_time = on_time = 0
    for row in kept:
        if row.arrived is None:
            continue
        arrival[_band(row.arrived / 60, ARRIVAL_BANDS)] += 1
        if row.arrived > 0 or row.started is None:
            continue
        in_time += 1
        late = row.started / 60
        lateness[_band(late, LATENESS_BANDS)] += 1
        on_time += late <= on_time_minutes
    lead: Counter[str] = Counter({label: 0 for label, _bound in LEAD_BANDS})
    lead.update(_band(row.lead_days, LEAD_BANDS) for row in kept)
    return BookingFigures(
        bookings=len(rows),
        by_status=dict(by_status),
        by_channel=dict(by_channel),
        moved=sum(1 for row in rows if row.moves),
        no_show_share=by_status[Booking.Status.NO_SHOW] / due if due else None,
        arrived_in_time=in_time,
        on_time=on_time,
        lateness=dict(lateness),
        arrival=dict(arrival),
        lead_days=summarise_minutes(minutes=[row.lead_days for row in kept], fence=False),
        lead=dict(lead),
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


def measure_phone_meetings(rows: list[BookingRow]) -> PhoneMeetingFigures:
    """Telephone meetings (read_bookings with kind="phone"): reached is a
    meeting whose call got through, not reached one given up after the
    second try."""
    by_topic: dict[int, Counter[str]] = {}
    for row in rows:
        if row.status == Booking.Status.CANCELLED:
            continue
        counts = by_topic.setdefault(row.service_id, Counter(booked=0, reached=0, not_reached=0))
        counts["booked"] += 1
        counts["reached"] += row.status == Booking.Status.SERVED
        counts["not_reached"] += row.status == Booking.Status.NO_SHOW
    total = sum(by_topic.values(), Counter())
    return PhoneMeetingFigures(
        booked=total["booked"],
        reached=total["reached"],
        not_reached=total["not_reached"],
        by_topic={key: dict(value) for key, value in by_topic.items()},
    )


def _band(value: float, bands: Sequence[tuple[str, float | None]]) -> str:
    for label, bound in bands:
        if bound is None or value <= bound:
            return label
    raise AssertionError("the last band is open")


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
