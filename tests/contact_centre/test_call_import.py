"""Importing the phone system's call records from its CSV files: the
municipality's column names and delimiter, Danish and ISO times, bad lines
reported while the good ones come in, and a file imported twice adding
nothing."""

import io
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command

from skranke.contact_centre.call_import import (
    ERRORS_KEPT,
    CallFileError,
    ImportReport,
    find_call_record_format,
    import_call_records,
)
from skranke.contact_centre.models import Call, CallRecordFormat
from skranke.core.models import Municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def fmt(municipality: Municipality) -> CallRecordFormat:
    """The columns as one vendor's phone system names them, with ;."""
    return CallRecordFormat.objects.create(
        municipality=municipality,
        delimiter=";",
        call_id_column="Opkalds-ID",
        queue_column="Kø",
        offered_at_column="Tilbudt",
        answered_at_column="Besvaret",
        ended_at_column="Afsluttet",
        abandoned_column="Opgivet",
        agent_column="Medarbejder",
    )


HEADER = "Opkalds-ID;Kø;Tilbudt;Besvaret;Afsluttet;Opgivet;Medarbejder"


def csv_file(*lines: str, bom: bool = False) -> io.BytesIO:
    text = "\r\n".join(lines) + "\r\n"
    return io.BytesIO(("\ufeff" if bom else "").encode() + text.encode())


def import_lines(
    municipality: Municipality, fmt: CallRecordFormat, *lines: str, bom: bool = False
) -> ImportReport:
    """Import a file of `lines` under the vendor's first line."""
    file = csv_file(HEADER, *lines, bom=bom)
    return import_call_records(municipality=municipality, file=file, fmt=fmt)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_it_reads_the_municipalitys_column_names_and_delimiter(
    municipality: Municipality, fmt: CallRecordFormat
) -> None:
    report = import_lines(
        municipality,
        fmt,
        "A1;Folkeregister;2026-12-07T09:00:00+01:00;2026-12-07T09:00:15+01:00;"
        "2026-12-07T09:04:00+01:00;0;Ane",
        "A2;Pas;07-12-2026 09:01:00;;07-12-2026 09:02:30;1;",
        bom=True,
    )
    assert (report.rows_read, report.imported, report.error_count) == (2, 2, 0)
    answered = Call.objects.get(call_id="A1")
    assert answered.queue == "Folkeregister"
    assert answered.offered_at == utc(2026, 12, 7, 8, 0)
    assert answered.answered_at == utc(2026, 12, 7, 8, 0, 15)
    assert answered.ended_at == utc(2026, 12, 7, 8, 4)
    assert (answered.abandoned, answered.agent) == (False, "Ane")
    abandoned = Call.objects.get(call_id="A2")
    assert abandoned.offered_at == utc(2026, 12, 7, 8, 1)  # Danish time, winter: UTC+1
    assert (abandoned.answered_at, abandoned.abandoned, abandoned.agent) == (None, True, "")


def test_a_file_imported_twice_adds_nothing_and_says_so(
    municipality: Municipality, fmt: CallRecordFormat
) -> None:
    lines = [
        f"C{number};Pas;07-12-2026 10:{number:02d}:00;07-12-2026 10:{number:02d}:20;;;"
        for number in range(5)
    ]
    first = import_lines(municipality, fmt, *lines)
    again = import_lines(municipality, fmt, *lines)
    assert (first.imported, first.already_there) == (5, 0)
    assert (again.rows_read, again.imported, again.already_there) == (5, 0, 5)
    assert Call.objects.count() == 5


def test_a_call_repeated_in_one_file_counts_once(
    municipality: Municipality, fmt: CallRecordFormat, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Small batches, so that the repeat falls in a later batch as well.
    monkeypatch.setattr("skranke.contact_centre.call_import.BATCH", 2)
    line = "R1;Pas;07-12-2026 10:00:00;;;1;"
    report = import_lines(municipality, fmt, line, line, "R2;Pas;07-12-2026 10:01:00;;;1;", line)
    assert (report.rows_read, report.imported, report.already_there) == (4, 2, 2)
    assert Call.objects.filter(call_id="R1").count() == 1


def test_bad_lines_are_reported_with_their_number_and_the_good_ones_imported(
    municipality: Municipality, fmt: CallRecordFormat
) -> None:
    report = import_lines(
        municipality,
        fmt,
        "G1;Pas;07-12-2026 10:00:00;07-12-2026 10:00:10;07-12-2026 10:05:00;nej;",
        ";Pas;07-12-2026 10:00:00;;;;",
        "B2;Pas;;;;;",
        "B3;Pas;07-12-2026 10:00:00;07-12-2026 09:59:00;;;",
        "B4;Pas;07-12-2026 10:00:00;07-12-2026 10:00:10;07-12-2026 10:00:05;;",
        "B5;Pas;07-12-2026 10:00:00;07-12-2026 10:00:10;;ja;",
        "B6;Pas;7th December;;;;",
        "B7;Pas;07-12-2026 10:00:00;;;maybe;",
        "B8;Pas;07-12-2026 10:00:00",
        "",
        "G2;Pas;2026-12-07 10:01:00;;;yes;",
    )
    assert (report.rows_read, report.imported, report.error_count) == (10, 2, 8)
    assert set(Call.objects.values_list("call_id", flat=True)) == {"G1", "G2"}
    assert report.errors == [
        (3, "The call id is missing."),
        (4, "The time the call was offered is missing."),
        (5, "The call was answered before it was offered."),
        (6, "The call ended before it was answered."),
        (7, "The call is marked abandoned but was answered."),
        (
            8,
            "“Tilbudt” is not a date and time such as 2026-10-25 14:30:00, "
            "2026-10-25T14:30:00+01:00 or 25-10-2026 14:30:00.",
        ),
        (9, "“Opgivet” is neither yes nor no (1/0, true/false, ja/nej, yes/no)."),
        (10, "The line has 3 fields where the first line has 7."),
    ]


def test_the_error_list_is_cut_but_every_error_is_counted(
    municipality: Municipality, fmt: CallRecordFormat
) -> None:
    bad = [f"X{number};Pas;;;;;" for number in range(ERRORS_KEPT + 50)]
    report = import_lines(municipality, fmt, *bad)
    assert report.error_count == ERRORS_KEPT + 50
    assert len(report.errors) == ERRORS_KEPT
    assert report.errors_not_shown == 50


def test_a_missing_column_is_named_and_nothing_is_imported(
    municipality: Municipality, fmt: CallRecordFormat
) -> None:
    with pytest.raises(CallFileError) as refused:
        import_call_records(
            municipality=municipality,
            file=csv_file("Opkalds-ID,Kø,Tilbudt", "A1,Pas,07-12-2026 10:00:00"),
            fmt=fmt,
        )
    message = str(refused.value)
    assert "“Besvaret”" in message
    assert "“Opkalds-ID,Kø,Tilbudt”" in message  # read with ;, it is one column
    assert not Call.objects.exists()


def test_without_an_abandoned_column_an_unanswered_call_is_abandoned(
    municipality: Municipality,
) -> None:
    # The default format, with the abandoned and agent columns switched off.
    fmt = find_call_record_format(municipality=municipality)
    fmt.delimiter, fmt.abandoned_column, fmt.agent_column = ",", "", ""
    report = import_call_records(
        municipality=municipality,
        file=csv_file(
            "call_id,queue,offered_at,answered_at,ended_at",
            "N1,Pas,2026-12-07T10:00:00Z,,2026-12-07T10:01:00Z",
            "N2,Pas,2026-12-07T10:00:00Z,2026-12-07T10:00:30Z,",
        ),
        fmt=fmt,
    )
    assert report.imported == 2
    assert dict(Call.objects.values_list("call_id", "abandoned")) == {"N1": True, "N2": False}


def test_header_names_match_whatever_their_case(municipality: Municipality) -> None:
    fmt = find_call_record_format(municipality=municipality)
    report = import_call_records(
        municipality=municipality,
        file=csv_file(
            " CALL_ID ;Queue;Offered_At;ANSWERED_AT;Ended_At;Abandoned;Agent",
            "H1;Pas;2026-12-07T10:00:00+01:00;;;true;",
        ),
        fmt=fmt,
    )
    assert report.imported == 1


def test_naive_times_in_late_october_are_danish_summer_then_winter_time(
    municipality: Municipality, fmt: CallRecordFormat
) -> None:
    # On 25 October 2026 the clocks go back at 03:00 to 02:00.
    report = import_lines(
        municipality,
        fmt,
        # The day before: summer time, UTC+2.
        "S1;Pas;24.10.2026 14:30:00;24.10.2026 14:30:20;;;",
        # After the change: winter time, UTC+1.
        "W1;Pas;26-10-2026 14:30:00;;;1;",
        # In the repeated hour: offered the first time round, answered
        # after the clocks went back.
        "D1;Pas;25-10-2026 02:58:00;25-10-2026 02:01:00;25-10-2026 02:03:00;0;",
        # A repeated hour on its own is read as the first time round.
        "D2;Pas;2026-10-25 02:30:00;;;1;",
    )
    assert report.error_count == 0
    times = {call.call_id: call for call in Call.objects.all()}
    assert times["S1"].offered_at == utc(2026, 10, 24, 12, 30)
    assert times["W1"].offered_at == utc(2026, 10, 26, 13, 30)
    assert times["D1"].offered_at == utc(2026, 10, 25, 0, 58)
    assert times["D1"].answered_at == utc(2026, 10, 25, 1, 1)
    assert times["D1"].ended_at == utc(2026, 10, 25, 1, 3)
    assert times["D2"].offered_at == utc(2026, 10, 25, 0, 30)


def test_a_time_in_the_hour_skipped_in_march_is_refused(
    municipality: Municipality, fmt: CallRecordFormat
) -> None:
    report = import_lines(municipality, fmt, "M1;Pas;29-03-2026 02:30:00;;;1;")
    assert report.imported == 0
    assert report.errors == [
        (
            2,
            "“Tilbudt” is a time that does not exist in Denmark: "
            "the hour skipped when the clocks go forward.",
        )
    ]


def test_a_line_that_is_not_utf8_stops_the_import_there(
    municipality: Municipality, fmt: CallRecordFormat
) -> None:
    content = (
        f"{HEADER}\nU1;Pas;07-12-2026 10:00:00;;;1;\n".encode()
        + "U2;Kø;07-12-2026 10:00:00;;;1;\n".encode("latin-1")
        + b"U3;Pas;07-12-2026 10:00:00;;;1;\n"
    )
    report = import_call_records(municipality=municipality, file=io.BytesIO(content), fmt=fmt)
    assert report.imported == 1
    assert report.errors[0][0] == 3
    assert "not UTF-8" in report.errors[0][1]


def test_each_municipality_has_its_own_call_ids(
    municipality: Municipality, fmt: CallRecordFormat
) -> None:
    other = Municipality.objects.create(name="Andeby", slug="andeby")
    line = "SAME;Pas;07-12-2026 10:00:00;;;1;"
    import_lines(municipality, fmt, line)
    theirs = CallRecordFormat.objects.get(pk=fmt.pk)
    theirs.pk, theirs.municipality = None, other
    report = import_lines(other, theirs, line)
    assert report.imported == 1
    assert Call.objects.filter(call_id="SAME").count() == 2


def test_the_command_prints_the_report_without_the_lines_contents(
    municipality: Municipality, fmt: CallRecordFormat, tmp_path, capsys
) -> None:
    path = tmp_path / "calls.csv"
    path.write_text(
        f"{HEADER}\n"
        "K1;Pas;07-12-2026 10:00:00;07-12-2026 10:00:09;;0;Ane Hansen\n"
        "K2;Pas;07-12-2026 10:00:00;07-12-2026 09:00:00;;0;Bo Jensen\n",
        encoding="utf-8",
    )
    call_command("import_calls", "--municipality", "testkommune", str(path))
    out = capsys.readouterr().out
    assert "2 lines read, 1 call imported, 0 calls were already there" in out
    assert "Line 3: The call was answered before it was offered." in out
    assert "Hansen" not in out
    assert "Jensen" not in out
    with pytest.raises(CommandError):
        call_command("import_calls", "--municipality", "nowhere", str(path))
