"""Importing the phone system's call records from a CSV file, as the
system writes it: the municipality's CallRecordFormat names the delimiter
and the column holding each field.

A bad line does not stop the import: it is reported with its line number
and the reason, and the good lines are imported. Nothing from the cells is
repeated in the reasons, which are shown and printed: a wrongly mapped
column could hold a caller's number. Lines are written a batch at a time,
each batch in its own transaction, through record_calls; as recording is
idempotent, a file stopped half-way (or corrected) is simply imported
again.
"""

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.utils.translation import gettext as _

from skranke.contact_centre.call_records import CallRecord, InvalidCallRecord, record_calls
from skranke.contact_centre.models import CallRecordFormat
from skranke.core.clock import LOCAL_ZONE
from skranke.core.models import Municipality

BATCH = 1000
ERRORS_KEPT = 200

# What the fields are read from, by the format's setting for each. An empty
# setting (allowed for the abandoned and agent columns) means no column.
COLUMN_SETTINGS = {
    "call_id": "call_id_column",
    "queue": "queue_column",
    "offered_at": "offered_at_column",
    "answered_at": "answered_at_column",
    "ended_at": "ended_at_column",
    "abandoned": "abandoned_column",
    "agent": "agent_column",
}

# 25-10-2026 14:30:00 or 25.10.2026 14:30 (Danish), read before ISO 8601.
DANISH_MOMENT = re.compile(r"(\d{1,2})[-.](\d{1,2})[-.](\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?")
# SAND and FALSK are what a Danish spreadsheet writes.
YES = frozenset({"1", "true", "ja", "yes", "sand"})
NO = frozenset({"0", "false", "nej", "no", "falsk"})


class CallFileError(ValueError):
    """The file as a whole cannot be imported (nothing was)."""


class _StopReading(Exception):
    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line, self.reason = line, reason


@dataclass
class ImportReport:
    rows_read: int = 0
    imported: int = 0
    already_there: int = 0
    error_count: int = 0
    # (line number, reason), the first ERRORS_KEPT of them.
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def errors_not_shown(self) -> int:
        return self.error_count - len(self.errors)

    def add_error(self, line: int, reason: str) -> None:
        self.error_count += 1
        if len(self.errors) < ERRORS_KEPT:
            self.errors.append((line, reason))


def find_call_record_format(*, municipality: Municipality) -> CallRecordFormat:
    """The municipality's format; the default one (unsaved) if it has none."""
    try:
        return CallRecordFormat.objects.get(municipality=municipality)
    except CallRecordFormat.DoesNotExist:
        return CallRecordFormat(municipality=municipality)


def import_call_records(
    *, municipality: Municipality, file: Iterable[bytes], fmt: CallRecordFormat
) -> ImportReport:
    """Import a CSV file of call records for `municipality`. `file` gives
    the file's lines as bytes (an uploaded file, a file opened "rb"): UTF-8,
    with or without a byte-order mark. Raises CallFileError, before
    anything is written, when the first line lacks a configured column."""
    lines = _decoded_lines(file)
    reader = csv.reader(lines, delimiter=fmt.delimiter)
    try:
        header = next(reader, None)
    except _StopReading:
        raise CallFileError(
            _("The file is not UTF-8 text. Save it as UTF-8 and import it again.")
        ) from None
    except csv.Error:
        raise CallFileError(_("The file's first line cannot be read as CSV.")) from None
    if header is None:
        raise CallFileError(_("The file is empty."))
    columns = _column_positions(header, fmt)
    report = ImportReport()
    batch: list[CallRecord] = []
    while True:
        try:
            row = next(reader, None)
        except _StopReading as stop:
            report.add_error(stop.line, stop.reason)
            break
        except csv.Error:
            report.add_error(
                reader.line_num + 1,
                _("This line cannot be read as CSV; the rest of the file was not read."),
            )
            break
        if row is None:
            break
        if not any(cell.strip() for cell in row):
            continue  # an empty line, or one of delimiters only
        report.rows_read += 1
        if len(row) != len(header):
            report.add_error(
                reader.line_num,
                _("The line has %(found)d fields where the first line has %(expected)d.")
                % {"found": len(row), "expected": len(header)},
            )
            continue
        try:
            batch.append(_read_call(row, columns))
        except InvalidCallRecord as invalid:
            report.add_error(reader.line_num, str(invalid.message))
            continue
        if len(batch) == BATCH:
            _record(municipality, batch, report)
            batch = []
    if batch:
        _record(municipality, batch, report)
    return report


def _record(municipality: Municipality, batch: list[CallRecord], report: ImportReport) -> None:
    recorded = record_calls(municipality=municipality, calls=batch)
    report.imported += recorded.created
    report.already_there += recorded.existing


def _decoded_lines(file: Iterable[bytes]) -> Iterator[str]:
    # Decoded a line at a time, so that a line that is not UTF-8 is named
    # exactly and the lines before it are imported.
    for number, raw in enumerate(file, start=1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise _StopReading(
                number,
                _(
                    "This line is not UTF-8 text; the rest of the file was not read. Save "
                    "the file as UTF-8 and import it again: what was imported is not "
                    "imported twice."
                ),
            ) from None
        yield line.removeprefix("\ufeff") if number == 1 else line


def _column_positions(header: list[str], fmt: CallRecordFormat) -> dict[str, tuple[int, str]]:
    """Each configured field's position in a row, and its column's name."""
    found: dict[str, int] = {}
    for position, name in enumerate(header):
        found.setdefault(name.strip().casefold(), position)
    positions: dict[str, tuple[int, str]] = {}
    missing = []
    for name, setting in COLUMN_SETTINGS.items():
        column = getattr(fmt, setting).strip()
        if not column:
            continue
        if column.casefold() in found:
            positions[name] = (found[column.casefold()], column)
        else:
            missing.append(column)
    if missing:
        raise CallFileError(
            _(
                "The file's first line has no column %(missing)s. Its columns, read with "
                "“%(delimiter)s” between them, are: %(found)s. Correct the column names "
                "in the call record format, or the file."
            )
            % {
                "missing": ", ".join(f"“{column}”" for column in missing),
                "delimiter": fmt.delimiter,
                "found": ", ".join(f"“{name.strip()}”" for name in header),
            }
        )
    return positions


def _read_call(row: list[str], columns: dict[str, tuple[int, str]]) -> CallRecord:
    def cell(name: str) -> str:
        return row[columns[name][0]].strip() if name in columns else ""

    offered_text = cell("offered_at")
    if not offered_text:
        raise InvalidCallRecord(_("The time the call was offered is missing."))
    offered = _read_moment(offered_text, columns["offered_at"][1], not_before=None)
    answered_text = cell("answered_at")
    answered = (
        _read_moment(answered_text, columns["answered_at"][1], not_before=offered)
        if answered_text
        else None
    )
    ended_text = cell("ended_at")
    ended = (
        _read_moment(ended_text, columns["ended_at"][1], not_before=answered or offered)
        if ended_text
        else None
    )
    abandoned_text = cell("abandoned").casefold()
    if not abandoned_text:
        # No column, or nothing in it: a call nobody answered was abandoned.
        abandoned = answered is None
    elif abandoned_text in YES or abandoned_text in NO:
        abandoned = abandoned_text in YES
    else:
        raise InvalidCallRecord(
            _("“%(column)s” is neither yes nor no (1/0, true/false, ja/nej, yes/no).")
            % {"column": columns["abandoned"][1]}
        )
    return CallRecord(
        call_id=cell("call_id"),
        queue=cell("queue"),
        offered_at=offered,
        answered_at=answered,
        ended_at=ended,
        abandoned=abandoned,
        agent=cell("agent"),
    )


def _read_moment(text: str, column: str, *, not_before: datetime | None) -> datetime:
    """A moment in ISO 8601 (with or without an offset) or Danish
    "dd-mm-yyyy HH:MM:SS"; without an offset it is Copenhagen time. In UTC."""
    match = DANISH_MOMENT.fullmatch(text)
    try:
        if match is not None:
            day, month, year, hour, minute, second = match.groups()
            moment = datetime(  # noqa: DTZ001 - made aware below, as local time
                int(year), int(month), int(day), int(hour), int(minute), int(second or 0)
            )
        elif len(text) > len("2026-10-25"):  # a date alone is not a moment
            moment = datetime.fromisoformat(text)
        else:
            raise ValueError(text)
    except ValueError:
        raise InvalidCallRecord(
            _(
                "“%(column)s” is not a date and time such as 2026-10-25 14:30:00, "
                "2026-10-25T14:30:00+01:00 or 25-10-2026 14:30:00."
            )
            % {"column": column}
        ) from None
    if moment.tzinfo is not None:
        return moment.astimezone(UTC)
    return _local_moment(moment, column, not_before=not_before)


def _local_moment(naive: datetime, column: str, *, not_before: datetime | None) -> datetime:
    """A Copenhagen wall-clock time in UTC. When the clocks go back, the hour
    from 02:00 to 03:00 comes twice: it is read as the first time round,
    unless the call's earlier moment (`not_before`) shows that it was the
    second: answered at 02:05 after being offered at 02:58."""
    first = naive.replace(tzinfo=LOCAL_ZONE).astimezone(UTC)
    if first.astimezone(LOCAL_ZONE).replace(tzinfo=None) != naive:
        raise InvalidCallRecord(
            _(
                "“%(column)s” is a time that does not exist in Denmark: the hour skipped "
                "when the clocks go forward."
            )
            % {"column": column}
        )
    if not_before is not None and first < not_before:
        second = naive.replace(tzinfo=LOCAL_ZONE, fold=1).astimezone(UTC)
        if second >= not_before:
            return second
    return first
