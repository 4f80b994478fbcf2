"""The XLSX export writes what people typed as text, never as a formula;
each sheet opens on its title, with the title and the rows' names frozen
in view, and a figure with two decimals keeps them."""

import io
from decimal import Decimal

import openpyxl

from skranke.stats.spreadsheet import Sheet, Table, write_workbook


def read(sheets: list[Sheet]) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(write_workbook(sheets=sheets)))


def test_a_spreadsheet_title_that_looks_like_a_formula_is_stored_as_text() -> None:
    sheet = read(
        [Sheet("Ark", [Table('=HYPERLINK("http://x","y")', [["a"], ["=1+1"]])], title="=2+2")]
    )["Ark"]
    assert sheet["A1"].data_type == "s"
    assert sheet["A1"].value == "=2+2"
    assert sheet["A3"].data_type == "s"
    assert sheet["A3"].value == '=HYPERLINK("http://x","y")'
    assert sheet["A5"].data_type == "s"


def test_each_sheet_opens_on_its_title_with_the_title_and_row_names_frozen() -> None:
    workbook = read(
        [
            Sheet("Telefon", [Table("Kald", [["Tal", "2025"], ["Besvaret", 93_259]])]),
            Sheet(
                "Besøg",
                [Table("Kvartaler", [["Kvartal", "2025"]]), Table("Ydelser", [["Ydelse"]])],
                title="Borgerservicerapport 2025: Besøg",
            ),
        ]
    )
    phone, visits = workbook["Telefon"], workbook["Besøg"]
    assert phone["A1"].value == "Telefon"  # the sheet's name when it has no title
    assert phone["A1"].font.bold
    # One table: its header stays in view as well.
    assert phone["A4"].value == "Tal"
    assert phone.freeze_panes == "B5"
    assert visits["A1"].value == "Borgerservicerapport 2025: Besøg"
    assert visits.freeze_panes == "B2"


def test_a_decimal_keeps_its_own_decimals_where_a_float_shows_one() -> None:
    sheet = read(
        [
            Sheet(
                "Ark",
                [Table("Tal", [["Tal", "Værdi"], ["Årsværk", Decimal("27.54")], ["x", 3.25]])],
            )
        ]
    )["Ark"]
    assert sheet["B5"].value == 27.54
    assert sheet["B5"].number_format == "0.00"
    assert sheet["B6"].number_format == "0.0"
