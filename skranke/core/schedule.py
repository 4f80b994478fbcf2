"""A location's schedule (weekly opening hours, special days, desk shifts),
read once per change and then kept in each process.

Every availability check and every booking needs the schedule, and it
changes a few times a year. Each change gives the location a new random
`schedule_version` (the signals at the bottom, and `mark_schedule_changed`
after bulk writes, which send no signals). A reader asks the database for
the current version, one small query, and reuses what this process read
before under that version; nothing is trusted that another process would
have to tell us about.

Random rather than counted: a version written by a transaction that rolls
back is never written again, so a schedule read inside that transaction can
never be mistaken for a committed one.
"""

import threading
import uuid
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time
from typing import Protocol, TypeVar

from django.db.models.signals import m2m_changed, post_delete, post_save

from skranke.core import clock
from skranke.core.intervals import Interval
from skranke.core.models import (
    Desk,
    DeskShift,
    Location,
    OpeningHours,
    SpecialDay,
    SpecialDayHours,
)
from skranke.database.sql import as_date, as_time, fetch_rows


@dataclass(frozen=True)
class SpecialHours:
    closed: bool
    note_da: str
    note_en: str
    hours: tuple[Interval, ...]


@dataclass(frozen=True)
class Shift:
    desk: int
    weekday: int | None  # a weekly shift…
    date: date | None  # …or a dated one, which replaces the desk's weekly shifts that day
    starts: time
    ends: time
    services: frozenset[int]


@dataclass(frozen=True)
class Schedule:
    """What the location has planned from `since` on."""

    since: date
    weekly: dict[int, tuple[Interval, ...]]  # weekday (0 = Monday) → sorted intervals
    special_days: dict[date, SpecialHours]
    shifts: tuple[Shift, ...]  # of active desks; dated ones from `since`


class _AShift(Protocol):
    @property
    def desk(self) -> int: ...
    @property
    def weekday(self) -> int | None: ...
    @property
    def date(self) -> date | None: ...


ShiftType = TypeVar("ShiftType", bound=_AShift)


def shifts_on(shifts: Iterable[ShiftType], *, day: date) -> list[ShiftType]:
    """The shifts that apply on `day`: a desk's dated shifts that day
    replace all its weekly ones; other desks work their weekly shifts."""
    shifts = list(shifts)
    dated_desks = {shift.desk for shift in shifts if shift.date == day}
    return [
        shift
        for shift in shifts
        if (
            shift.date == day
            if shift.desk in dated_desks
            else shift.date is None and shift.weekday == day.weekday()
        )
    ]


def read_schedule(*, location: Location, since: date | None = None) -> Schedule:
    """The location's schedule from `since` (default today) on."""
    since = since if since is not None and since < clock.today() else clock.today()
    rows = fetch_rows(
        f"SELECT schedule_version FROM {Location._meta.db_table} WHERE id = %s",  # noqa: S608
        [location.pk],
    )
    key = (location.pk, str(rows[0][0]) if rows else "", since)
    with _lock:
        if key in _kept:
            _kept.move_to_end(key)
            return _kept[key]
    schedule = _read(location_id=location.pk, since=since)
    with _lock:
        _kept[key] = schedule
        while len(_kept) > KEPT_SCHEDULES:
            _kept.popitem(last=False)
    return schedule


# Enough for every location of a large municipality, read for today and a
# few past days by staff; a schedule is a few kilobytes.
KEPT_SCHEDULES = 256
_kept: OrderedDict[tuple[int, str, date], Schedule] = OrderedDict()
_lock = threading.Lock()


def _read(*, location_id: int, since: date) -> Schedule:
    weekly: dict[int, list[Interval]] = {weekday: [] for weekday in range(7)}
    for weekday, opens, closes in fetch_rows(
        f"SELECT weekday, opens, closes FROM {OpeningHours._meta.db_table}"  # noqa: S608
        " WHERE location_id = %s ORDER BY opens",
        [location_id],
    ):
        weekly[weekday].append((as_time(opens), as_time(closes)))

    special_rows: dict[date, tuple[bool, str, str, list[Interval]]] = {}
    for day, closed, note_da, note_en, opens, closes in fetch_rows(
        "SELECT day.date, day.closed, day.note_da, day.note_en, hours.opens, hours.closes"  # noqa: S608
        f" FROM {SpecialDay._meta.db_table} day"
        f" LEFT JOIN {SpecialDayHours._meta.db_table} hours ON hours.special_day_id = day.id"
        " WHERE day.location_id = %s AND day.date >= %s",
        [location_id, since],
    ):
        found = special_rows.setdefault(
            as_date(day),  # type: ignore[arg-type]
            (bool(closed), note_da, note_en, []),
        )
        if opens is not None and closes is not None:
            found[3].append((as_time(opens), as_time(closes)))

    handled_by = DeskShift.services.through._meta.db_table
    shifts: dict[int, tuple[int, int | None, date | None, time, time]] = {}
    services: dict[int, set[int]] = {}
    for shift_id, desk, weekday, day, starts, ends, service in fetch_rows(
        "SELECT shift.id, shift.desk_id, shift.weekday, shift.date, shift.starts,"  # noqa: S608
        " shift.ends, handled.service_id"
        f" FROM {DeskShift._meta.db_table} shift"
        f" JOIN {Desk._meta.db_table} desk ON desk.id = shift.desk_id"
        f" LEFT JOIN {handled_by} handled ON handled.deskshift_id = shift.id"
        " WHERE desk.location_id = %s AND desk.active"
        " AND (shift.date IS NULL OR shift.date >= %s)",
        [location_id, since],
    ):
        shifts[shift_id] = (desk, weekday, as_date(day), as_time(starts), as_time(ends))
        handled = services.setdefault(shift_id, set())
        if service is not None:
            handled.add(service)
    return Schedule(
        since=since,
        weekly={weekday: tuple(intervals) for weekday, intervals in weekly.items()},
        special_days={
            day: SpecialHours(closed, note_da, note_en, tuple(sorted(hours)))
            for day, (closed, note_da, note_en, hours) in special_rows.items()
        },
        shifts=tuple(
            Shift(*columns, services=frozenset(services[shift_id]))
            for shift_id, columns in shifts.items()
        ),
    )


# --- Telling readers that the schedule changed ------------------------------


def mark_schedule_changed(*, location_ids: list[int]) -> None:
    """Give the locations a new schedule version. The signals below call it
    for every save and delete; call it yourself after bulk_create or
    queryset.update(), which send no signals."""
    if location_ids:
        Location.objects.filter(pk__in=location_ids).update(schedule_version=uuid.uuid4())


def _locations_of(instance: object) -> list[int]:
    """The locations whose schedule a saved or deleted row belongs to."""
    if isinstance(instance, OpeningHours | SpecialDay):
        return [instance.location_id]
    if isinstance(instance, SpecialDayHours):
        days = SpecialDay.objects.filter(pk=instance.special_day_id)
        return list(days.values_list("location_id", flat=True))
    if isinstance(instance, DeskShift):
        desks = Desk.objects.filter(pk=instance.desk_id)
        return list(desks.values_list("location_id", flat=True))
    if isinstance(instance, Desk):
        # A desk may have been moved from another location: every location
        # of the municipality reads its schedule again.
        siblings = Location.objects.filter(municipality__locations=instance.location_id)
        return list(siblings.values_list("pk", flat=True))
    return []


def _schedule_saved_or_deleted(sender: type, instance: object, **kwargs: object) -> None:
    mark_schedule_changed(location_ids=_locations_of(instance))


def _shift_services_changed(sender: type, instance: object, action: str, **kwargs: object) -> None:
    if action in {"post_add", "post_remove", "post_clear"}:
        mark_schedule_changed(location_ids=_locations_of(instance))


for _model in (OpeningHours, SpecialDay, SpecialDayHours, DeskShift, Desk):
    post_save.connect(_schedule_saved_or_deleted, sender=_model, dispatch_uid=f"schedule-{_model}")
    post_delete.connect(
        _schedule_saved_or_deleted, sender=_model, dispatch_uid=f"schedule-del-{_model}"
    )
m2m_changed.connect(
    _shift_services_changed, sender=DeskShift.services.through, dispatch_uid="schedule-services"
)
