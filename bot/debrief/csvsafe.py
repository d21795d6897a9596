"""CSV that is safe to open in a spreadsheet: no cell a learner typed can run as a formula.

A cell starting with =, +, -, @, a tab or a carriage return is a formula to Excel, LibreOffice and
Google Sheets (`=HYPERLINK(...)`, `@SUM(...)`, `-2+3+cmd|' /C calc'!A0`). Such cells get a leading
single quote, as OWASP recommends, so the spreadsheet shows them as text. Plain numbers (`-3`,
`+0.125`, `1e-3`) are data, not formulas: they are written unchanged so they still sort and sum.

    text = csv_text(["name", "reply"], [{"name": "Ana", "reply": "=1+1"}])   # reply cell: '=1+1
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")

__all__ = ["FORMULA_STARTS", "csv_text", "safe_cell"]


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet will read it as data: text that would start a formula gets a
    leading ', everything else (numbers, plain text, None) is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_text(fieldnames: Sequence[str], rows: Iterable[Mapping[str, Any]], *, restval: Any = "") -> str:
    """A header line, then one line per row, every cell passed through safe_cell."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fieldnames, restval=restval, lineterminator="\n")
    writer.writerow({name: safe_cell(name) for name in fieldnames})
    for row in rows:
        writer.writerow({key: safe_cell(value) for key, value in row.items()})
    return out.getvalue()
