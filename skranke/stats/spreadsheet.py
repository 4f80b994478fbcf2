"""Tables as an XLSX workbook (XlsxWriter): one sheet per table or
chapter under a title row, a bold header row, numbers as numbers (Excel
shows them in the reader's own format; a Decimal with its own decimals,
27.54 staff stays 27.54), columns wide enough to read, and the title and
the rows' names frozen, so they stay in view however far one scrolls."""

import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

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
    title: str = ""  # the sheet's first row; its name if empty


def write_workbook(*, sheets: list[Sheet]) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    heading = workbook.add_format({"bold": True, "font_size": 15})
    title = workbook.add_format({"bold": True, "font_size": 13})
    header = workbook.add_format({"bold": True, "bottom": 1, "text_wrap": True})
    decimal = workbook.add_format({"num_format": "0.0"})
    exact = {
        places: workbook.add_format({"num_format": "0." + "0" * places}) for places in range(1, 5)
    }
    for sheet in sheets:
        worksheet = workbook.add_worksheet(
            sheet.name.translate(NOT_IN_SHEET_NAMES)[:SHEET_NAME_MAX]
        )
        widths: dict[int, int] = {}
        worksheet.write_string(0, 0, sheet.title or sheet.name, heading)
        # The title and the first column, which names each row, stay in
        # view; with one table, its header too (under a blank line and the
        # table's own title).
        worksheet.freeze_panes(4 if len(sheet.tables) == 1 else 1, 1)
        line = 2
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
                    elif isinstance(value, Decimal):
                        places = min(max(-int(value.as_tuple().exponent), 0), 4)
                        worksheet.write_number(line, column, float(value), exact.get(places))
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
