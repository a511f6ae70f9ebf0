"""A participants file as rows of text cells, whatever it was saved as.

CSV and text exports are decoded (UTF-8 with or without BOM, UTF-16, or the
Windows-1252 that Excel in Belgium and the Netherlands writes) and split on the
separator they use. Excel and LibreOffice workbooks (.xlsx, .xlsm, .xlsb, .xls,
.ods) are read with python-calamine, from the first sheet or the one named. Every
row keeps the line number a person sees in their spreadsheet program.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bmw_mentor.errors import ParticipantsInvalidError, UsageError
from bmw_mentor.messages import msg

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
# Spreadsheets treat a leading ' as "this is text"; we undo it on reading and add
# it on writing, so that a cell such as "=1+1" is never run as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"


@dataclass
class Rows:
    """The rows of one sheet: (line number, cells), empty rows left out."""

    rows: list[tuple[int, list[str]]]
    delimiter: str = ","
    has_hint: bool = False


def read_bytes(path: Path, lang: str) -> bytes:
    """The file's bytes; a missing or unreadable file is one clear line."""
    from bmw_mentor.files.limits import SHEET_LIMIT, TooLarge, read_limited

    try:
        # bounded: a device or an endless pipe given as the file stops at the limit
        return read_limited(path, SHEET_LIMIT)
    except TooLarge as exc:
        raise ParticipantsInvalidError(str(exc)) from None
    except FileNotFoundError:
        raise ParticipantsInvalidError(msg("participants_not_found", lang, path=path)) from None
    except IsADirectoryError:
        raise ParticipantsInvalidError(msg("participants_is_folder", lang, path=path)) from None
    except OSError as exc:
        raise ParticipantsInvalidError(
            msg("participants_unreadable", lang, path=path, reason=exc.strerror or exc)
        ) from None


def is_workbook(path: Path, raw: bytes) -> bool:
    """A workbook by its name, or by its first bytes when it was saved under a .csv name."""
    return path.suffix.lower() in WORKBOOK_SUFFIXES or raw.startswith((_ZIP, _OLE))


def rows(path: Path, lang: str, sheet: str | None = None) -> Rows:
    """Every non-empty row of the file (or of one sheet of a workbook)."""
    raw = read_bytes(path, lang)
    if is_workbook(path, raw):
        return Rows(list(_workbook_rows(path, raw, lang, sheet)))
    text = decode(raw, path, lang)
    delimiter, has_hint = sniff_delimiter(text)
    return Rows(list(text_rows(text, path, lang, delimiter, has_hint)), delimiter, has_hint)


def decode(raw: bytes, source: Path, lang: str) -> str:
    """Bytes of a spreadsheet export as text."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            raise ParticipantsInvalidError(msg("participants_not_text", lang, path=source)) from None
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            text = _not_utf8(raw, exc, source, lang)
    if "\x00" in text:
        raise ParticipantsInvalidError(msg("participants_not_text", lang, path=source))
    return text


_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _not_utf8(raw: bytes, exc: UnicodeDecodeError, source: Path, lang: str) -> str:
    """Text that is not UTF-8: Windows-1252 when the whole file reads cleanly as that, else an error with the line.

    Excel in Belgium and the Netherlands often saves "CSV" as Windows-1252. A file
    that is UTF-8 except for one stray byte is not: read as Windows-1252, every
    accented name in it would be garbled, so the stray byte is reported instead.
    """
    line = raw.count(b"\n", 0, exc.start) + 1
    if _UTF8_SEQUENCE.search(raw) is None:
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError as bad:
            line = raw.count(b"\n", 0, bad.start) + 1
            exc = bad
    raise ParticipantsInvalidError(
        msg("participants_stray_byte", lang, path=source, line=line, byte=f"{raw[exc.start]:02x}")
    )


def sniff_delimiter(text: str) -> tuple[str, bool]:
    """The separator of the file, and whether the first line is Excel's ``sep=`` hint."""
    first = text.lstrip("\r\n").split("\n", 1)[0].rstrip("\r")
    hint = re.fullmatch(r"\s*sep=(.)\s*", first)
    if hint:
        return hint.group(1), True
    counts = {d: 0 for d in (";", ",", "\t")}
    quoted = False
    for ch in first:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda d: counts[d])
    return (best if counts[best] else ","), False


def text_rows(
    text: str, source: Path, lang: str, delimiter: str, has_hint: bool
) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    previous_end = 0
    try:
        for row in reader:
            line = previous_end + 1
            previous_end = reader.line_num
            if has_hint and line == 1:
                continue
            cells = [unguard(c) for c in row]
            if any(c.strip() for c in cells):
                yield line, cells
    except csv.Error as exc:
        raise ParticipantsInvalidError(
            msg("participants_csv_error", lang, path=source, line=reader.line_num, reason=exc)
        ) from None


def unguard(cell: str) -> str:
    if len(cell) > 1 and cell[0] == "'" and cell[1] in FORMULA_START:
        return cell[1:]
    return cell


def _workbook_rows(path: Path, raw: bytes, lang: str, sheet: str | None) -> Iterator[tuple[int, list[str]]]:
    import python_calamine as calamine

    try:
        book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(raw))
        names = list(book.sheet_names)
        if not names:
            raise ParticipantsInvalidError(msg("participants_empty", lang, path=path))
        if sheet is None:
            chosen = names[0]
        else:
            chosen = next((n for n in names if n.casefold() == sheet.strip().casefold()), "")
            if not chosen:
                raise UsageError(msg("participants_no_sheet", lang, path=path, sheet=sheet, sheets=", ".join(names)))
        table = book.get_sheet_by_name(chosen).to_python(skip_empty_area=False)
    except (ParticipantsInvalidError, UsageError):
        raise
    except Exception as exc:  # noqa: BLE001 - calamine raises its own and OS errors for broken files
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ParticipantsInvalidError(msg("participants_not_workbook", lang, path=path, reason=reason)) from None
    for number, row in enumerate(table, start=1):
        cells = [cell_text(c) for c in row]
        if any(c.strip() for c in cells):
            yield number, [unguard(c) for c in cells]


def cell_text(value: object) -> str:
    """A workbook cell as the text a person sees (22.0 is 22, a date is 2027-03-01)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.10g}"
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    return str(value)
