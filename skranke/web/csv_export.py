"""CSV files as Danish spreadsheets open them: semicolons between fields,
decimal commas, UTF-8 with the mark Excel looks for, and no cell a
spreadsheet would run as a formula."""

import csv
import re
from collections.abc import Iterable

from django.http import HttpResponse


def decimal_comma(value: float | None, digits: int = 1) -> str:
    """`value` with a decimal comma; empty for no value."""
    return "" if value is None else f"{value:.{digits}f}".replace(".", ",")


# A cell beginning with one of these is a formula to Excel and LibreOffice
# (CSV injection): a topic named =HYPERLINK(…) would be a live link in the
# file a centre sends on. A number written as text ("-3,5") is no formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def neutralise_formula(text: str) -> str:
    """`text` as a spreadsheet shows it, never runs it: a leading
    apostrophe before what would start a formula, as OWASP advises."""
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(round(value, 2)).replace(".", ",")
    if isinstance(value, str):
        return neutralise_formula(value)
    return value


def csv_response(*, filename: str, rows: Iterable[Iterable[object]]) -> HttpResponse:
    """A CSV download of `rows` (the first row is the header). Decimal
    numbers get a decimal comma; None is an empty cell."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so Excel reads UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerows([_cell(value) for value in row] for row in rows)
    return response
