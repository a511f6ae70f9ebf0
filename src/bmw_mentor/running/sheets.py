"""Reading a spreadsheet into rows of text: CSV (any of the exports ``participants`` reads), .xlsx, .xls, .ods.

Cells come back as text: a date as ``YYYY-MM-DD``, a whole number without ``.0``.
python-calamine is imported only when a workbook is read.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from bmw_mentor.errors import MentorError, RecordsInvalidError
from bmw_mentor.matching.spreadsheet import decode, sniff_delimiter, unguard
from bmw_mentor.messages import msg

WORKBOOKS = (".xlsx", ".xlsm", ".xls", ".ods")
Table = list[list[str]]


def read(path: Path, lang: str) -> list[tuple[str, Table]]:
    """Every sheet of ``path`` as (sheet name, rows); a CSV file is one sheet named after the file."""
    from bmw_mentor.files.limits import SHEET_LIMIT, TooLarge, read_limited

    try:
        # bounded like every other reader: a device or an endless pipe stops at the limit
        raw = read_limited(path, SHEET_LIMIT)
    except TooLarge as exc:
        raise RecordsInvalidError(str(exc)) from None
    except FileNotFoundError:
        raise RecordsInvalidError(msg("records_not_found", lang, path=path)) from None
    except IsADirectoryError:
        raise RecordsInvalidError(msg("records_is_folder", lang, path=path)) from None
    except OSError as exc:
        raise RecordsInvalidError(msg("records_unreadable", lang, path=path, reason=exc.strerror or exc)) from None
    if path.suffix.lower() in WORKBOOKS:
        return _workbook(raw, path, lang)
    try:
        text = decode(raw, path, lang)
    except MentorError as exc:
        raise RecordsInvalidError(str(exc)) from None
    delimiter, has_hint = sniff_delimiter(text)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise RecordsInvalidError(msg("records_unreadable", lang, path=path, reason=exc)) from None
    if has_hint and rows:
        rows = rows[1:]
    return [(path.stem, [[unguard(c) for c in r] for r in rows])]


def _workbook(raw: bytes, path: Path, lang: str) -> list[tuple[str, Table]]:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(raw))
        out = []
        for name in book.sheet_names:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            out.append((name, [[cell_text(c) for c in row] for row in rows]))
    except Exception as exc:  # noqa: BLE001 - calamine raises its own kinds for every broken file
        raise RecordsInvalidError(msg("records_not_workbook", lang, path=path, reason=str(exc)[:120])) from None
    return out


def cell_text(value: object) -> str:
    """A workbook cell as the text a person would type."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    return unguard(str(value))

