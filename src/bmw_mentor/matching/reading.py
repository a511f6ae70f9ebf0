"""Reading a participants file: CSV, Excel or LibreOffice, every column and every row accounted for.

File-level problems raise one clear error. Rows that cannot be used are kept
with their line number and reason, and the good rows go on. Columns that are
not used, columns read by closeness, and line managers written a little
differently from a participant become warnings and notes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from bmw_mentor.errors import ParticipantsInvalidError
from bmw_mentor.matching import columns, names, spreadsheet
from bmw_mentor.matching.participants import ROLES, Participant, Role, build, vocabulary, word_key
from bmw_mentor.messages import msg


@dataclass(frozen=True)
class BadRow:
    line: int
    reason: str


@dataclass
class Sheet:
    """What a participants file held: the usable people, the rows skipped, and what to say about it."""

    source: Path
    people: list[Participant] = field(default_factory=list)
    bad: list[BadRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def bad_lines(self, lang: str) -> list[str]:
        return [msg("participants_bad_row", lang, source=self.source, line=b.line, reason=b.reason) for b in self.bad]


@dataclass
class Options:
    """How to read a file: the organisation's role words and terms, a column mapping, a sheet."""

    role_words: Mapping[str, Role] = field(default_factory=dict)
    terms: Mapping[str, str] = field(default_factory=dict)
    mapping: Mapping[str, str] = field(default_factory=dict)
    sheet: str | None = None


def read(path: Path, lang: str, options: Options | None = None, *, check_names: bool = True) -> Sheet:
    """Read a participants file; file-level problems raise, row problems are collected."""
    options = options or Options()
    found = spreadsheet.rows(path, lang, options.sheet)
    return parse_rows(found.rows, path, lang, options, check_names=check_names)


def parse(text: str, source: Path, lang: str, options: Options | None = None) -> Sheet:
    """Parse the text of a CSV participants file."""
    delimiter, has_hint = spreadsheet.sniff_delimiter(text)
    rows = list(spreadsheet.text_rows(text, source, lang, delimiter, has_hint))
    return parse_rows(rows, source, lang, options or Options())


def _roles(options: Options) -> dict[str, Role]:
    roles = dict(vocabulary().roles)
    for word, role in options.role_words.items():
        roles.setdefault(word_key(word), role)
    return roles


def parse_rows(
    rows: list[tuple[int, list[str]]], source: Path, lang: str, options: Options, *, check_names: bool = True
) -> Sheet:
    """The participants in rows of text cells, the first row being the header."""
    if not rows:
        raise ParticipantsInvalidError(msg("participants_empty", lang, path=source))
    line, head = rows[0]
    header = columns.map_header(head, source, line, lang, options.mapping, options.terms)
    sheet = Sheet(source=source, warnings=list(header.warnings), notes=list(header.notes))
    roles = _roles(options)
    fields = header.fields
    width = len(fields)
    role_at = fields.index("role")
    # the organisation's own role words, as this sheet uses them, are the ones offered in messages
    used: dict[str, str] = {}
    for _, cells in rows[1:]:
        text = " ".join(cells[role_at].split()) if role_at < len(cells) else ""
        if word_key(text) in roles:
            used.setdefault(word_key(text), text)
    choices = _choices(used, roles, options, lang)
    seen: dict[str, int] = {}
    for line, cells in rows[1:]:
        values = {f: c for f, c in zip(fields, cells) if f is not None}
        reasons: list[str] = []
        extra = [c for c in cells[width:] if c.strip()]
        if extra:
            reasons.append(msg("bad_extra_cells", lang, n=len(cells), m=width))
        person, more = build(values, lang, roles, choices)
        reasons += more
        if person is not None and person.key in seen:
            reasons.append(msg("bad_duplicate", lang, name=person.name, line=seen[person.key]))
        if reasons:
            sheet.bad.append(BadRow(line, "; ".join(reasons)))
        elif person is not None:
            seen[person.key] = line
            sheet.people.append(replace(person, line=line))
    if check_names:
        checked = names.check_managers(sheet.people, lang, str(source))
        sheet.people = checked.people
        sheet.warnings += checked.warnings
        sheet.notes += checked.notes
    return sheet


def _choices(used: Mapping[str, str], roles: Mapping[str, Role], options: Options, lang: str) -> list[str]:
    """Role words for messages: those the sheet uses, and the organisation's (or our) word for the others."""
    vocab = vocabulary()
    out: list[str] = []
    for role in ROLES:
        words = [text for key, text in used.items() if roles[key] == role]
        term = options.terms.get(role, "") if role != "both" else ""
        out += words or [term.strip() if isinstance(term, str) and term.strip() else vocab.role_label(role, lang)]
    return out


def load_store(path: Path, lang: str, options: Options | None = None) -> Sheet:
    """The local participants file (an empty sheet if there is none yet)."""
    if not path.exists():
        return Sheet(source=path)
    # the store is written by us: its headers are ours, whatever mapping the project keeps
    plain = Options(role_words=(options or Options()).role_words, terms=(options or Options()).terms)
    return read(path, lang, plain)


def load_store_to_change(path: Path, lang: str, options: Options | None = None) -> Sheet:
    """The participants file, refusing to go on when rewriting it would lose rows it cannot read."""
    sheet = load_store(path, lang, options)
    if sheet.bad:
        raise ParticipantsInvalidError(
            msg("participants_store_bad", lang, first=sheet.bad_lines(lang)[0], n=len(sheet.bad))
        )
    return sheet
