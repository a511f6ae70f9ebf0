"""The people to match: one participant from the cells of a row, and the local participants file.

The words understood in a sheet (column names in English or Dutch, role words,
languages) come from ``checklists/participants.yaml``. Reading whole files is
:mod:`bmw_mentor.matching.reading`'s job.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from bmw_mentor.errors import ChecklistInvalidError
from bmw_mentor.files.resources import data_dir
from bmw_mentor.framework import datafile
from bmw_mentor.framework.schema import Text
from bmw_mentor.matching.spreadsheet import FORMULA_START, decode, sniff_delimiter, unguard
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


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    header: Text | None = None
    label: Text | None = None
    name: Text | None = None
    aliases: list[str]


class _Closeness(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    read_as: float = Field(ge=0, le=1)
    suggest: float = Field(ge=0, le=1)
    manager: float = Field(ge=0, le=1)
    role: float = Field(ge=0, le=1)


class _Vocabulary(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    fields: dict[str, _Entry]
    ignored: list[str] = []
    closeness: _Closeness
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
    # column names with {mentees} in them, written out per organisation in `columns`
    templates: dict[str, list[str]]
    mentee_words: tuple[str, ...]
    ignored: frozenset[str]
    closeness: dict[str, float]

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
    templates: dict[str, list[str]] = {}
    for field_id, entry in raw.fields.items():
        for alias in [*entry.aliases, entry.header.en, entry.header.nl]:  # type: ignore[union-attr]
            if "{" in alias:
                templates.setdefault(field_id, []).append(alias)
            else:
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
        templates=templates,
        mentee_words=tuple(raw.roles["mentee"].aliases),
        ignored=frozenset(header_key(c) for c in raw.ignored),
        closeness=raw.closeness.model_dump(),
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


def tag_key(text: str) -> str:
    """How tags and availability are compared: as words, whatever their capitals."""
    return word_key(text)


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
    # the participant the line-manager cell was read as, when it was written a little differently
    manager_read_as: str = field(default="", compare=False)

    @property
    def key(self) -> str:
        return name_key(self.name)

    @property
    def manager_key(self) -> str:
        """The line manager as the reporting-line rule follows it."""
        return name_key(self.manager_read_as or self.line_manager)

    @property
    def is_mentor(self) -> bool:
        return self.role in ("mentor", "both")

    @property
    def is_mentee(self) -> bool:
        return self.role in ("mentee", "both")


def build(
    values: Mapping[str, str],
    lang: str,
    roles: Mapping[str, Role] | None = None,
    role_choices: list[str] | None = None,
) -> tuple[Participant | None, list[str]]:
    """A participant from raw cell texts by field id, or the reasons it cannot be one.

    ``role_choices`` are the role words to offer in a message (the organisation's
    own, as used in its sheet); a role word that is close to one gets a "did you mean".
    """
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
    offered = role_choices or [vocab.role_label(r, lang) for r in ROLES]
    choices = ", ".join(offered)
    if not role_text:
        reasons.append(msg("bad_role_missing", lang, roles=choices))
    elif role is None:
        close = close_role(role_text, roles, offered)
        hint = msg("bad_role_hint", lang, word=close) if close else ""
        reasons.append(msg("bad_role", lang, value=display(role_text), roles=choices) + hint)
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


def close_role(text: str, roles: Mapping[str, Role], offered: Iterable[str]) -> str:
    """The known role word closest to a mistyped one ('nieuwkomr' → 'nieuwkomer'), or ''."""
    import difflib

    cutoff = vocabulary().closeness["role"]
    shown = {word_key(w): w for w in offered}
    candidates = list(dict.fromkeys([*shown, *roles]))
    close = difflib.get_close_matches(word_key(text), candidates, n=1, cutoff=cutoff)
    return shown.get(close[0], close[0]) if close else ""


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
    """Free tags from one cell, as written (capitals kept); duplicates in other capitals dropped."""
    out: dict[str, str] = {}
    for part in _TAG_SPLIT.split(_CONTROL.sub(" ", text)):
        written = " ".join(unicodedata.normalize("NFKC", part).split())
        key = tag_key(written)
        if key and key not in out:
            out[key] = written
    return tuple(out.values())


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
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def _format_number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


# -- the local participants file ---------------------------------------------
def store_path(project_path: Path) -> Path:
    """The participants file kept next to the project file."""
    return project_path.parent / STORE_FILE


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
            header = [vocab.columns.get(header_key(unguard(c))) for c in row]
            kept.append(row)
            continue
        fields = dict(zip(header, range(len(row))))
        name_at, manager_at = fields.get("name"), fields.get("line_manager")
        if name_at is not None and name_key(unguard(row[name_at])) == key:
            removed += 1
            continue
        if manager_at is not None and name_key(unguard(row[manager_at])) == key:
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
