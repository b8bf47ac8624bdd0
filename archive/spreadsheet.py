"""CSV the office opens in a spreadsheet, safely: RFC 4180 lines, and no cell that a
spreadsheet program would run as a formula.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula
to Excel, LibreOffice and Google Sheets (``=HYPERLINK(...)`` in a description would become
a link on the officer's screen). Such a cell is written with a leading single quote, as
OWASP's CSV-injection guidance recommends: the text stays readable and inert. Every CSV
the application writes goes through :func:`csv_text`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: object) -> str:
    text = "" if cell is None else str(cell)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(header: Iterable[object], rows: Iterable[Iterable[object]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")  # RFC 4180, what spreadsheets expect
    writer.writerow([neutralise(c) for c in header])
    writer.writerows([neutralise(c) for c in row] for row in rows)
    return buf.getvalue()
