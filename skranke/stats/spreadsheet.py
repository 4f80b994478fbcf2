"""Tables as an XLSX workbook (XlsxWriter): one sheet per table or
chapter, a bold header row, numbers as numbers (Excel shows them in the
reader's own format), columns wide enough to read."""

import io
from collections.abc import Sequence
from dataclasses import dataclass

import xlsxwriter

# Excel's limit on a sheet's name, and the characters it refuses there.
SHEET_NAME_MAX = 31
NOT_IN_SHEET_NAMES = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


@dataclass(frozen=True)
class Table:
    """A block of rows under a title; the first row is the header."""

    title: str
    rows: Sequence[Sequence[object]]


@dataclass(frozen=True)
class Sheet:
    name: str
    tables: list[Table]


def write_workbook(*, sheets: list[Sheet]) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    title = workbook.add_format({"bold": True, "font_size": 13})
    header = workbook.add_format({"bold": True, "bottom": 1, "text_wrap": True})
    decimal = workbook.add_format({"num_format": "0.0"})
    for sheet in sheets:
        worksheet = workbook.add_worksheet(
            sheet.name.translate(NOT_IN_SHEET_NAMES)[:SHEET_NAME_MAX]
        )
        widths: dict[int, int] = {}
        line = 0
        for table in sheet.tables:
            # As text, whatever it begins with: write() would take a title
            # beginning with "=" for a formula.
            worksheet.write_string(line, 0, table.title, title)
            line += 1
            for index, row in enumerate(table.rows):
                for column, value in enumerate(row):
                    if value is None:
                        continue
                    if index == 0:
                        worksheet.write_string(line, column, str(value), header)
                    elif isinstance(value, float):
                        worksheet.write_number(line, column, value, decimal)
                    elif isinstance(value, int):
                        worksheet.write_number(line, column, value)
                    else:
                        worksheet.write_string(line, column, str(value))
                    widths[column] = max(widths.get(column, 8), min(len(str(value)) + 2, 60))
                line += 1
            line += 1  # a blank line between tables
        for column, width in widths.items():
            worksheet.set_column(column, column, width)
    workbook.close()
    return buffer.getvalue()
