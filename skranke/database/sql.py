"""Plain SQL for the few reads on the booking hot path, and for inserting
many rows at once (the demo's years of history).

Every availability check and every booking reads opening hours, special
days, shifts and bookings. Building each of those queries with the ORM costs
about 0.8 ms of Python; the query itself runs in 0.1 ms (measured, see
docs/benchmarks.md). These reads are therefore written once in SQL that
PostgreSQL and SQLite both understand, and their values are normalised
here, since SQLite hands dates and times back as text.
"""

import contextlib
import gc
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, time
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection, connections
from django.db.models import Model, QuerySet

INSERT_BATCH = 5000


def fetch_rows(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def fetch_columns(queryset: QuerySet[Any, Any], *, width: int) -> list[tuple[Any, ...]]:
    """The rows of a `values_list` queryset of `width` fields, as columns,
    read with a plain cursor: Django's per-value converters cost more than
    the query for a year of rows, and the statistics turn every column
    into an array anyway. Values are as the database gives them (SQLite:
    booleans as 0 and 1)."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # a filter no row can pass, such as `pk__in=[]`
        return [() for _ in range(width)]
    with connections[queryset.db].cursor() as cursor, _collector_paused():
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        return list(zip(*rows, strict=True)) if rows else [() for _ in range(width)]


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while tens of thousands of row tuples
    are made: each few hundred new tuples set off a collection that walks
    the whole process's objects, which cost up to a third of reading a
    year (measured). Tuples of numbers and text make no cycles."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def as_time(value: time | str) -> time:
    return value if isinstance(value, time) else time.fromisoformat(value)


def as_date(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def as_utc(value: datetime | str) -> datetime:
    """A stored moment, aware. SQLite keeps UTC moments as naive text."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def insert_objects(*, objects: Sequence[Model], ignore_conflicts: bool = False) -> None:
    """INSERT unsaved model instances of one model with executemany (see
    insert_rows); the rows' ids are not read back."""
    if not objects:
        return
    model = type(objects[0])
    names = [field.attname for field in model._meta.concrete_fields if not field.primary_key]
    insert_rows(
        model=model,
        columns=names,
        rows=[tuple(getattr(obj, name) for name in names) for obj in objects],
        ignore_conflicts=ignore_conflicts,
    )


def insert_rows(
    *,
    model: type[Model],
    columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    ignore_conflicts: bool = False,
) -> None:
    """INSERT rows of values for `columns` (the model's attribute names,
    every column without a default): with COPY on PostgreSQL, otherwise
    with executemany, about ten times faster than bulk_create for hundreds
    of thousands of rows, whose SQL compiler prepares every value of every
    row in Python; making a model instance per row costs as much again.
    Only datetimes need adapting (SQLite stores them as UTC text)."""
    if not rows:
        return
    fields = {field.attname: field for field in model._meta.concrete_fields}
    moments = [
        index
        for index, name in enumerate(columns)
        if fields[name].get_internal_type() == "DateTimeField"
    ]
    if moments:
        adapt = connection.ops.adapt_datetimefield_value
        adapted = []
        for row in rows:
            values = list(row)
            for index in moments:
                if values[index] is not None:
                    values[index] = adapt(values[index])
            adapted.append(tuple(values))
        rows = adapted
    names = ", ".join(connection.ops.quote_name(fields[name].column) for name in columns)
    # Names from the model's own metadata, values as parameters.
    table = connection.ops.quote_name(model._meta.db_table)
    if connection.vendor == "postgresql" and not ignore_conflicts:
        # COPY: the rows streamed in one statement, several times faster
        # than executemany's INSERTs (docs/benchmarks.md).
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    placeholders = ", ".join(["%s"] * len(columns))
    conflicts = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
    sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders}){conflicts}"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), INSERT_BATCH):
            cursor.executemany(sql, rows[start : start + INSERT_BATCH])
