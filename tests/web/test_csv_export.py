"""Every CSV Skranke writes opens in a spreadsheet as text and numbers,
never as a formula (CSV injection)."""

import csv
import io

import pytest

from skranke.web.csv_export import csv_response


def cells(*values: object) -> list[str]:
    response = csv_response(filename="test.csv", rows=[["header"] * len(values), values])
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    return rows[1]


@pytest.mark.parametrize(
    "text",
    ["=1+1", '=HYPERLINK("http://x","y")', "+SUM(A1)", "-2+3", "@SUM(A1)", "\t=1", "\r=1"],
)
def test_a_cell_a_spreadsheet_would_run_is_written_as_text(text: str) -> None:
    assert cells(text) == ["'" + text]


def test_numbers_and_ordinary_text_are_left_as_they_are() -> None:
    assert cells(-3.25, "-3,5", "+4520304050", 12, "Pas", None, "a=b") == [
        "-3,25", "-3,5", "+4520304050", "12", "Pas", "", "a=b",
    ]  # fmt: skip
