"""The people to match: reading spreadsheet exports and keeping the local participants file.

A spreadsheet export may be UTF-8 with or without a byte-order mark (or what
Excel calls "Unicode text"), separated by ``;``, ``,`` or tabs, with column names
in English or Dutch (``checklists/participants.yaml``). Rows that cannot be used
are reported with their line number and reason; the good rows are kept.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from bmw_mentor.errors import ChecklistInvalidError, ParticipantsInvalidError
from bmw_mentor.files.resources import data_dir
from bmw_mentor.framework import datafile
from bmw_mentor.framework.schema import Text
from bmw_mentor.messages import msg

Role = Literal["mentor", "mentee", "both"]
ROLES: tuple[Role, ...] = ("mentor", "mentee", "both")
FIELDS = (
    "name",
    "role",
    "department",
    "years",
    "line_manager",
    "wants",
    "offers",
    "languages",
    "capacity",
    "availability",
)
STORE_FILE = "mentor-participants.csv"
MAX_NAME = 200
MAX_YEARS = 80
MAX_CAPACITY = 50

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_TAG_SPLIT = re.compile(r"[,;|\n]+")
_LANG_SPLIT = re.compile(r"[,;|/+&\n]+|\s+(?:and|en|und|et)\s+", re.IGNORECASE)
_NUMBER = re.compile(r"^(\d+(?:[.,]\d+)?)\s*[^\W\d_]*\.?$")
_WHOLE = re.compile(r"^\d+$")
# Spreadsheets treat a leading ' as "this is text"; we undo it on reading and add
# it on writing, so that a cell such as "=1+1" is never run as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    header: Text | None = None
    label: Text | None = None
    name: Text | None = None
    aliases: list[str]


class _Vocabulary(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    fields: dict[str, _Entry]
    roles: dict[str, _Entry]
    languages: dict[str, _Entry]


@dataclass(frozen=True)
class Vocabulary:
    """Column names, role words and language names, looked up in normalised form."""

    headers: dict[str, Text]
    columns: dict[str, str]
    roles: dict[str, Role]
    role_labels: dict[str, Text]
    language_codes: dict[str, str]
    language_names: dict[str, Text]

    def header(self, field_id: str, lang: str) -> str:
        return self.headers[field_id].get(lang)  # type: ignore[arg-type]

    def language_name(self, code: str, lang: str) -> str:
        name = self.language_names.get(code)
        return name.get(lang) if name else code  # type: ignore[arg-type]

    def role_label(self, role: str, lang: str) -> str:
        return self.role_labels[role].get(lang)  # type: ignore[arg-type]


@cache
def vocabulary() -> Vocabulary:
    """The shipped ``participants.yaml``, checked and indexed."""
    path = data_dir("checklists") / "participants.yaml"
    raw = datafile.load_model(path, _Vocabulary)
    missing = [f for f in FIELDS if f not in raw.fields or raw.fields[f].header is None]
    missing += [r for r in ROLES if r not in raw.roles or raw.roles[r].label is None]
    if missing:
        raise ChecklistInvalidError(f"{path}: missing entries: {', '.join(missing)}")
    columns: dict[str, str] = {}
    for field_id, entry in raw.fields.items():
        for alias in [*entry.aliases, entry.header.en, entry.header.nl]:  # type: ignore[union-attr]
            columns.setdefault(header_key(alias), field_id)
    roles: dict[str, Role] = {}
    for role, entry in raw.roles.items():
        for alias in [*entry.aliases, entry.label.en, entry.label.nl]:  # type: ignore[union-attr]
            roles.setdefault(word_key(alias), role)  # type: ignore[arg-type]
    codes: dict[str, str] = {}
    for code, entry in raw.languages.items():
        for alias in [code, *entry.aliases]:
            codes.setdefault(word_key(alias), code)
    return Vocabulary(
        headers={f: e.header for f, e in raw.fields.items()},  # type: ignore[misc]
        columns=columns,
        roles=roles,
        role_labels={r: e.label for r, e in raw.roles.items()},  # type: ignore[misc]
        language_codes=codes,
        language_names={c: e.name for c, e in raw.languages.items() if e.name is not None},
    )


def header_key(text: str) -> str:
    """A column name without case, accents, spaces or punctuation."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed.casefold() if ch.isalnum())


def word_key(text: str) -> str:
    """A cell value compared without case and with single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def name_key(name: str) -> str:
    """How names are compared: case, repeated spaces and Unicode forms do not matter."""
    return word_key(name)


@dataclass(frozen=True)
class Participant:
    """One person on the list."""

    name: str
    role: Role
    department: str = ""
    years: float | None = None
    line_manager: str = ""
    wants: tuple[str, ...] = ()
    offers: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    capacity: int | None = None
    availability: tuple[str, ...] = ()
    line: int = field(default=0, compare=False)

    @property
    def key(self) -> str:
        return name_key(self.name)

    @property
    def is_mentor(self) -> bool:
        return self.role in ("mentor", "both")

    @property
    def is_mentee(self) -> bool:
        return self.role in ("mentee", "both")


@dataclass(frozen=True)
class BadRow:
    line: int
    reason: str


@dataclass
class Sheet:
    """What a participants file held: the usable people and the rows that were skipped."""

    source: Path
    people: list[Participant] = field(default_factory=list)
    bad: list[BadRow] = field(default_factory=list)

    def bad_lines(self, lang: str) -> list[str]:
        return [msg("participants_bad_row", lang, source=self.source, line=b.line, reason=b.reason) for b in self.bad]


# -- reading -----------------------------------------------------------------
def read(path: Path, lang: str, role_words: Mapping[str, Role] | None = None) -> Sheet:
    """Read a spreadsheet export; file-level problems raise, row problems are collected."""
    from bmw_mentor.files.limits import SHEET_LIMIT, TooLarge, read_limited

    try:
        # bounded: a device or an endless pipe given as the file stops at the limit
        raw = read_limited(path, SHEET_LIMIT)
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
    return parse(decode(raw, path, lang), path, lang, role_words)


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
    raise ParticipantsInvalidError(msg("participants_stray_byte", lang, path=source, line=line, byte=f"{raw[exc.start]:02x}"))


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


def parse(text: str, source: Path, lang: str, role_words: Mapping[str, Role] | None = None) -> Sheet:
    """Parse the text of a participants file."""
    vocab = vocabulary()
    delimiter, has_hint = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    sheet = Sheet(source=source)
    header: list[str | None] | None = None
    previous_end = 0
    seen: dict[str, int] = {}
    roles = dict(vocab.roles)
    for word, role in (role_words or {}).items():
        roles.setdefault(word_key(word), role)
    try:
        for row in reader:
            line = previous_end + 1
            previous_end = reader.line_num
            if has_hint and line == 1:
                continue
            cells = [_unguard(c) for c in row]
            if not any(c.strip() for c in cells):
                continue
            if header is None:
                header = _map_header(cells, vocab, source, line, lang)
                continue
            person, reasons = _row(cells, header, roles, lang)
            if person is not None and person.key in seen:
                reasons.append(msg("bad_duplicate", lang, name=person.name, line=seen[person.key]))
            if reasons:
                sheet.bad.append(BadRow(line, "; ".join(reasons)))
            elif person is not None:
                seen[person.key] = line
                sheet.people.append(replace(person, line=line))
    except csv.Error as exc:
        raise ParticipantsInvalidError(
            msg("participants_csv_error", lang, path=source, line=reader.line_num, reason=exc)
        ) from None
    if header is None:
        raise ParticipantsInvalidError(msg("participants_empty", lang, path=source))
    return sheet


def _unguard(cell: str) -> str:
    if len(cell) > 1 and cell[0] == "'" and cell[1] in _FORMULA_START:
        return cell[1:]
    return cell


def _map_header(cells: list[str], vocab: Vocabulary, source: Path, line: int, lang: str) -> list[str | None]:
    mapped: list[str | None] = []
    used: dict[str, str] = {}
    for cell in cells:
        field_id = vocab.columns.get(header_key(cell))
        if field_id is not None and field_id in used:
            raise ParticipantsInvalidError(
                msg(
                    "participants_double_column",
                    lang,
                    path=source,
                    line=line,
                    a=used[field_id],
                    b=cell.strip(),
                    field=vocab.header(field_id, lang),
                )
            )
        if field_id is not None:
            used[field_id] = cell.strip()
        mapped.append(field_id)
    for needed in ("name", "role"):
        if needed not in used:
            raise ParticipantsInvalidError(
                msg(
                    "participants_missing_column",
                    lang,
                    path=source,
                    line=line,
                    field=vocab.header(needed, lang),
                    en=vocab.header(needed, "en"),
                    nl=vocab.header(needed, "nl"),
                )
            )
    return mapped


def _row(
    cells: list[str], header: list[str | None], roles: Mapping[str, Role], lang: str
) -> tuple[Participant | None, list[str]]:
    values: dict[str, str] = {}
    extra = [c for c in cells[len(header) :] if c.strip()]
    for field_id, cell in zip(header, cells):
        if field_id is not None:
            values[field_id] = cell
    reasons: list[str] = []
    if extra:
        reasons.append(msg("bad_extra_cells", lang, n=len(cells), m=len(header)))
    person, more = build(values, lang, roles)
    return person, reasons + more


def build(
    values: Mapping[str, str], lang: str, roles: Mapping[str, Role] | None = None
) -> tuple[Participant | None, list[str]]:
    """A participant from raw cell texts by field id, or the reasons it cannot be one."""
    vocab = vocabulary()
    roles = roles if roles is not None else vocab.roles
    reasons: list[str] = []
    name = " ".join(values.get("name", "").split())
    if not name:
        reasons.append(msg("bad_name_missing", lang))
    elif _CONTROL.search(name):
        reasons.append(msg("bad_name_control", lang))
    elif len(name) > MAX_NAME:
        reasons.append(msg("bad_name_long", lang, n=MAX_NAME))
    role_text = values.get("role", "").strip()
    role = roles.get(word_key(role_text)) if role_text else None
    choices = ", ".join(vocab.role_label(r, lang) for r in ROLES)
    if not role_text:
        reasons.append(msg("bad_role_missing", lang, roles=choices))
    elif role is None:
        reasons.append(msg("bad_role", lang, value=display(role_text), roles=choices))
    years = _number(values.get("years", ""), vocab.header("years", lang), 0, MAX_YEARS, lang, reasons)
    capacity_f = _number(
        values.get("capacity", ""), vocab.header("capacity", lang), 0, MAX_CAPACITY, lang, reasons, whole=True
    )
    manager = " ".join(values.get("line_manager", "").split())
    if _CONTROL.search(manager):
        reasons.append(msg("bad_manager_control", lang))
    elif name and manager and name_key(manager) == name_key(name):
        reasons.append(msg("bad_own_manager", lang))
    if reasons:
        return None, reasons
    return (
        Participant(
            name=name,
            role=role,  # type: ignore[arg-type]
            department=" ".join(values.get("department", "").split()),
            years=years,
            line_manager=manager,
            wants=tags(values.get("wants", "")),
            offers=tags(values.get("offers", "")),
            languages=languages(values.get("languages", "")),
            capacity=int(capacity_f) if capacity_f is not None else None,
            availability=tags(values.get("availability", "")),
        ),
        [],
    )


def _number(
    text: str, label: str, low: float, high: float, lang: str, reasons: list[str], *, whole: bool = False
) -> float | None:
    text = text.strip()
    if not text:
        return None
    if whole:
        if not _WHOLE.match(text):
            reasons.append(msg("bad_whole", lang, field=label, value=display(text)))
            return None
        value = float(text)
    else:
        match = _NUMBER.match(text)
        if not match:
            reasons.append(msg("bad_number", lang, field=label, value=display(text)))
            return None
        value = float(match.group(1).replace(",", "."))
    if not low <= value <= high:
        reasons.append(msg("bad_range", lang, field=label, value=display(text), min=low, max=high))
        return None
    return value


def display(text: str) -> str:
    """User text made safe for a one-line message: no control characters, not too long."""
    text = _CONTROL.sub("?", text)
    return text if len(text) <= 40 else text[:39] + "…"


def tags(text: str) -> tuple[str, ...]:
    """Free tags from one cell, in a form that compares well; duplicates dropped."""
    out: dict[str, None] = {}
    for part in _TAG_SPLIT.split(_CONTROL.sub(" ", text)):
        key = word_key(part)
        if key:
            out[key] = None
    return tuple(out)


def languages(text: str) -> tuple[str, ...]:
    """Languages from one cell, as codes where the language is known ("Nederlands" -> nl)."""
    codes = vocabulary().language_codes
    out: dict[str, None] = {}
    for part in _LANG_SPLIT.split(_CONTROL.sub(" ", text)):
        key = word_key(part)
        if key:
            out[codes.get(key, key)] = None
    return tuple(out)


# -- writing -----------------------------------------------------------------
def to_csv(people: Iterable[Participant], lang: str) -> bytes:
    """The participants as a spreadsheet-friendly CSV (UTF-8 with BOM, headers in ``lang``)."""
    vocab = vocabulary()
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([vocab.header(f, lang) for f in FIELDS])
    for p in people:
        writer.writerow(
            [
                guard(c)
                for c in (
                    p.name,
                    vocab.role_label(p.role, lang),
                    p.department,
                    _format_number(p.years),
                    p.line_manager,
                    ", ".join(p.wants),
                    ", ".join(p.offers),
                    ", ".join(p.languages),
                    "" if p.capacity is None else str(p.capacity),
                    ", ".join(p.availability),
                )
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def guard(cell: str) -> str:
    """Keep a spreadsheet from reading a cell as a formula."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def _format_number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


# -- the local participants file ---------------------------------------------
def store_path(project_path: Path) -> Path:
    """The participants file kept next to the project file."""
    return project_path.parent / STORE_FILE


def load_store(path: Path, lang: str, role_words: Mapping[str, Role] | None = None) -> Sheet:
    """The local participants file (an empty sheet if there is none yet)."""
    if not path.exists():
        return Sheet(source=path)
    return read(path, lang, role_words)


def load_store_to_change(path: Path, lang: str, role_words: Mapping[str, Role] | None = None) -> Sheet:
    """The participants file, refusing to go on when rewriting it would lose rows it cannot read."""
    sheet = load_store(path, lang, role_words)
    if sheet.bad:
        raise ParticipantsInvalidError(
            msg("participants_store_bad", lang, first=sheet.bad_lines(lang)[0], n=len(sheet.bad))
        )
    return sheet


def scrub(path: Path, name: str, lang: str) -> tuple[int, int]:
    """Remove ``name`` from a participants file row by row, keeping every other row as it is.

    Works on the raw cells, so rows the reader would skip survive, and a row that
    cannot be read but names the person still goes. Returns (rows removed, line
    manager cells cleared).
    """
    text = decode(path.read_bytes(), path, lang)
    delimiter, has_hint = sniff_delimiter(text)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    vocab = vocabulary()
    key = name_key(name)
    header: list[str | None] | None = None
    kept: list[list[str]] = []
    removed = cleared = 0
    for k, row in enumerate(rows):
        if (has_hint and k == 0) or not any(c.strip() for c in row):
            kept.append(row)
            continue
        if header is None:
            header = [vocab.columns.get(header_key(_unguard(c))) for c in row]
            kept.append(row)
            continue
        fields = dict(zip(header, range(len(row))))
        name_at, manager_at = fields.get("name"), fields.get("line_manager")
        if name_at is not None and name_key(_unguard(row[name_at])) == key:
            removed += 1
            continue
        if manager_at is not None and name_key(_unguard(row[manager_at])) == key:
            row = [*row]
            row[manager_at] = ""
            cleared += 1
        kept.append(row)
    if removed or cleared:
        from bmw_mentor.files.atomic import write_atomic

        buffer = io.StringIO(newline="")
        csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(kept)
        write_atomic(path, ("\ufeff" + buffer.getvalue()).encode("utf-8"))
    return removed, cleared


def save_store(path: Path, people: list[Participant], lang: str) -> None:
    """Write the participants file, readable by its owner only, and note it for `mentor forget`."""
    from bmw_mentor.files import ledger
    from bmw_mentor.files.atomic import write_atomic

    write_atomic(path, to_csv(people, lang))
    ledger.note_participants(path)


def merge(current: list[Participant], new: Iterable[Participant]) -> tuple[list[Participant], int, int]:
    """``current`` with ``new`` added; a known name is replaced. Returns (people, added, replaced)."""
    people = list(current)
    index = {p.key: i for i, p in enumerate(people)}
    added = replaced = 0
    for p in new:
        if p.key in index:
            people[index[p.key]] = p
            replaced += 1
        else:
            index[p.key] = len(people)
            people.append(p)
            added += 1
    return people, added, replaced
