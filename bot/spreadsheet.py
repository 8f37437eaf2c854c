"""CSV that a spreadsheet opens safely.

Excel and LibreOffice run a cell that begins with `=`, `+`, `-` or `@` as a formula (and
treat a leading tab or carriage return the same way): a hostile offer title such as
`=HYPERLINK("http://…")` would run on a coordinator's machine when they open the export.
Every CSV Lotse writes prefixes such text cells with an apostrophe, which spreadsheets
show as text and hide; Lotse's importer removes it again, so export -> edit -> import
keeps the values as they were. Numbers are numbers and stay as they are.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_GUARD = "'"


def guarded(value: object) -> object:
    """A cell as written: text that a spreadsheet would run gets the apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return _GUARD + value
    return value


def unguarded(text: str) -> str:
    """A cell as read back: the apostrophe of guarded() removed (nothing else)."""
    if text.startswith(_GUARD) and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def to_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A whole CSV file, every cell guarded."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([guarded(cell) for cell in header])
    for row in rows:
        writer.writerow([guarded(cell) for cell in row])
    return buffer.getvalue()
