"""The XLSX export writes what people typed as text, never as a formula."""

import io

import openpyxl

from skranke.stats.spreadsheet import Sheet, Table, write_workbook


def test_a_spreadsheet_title_that_looks_like_a_formula_is_stored_as_text() -> None:
    workbook = openpyxl.load_workbook(
        io.BytesIO(
            write_workbook(
                sheets=[Sheet("Ark", [Table('=HYPERLINK("http://x","y")', [["a"], ["=1+1"]])])]
            )
        )
    )
    sheet = workbook["Ark"]
    assert sheet["A1"].data_type == "s"
    assert sheet["A1"].value == '=HYPERLINK("http://x","y")'
    assert sheet["A3"].data_type == "s"
