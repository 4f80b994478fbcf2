"""Erasing citizens' personal data when its retention period is over.

Every place Skranke keeps something about a citizen is declared by the app
that holds it, in its personal_data.py (core/personal_data_registry.py),
with the setting that says how long it is kept (privacy/models.py) and the
moment that period counts from. When the time is up the personal fields
are blanked, or a row that is nothing but personal is deleted. The rows
the statistics count (bookings, visits, contacts, calls, messages, survey
answers) stay, so a closed year's figures never change; only who it was
goes: no name, phone number, e-mail address, note, comment or secret
link survives.

Visits, telephone-meeting calls and tallies hold nothing about the
citizen. Staff accounts are not citizens' data. Two kinds are privacy's
own: expired sessions, and the staff access log, which has its own,
longer setting (access_log_days); its rows are deleted through its own
app's one way out (access_log/retention.py).

The worker takes a pass once an hour (erase_personal_data), a batch of
each kind per round until nothing is due. Erasing is idempotent: a row
erased is no longer due, so a second pass changes nothing.
"""

import logging
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from skranke.access_log.retention import count_access_records, erase_access_records
from skranke.core import clock
from skranke.core.models import Municipality
from skranke.core.personal_data_registry import (
    PersonalData,
    Retention,
    registered_personal_data,
)
from skranke.privacy.models import DEFAULT_DAYS, ErasurePass

logger = logging.getLogger("skranke.privacy")

BATCH = 500
PASS_EVERY = timedelta(hours=1)

SESSIONS = "expired_sessions"
SESSIONS_LABEL = _("expired sessions")
# The access log is not blanked but deleted, by its own app's one way out
# (access_log/retention.py), after its own, longer period.
ACCESS_RECORDS = "access_records"
ACCESS_RECORDS_LABEL = _("rows of the staff access log")


def report_order(data: PersonalData) -> tuple[int, int]:
    """Where a kind stands in the erasure's report and log line: setting by
    setting (in the order of privacy/models.py's DEFAULT_DAYS), and by its
    order within one setting."""
    settings = list(DEFAULT_DAYS)
    setting = settings.index(data.retention.setting) if data.retention else len(settings)
    return (setting, data.order)


def retained_personal_data() -> list[tuple[PersonalData, Retention]]:
    """The kinds declared with a retention period, in the report's order."""
    return [
        (data, data.retention)
        for data in sorted(registered_personal_data(), key=report_order)
        if data.retention is not None
    ]


def kind_labels() -> dict[str, str | Promise]:
    """Every kind the erasure counts, in the order of its report."""
    return {data.kind: data.label for data, _retention in retained_personal_data()} | {
        SESSIONS: SESSIONS_LABEL,
        ACCESS_RECORDS: ACCESS_RECORDS_LABEL,
    }


def read_periods() -> dict[str, dict[int, list[int]]]:
    """For each setting, the municipalities (ids) by their period in days:
    one query, and usually one group per setting."""
    names = list(DEFAULT_DAYS)
    rows = Municipality.objects.values_list(
        "pk", *[f"retention_settings__{name}" for name in names]
    )
    periods: dict[str, dict[int, list[int]]] = {name: defaultdict(list) for name in names}
    for pk, *days in rows:
        for name, value in zip(names, days, strict=True):
            periods[name][DEFAULT_DAYS[name] if value is None else value].append(pk)
    return periods


def due_rows(
    *,
    data: PersonalData,
    retention: Retention,
    now: datetime,
    periods: dict[str, dict[int, list[int]]],
) -> QuerySet[Any]:
    """The rows of `data` whose period is over at `now` and that still hold
    something to erase. A row that belongs to no municipality (an answer to
    a number Skranke never wrote to; a booking's message whose booking has
    gone) is kept for the default period."""
    over = Q(pk__in=[])
    for days, municipality_ids in periods[retention.setting].items():
        place = Q(pk__in=[])
        for path in retention.municipality:
            place |= Q(**{f"{path}__in": municipality_ids})
        over |= place & _before(retention=retention, cutoff=now - timedelta(days=days))
    nowhere = Q()
    for path in retention.municipality:
        nowhere &= Q(**{f"{path}__isnull": True})
    default = timedelta(days=DEFAULT_DAYS[retention.setting])
    over |= nowhere & _before(retention=retention, cutoff=now - default)
    return data.model._default_manager.filter(over, retention.still_there, retention.also)


def _before(*, retention: Retention, cutoff: datetime) -> Q:
    """The row's moments (those that are set) are all before `cutoff`."""
    before = Q(**{f"{retention.moment}__lt": cutoff})
    for moment in retention.also_before:
        before &= Q(**{f"{moment}__lt": cutoff}) | Q(**{f"{moment}__isnull": True})
    return before


def expired_sessions() -> QuerySet[Session]:
    """Sessions past their expiry; an abandoned booking's details wait in one.

    Expiry is Django's own time, by which the session middleware refuses a
    session: the project's clock, moved for training, must never end a
    session Django still accepts (nor keep one it refuses)."""
    return Session.objects.filter(expire_date__lt=timezone.now())  # noqa: TID251


def count_due_personal_data(*, now: datetime) -> dict[str, int]:
    """How many rows of each kind are due for erasure at `now`."""
    periods = read_periods()
    counts = {
        data.kind: due_rows(data=data, retention=retention, now=now, periods=periods).count()
        for data, retention in retained_personal_data()
    }
    counts[SESSIONS] = expired_sessions().count()
    cutoffs = _access_log_cutoffs(now=now, periods=periods)
    counts[ACCESS_RECORDS] = count_access_records(cutoffs=cutoffs)
    return counts


def erase_due_personal_data(*, now: datetime, batch: int = BATCH) -> dict[str, int]:
    """Erase up to `batch` due rows of each kind; how many of each. A kind
    with `batch` rows erased may have more waiting."""
    periods = read_periods()
    erased = {
        data.kind: _erase_batch(
            due=due_rows(data=data, retention=retention, now=now, periods=periods),
            data=data,
            batch=batch,
        )
        for data, retention in retained_personal_data()
    }
    erased[SESSIONS] = _delete_sessions(batch=batch)
    erased[ACCESS_RECORDS] = sum(
        erase_access_records(municipality_id=municipality_id, older_than=cutoff)
        for municipality_id, cutoff in _access_log_cutoffs(now=now, periods=periods).items()
    )
    return erased


def _access_log_cutoffs(
    *, now: datetime, periods: dict[str, dict[int, list[int]]]
) -> dict[int, datetime]:
    """Each municipality's moment before which its access log rows go."""
    return {
        municipality_id: now - timedelta(days=days)
        for days, municipality_ids in periods["access_log_days"].items()
        for municipality_id in municipality_ids
    }


def erase_all_due_personal_data(*, now: datetime, batch: int = BATCH) -> dict[str, int]:
    """Erase everything due at `now`, a batch of each kind at a time."""
    total: dict[str, int] = dict.fromkeys(kind_labels(), 0)
    while True:
        erased = erase_due_personal_data(now=now, batch=batch)
        for kind, count in erased.items():
            total[kind] += count
        if all(count < batch for count in erased.values()):
            return total


def _erase_batch(*, due: QuerySet[Any], data: PersonalData, batch: int) -> int:
    # Look before writing: on SQLite every write takes the database's one
    # write lock.
    ids = list(due.order_by().values_list("pk", flat=True)[:batch])
    if not ids:
        return 0
    with transaction.atomic(durable=True):
        # The same conditions again: a row changed meanwhile (a message
        # tried again) is left alone.
        return erase_rows(data=data, rows=due.filter(pk__in=ids))


def erase_rows(*, data: PersonalData, rows: QuerySet[Any]) -> int:
    """Blank the personal fields of `rows` as `data` declares them, or
    delete the rows; how many. The caller holds a transaction."""
    if data.erased is None:
        return rows.delete()[0]
    if not any(callable(value) for value in data.erased.values()):
        return rows.update(**data.erased)
    # Values that differ from row to row (a unique column): one statement
    # all the same.
    changed = list(rows)
    for row in changed:
        for name, value in data.erased.items():
            setattr(row, name, value(row) if callable(value) else value)
    data.model._default_manager.bulk_update(changed, list(data.erased))
    return len(changed)


def _delete_sessions(*, batch: int) -> int:
    keys = list(expired_sessions().values_list("session_key", flat=True)[:batch])
    if not keys:
        return 0
    return expired_sessions().filter(session_key__in=keys).delete()[0]


def _claim_pass(*, now: datetime) -> bool:
    """Whether this worker takes a pass now: one read on most rounds, a
    conditional update that one worker wins when a pass is due."""
    due_at = ErasurePass.objects.filter(pk=ErasurePass.ROW).values_list("due_at", flat=True).first()
    if due_at is None:
        # The first pass of an installation; two workers starting at once
        # may both take it, which does no harm.
        ErasurePass.objects.bulk_create(
            [ErasurePass(pk=ErasurePass.ROW, due_at=now + PASS_EVERY)], ignore_conflicts=True
        )
        return True
    # Further ahead than a pass could have set: the clock was moved back
    # (a training installation started again earlier). Not waiting for it.
    if now < due_at <= now + PASS_EVERY:
        return False
    return bool(
        ErasurePass.objects.filter(pk=ErasurePass.ROW, due_at=due_at).update(
            due_at=now + PASS_EVERY
        )
    )


def erase_personal_data(*, batch: int = BATCH) -> int:
    """The worker's job: once an hour, erase the personal data whose time is
    up, a batch of each kind per round until none is left. How many rows it
    changed (0 on the rounds in between)."""
    now = clock.now()
    if not _claim_pass(now=now):
        return 0
    erased = erase_due_personal_data(now=now, batch=batch)
    if any(count >= batch for count in erased.values()):
        # More is waiting: the next round takes the next batch.
        ErasurePass.objects.filter(pk=ErasurePass.ROW).update(due_at=now)
    # Counts only: nothing about whose data it was.
    logger.info(
        "personal data erased: %s", " ".join(f"{kind}={count}" for kind, count in erased.items())
    )
    return sum(erased.values())
