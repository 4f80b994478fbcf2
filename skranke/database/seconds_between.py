"""Seconds from one moment to another (and since the epoch), computed by
the database itself.

Django's own datetime arithmetic runs a Python function per row on SQLite,
which made a year's key figures take seconds; these are the databases'
native functions. Rounded to the millisecond, so a call answered at
exactly 20 s is 20.0 and not 19.9999999 (julianday is a float)."""

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Expression, FloatField, Func, IntegerField
from django.db.models.sql.compiler import SQLCompiler


class SecondsBetween(Func):
    """Seconds from the first expression to the second; NULL if either is."""

    output_field = FloatField()
    arity = 2

    def __init__(self, since: str | Expression, until: str | Expression, **extra: Any) -> None:
        super().__init__(since, until, **extra)

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, list[Any]]:
        return self.as_sql(
            compiler,
            connection,
            template="ROUND((julianday(%(until)s) - julianday(%(since)s)) * 86400.0, 3)",
            **extra,
        )

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, list[Any]]:
        return self.as_sql(
            compiler,
            connection,
            # date_part gives a double; EXTRACT a numeric, several times
            # slower to compute and round over a year's rows.
            template="ROUND(date_part('epoch', %(until)s - %(since)s) * 1000) / 1000",
            **extra,
        )

    def as_sql(  # type: ignore[override]
        self,
        compiler: SQLCompiler,
        connection: BaseDatabaseWrapper,
        template: str | None = None,
        **extra: Any,
    ) -> tuple[str, list[Any]]:
        if template is None:
            raise NotImplementedError(f"SecondsBetween is not written for {connection.vendor}")
        since, since_params = compiler.compile(self.source_expressions[0])
        until, until_params = compiler.compile(self.source_expressions[1])
        return template % {"since": since, "until": until}, [*until_params, *since_params]


class EpochSeconds(Func):
    """Seconds since 1970-01-01 UTC of a timestamp, as a float: reading
    thousands of timestamps as numbers is several times cheaper than
    parsing them into datetimes, and the statistics need only numbers."""

    output_field = FloatField()
    arity = 1

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, list[Any]]:
        moment, params = compiler.compile(self.source_expressions[0])
        return f"ROUND((julianday({moment}) - 2440587.5) * 86400.0, 3)", list(params)

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, list[Any]]:
        moment, params = compiler.compile(self.source_expressions[0])
        return f"date_part('epoch', {moment})", list(params)


class EpochDays(Func):
    """Days since 1970-01-01 of a date column, as an integer: a year of
    visits' days read as numbers rather than parsed into dates."""

    output_field = IntegerField()
    arity = 1

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, list[Any]]:
        day, params = compiler.compile(self.source_expressions[0])
        return f"CAST(julianday({day}) - 2440587.5 AS INTEGER)", list(params)

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, list[Any]]:
        day, params = compiler.compile(self.source_expressions[0])
        return f"({day} - DATE '1970-01-01')", list(params)
