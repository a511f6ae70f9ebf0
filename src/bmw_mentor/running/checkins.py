"""The check-in log: which saved pair met when, for how long, and whether it was a review.

The log is ``mentor-checkins.csv`` next to the project file, owner-only, in the
project's language, so it opens in a spreadsheet. A meetings spreadsheet for
``mentor log --from`` is read with the same forgiving column names.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bmw_mentor.errors import RecordsInvalidError
from bmw_mentor.framework.answers import parse_date
from bmw_mentor.matching.participants import display, guard, header_key, name_key, word_key
from bmw_mentor.messages import msg
from bmw_mentor.projectfile.project import Pair
from bmw_mentor.running import sheets
from bmw_mentor.running.settings import running

LOG_FILE = "mentor-checkins.csv"
ORDER = ("date", "mentor", "mentee", "minutes", "review", "note")
MAX_MINUTES = 24 * 60
MAX_NOTE = 200


@dataclass(frozen=True, order=True)
class CheckIn:
    """One meeting of a pair."""

    date: dt.date
    mentor: str
    mentee: str
    minutes: int | None = None
    review: bool = False
    note: str = ""

    def belongs_to(self, pair: Pair) -> bool:
        return (name_key(self.mentor), name_key(self.mentee)) == (name_key(pair.mentor), name_key(pair.mentee))


@dataclass
class Log:
    """What a log or meetings sheet held: usable meetings and the lines that were skipped."""

    source: Path
    meetings: list[CheckIn] = field(default_factory=list)
    bad: list[str] = field(default_factory=list)


def log_path(project_path: Path) -> Path:
    return project_path.parent / LOG_FILE


def build(cells: dict[str, str], pairs: list[Pair], lang: str) -> tuple[CheckIn | None, list[str]]:
    """A check-in from cell texts by column id, or the reasons it cannot be one."""
    reasons: list[str] = []
    day = parse_date(cells.get("date", "").strip())
    if day is None:
        reasons.append(msg("log_bad_date", lang, value=display(cells.get("date", ""))))
    minutes: int | None = None
    text = cells.get("minutes", "").strip()
    if text:
        if text.isdigit() and 0 < int(text) <= MAX_MINUTES:
            minutes = int(text)
        else:
            reasons.append(msg("log_bad_minutes", lang, value=display(text), max=MAX_MINUTES))
    note = " ".join(cells.get("note", "").split())
    if len(note) > MAX_NOTE:
        reasons.append(msg("log_note_long", lang, n=MAX_NOTE))
    pair = find_pair(pairs, cells.get("mentor", ""), cells.get("mentee", ""))
    if pair is None:
        reasons.append(
            msg(
                "log_not_a_pair", lang, mentor=display(cells.get("mentor", "")), mentee=display(cells.get("mentee", ""))
            )
        )
    review = word_key(cells.get("review", "")) in {word_key(w) for w in running().yes_words}
    if reasons or pair is None or day is None:
        return None, reasons
    return CheckIn(day, pair.mentor, pair.mentee, minutes, review, note), []


def find_pair(pairs: list[Pair], mentor: str, mentee: str) -> Pair | None:
    """The saved pair with these names (case and spacing do not matter); either name alone if it is unique."""
    m, e = name_key(mentor), name_key(mentee)
    exact = [p for p in pairs if name_key(p.mentor) == m and name_key(p.mentee) == e]
    if exact:
        return exact[0]
    # one name given (or the other one misspelt in a sheet is not guessed at): only a unique match counts
    if m and not e:
        found = [p for p in pairs if name_key(p.mentor) == m]
        return found[0] if len(found) == 1 else None
    if e and not m:
        found = [p for p in pairs if name_key(p.mentee) == e]
        return found[0] if len(found) == 1 else None
    return None


def columns_of(header: list[str]) -> dict[int, str]:
    """Which column id each header cell is, for the names and aliases in ``running.yaml``."""
    known: dict[str, str] = {}
    for col_id, col in running().columns.items():
        for name in (col.header.en, col.header.nl, col_id, *col.aliases):
            known.setdefault(header_key(name), col_id)
    found: dict[int, str] = {}
    for i, cell in enumerate(header):
        col_id = known.get(header_key(cell))
        if col_id is not None and col_id not in found.values():
            found[i] = col_id
    return found


def parse(rows: list[list[str]], source: Path, pairs: list[Pair], lang: str) -> Log:
    """Meetings from the rows of one sheet: the first non-empty row names the columns."""
    log = Log(source)
    header: dict[int, str] | None = None
    for number, row in enumerate(rows, start=1):
        if not any(c.strip() for c in row):
            continue
        if header is None:
            header = columns_of(row)
            missing = [c for c in ("date", "mentor", "mentee") if c not in header.values()]
            if missing:
                names = ", ".join(running().columns[c].header.get(lang) for c in missing)  # type: ignore[arg-type]
                raise RecordsInvalidError(msg("log_missing_columns", lang, path=source, line=number, names=names))
            continue
        cells = {col_id: row[i] if i < len(row) else "" for i, col_id in header.items()}
        checkin, reasons = build(cells, pairs, lang)
        if checkin is None:
            log.bad.append(msg("records_bad_row", lang, path=source, line=number, reason="; ".join(reasons)))
        else:
            log.meetings.append(checkin)
    return log


def read_sheet(path: Path, pairs: list[Pair], lang: str) -> Log:
    """A meetings spreadsheet (CSV, .xlsx, .ods): the first sheet that has the needed columns."""
    tables = sheets.read(path, lang)
    for number, (_, rows) in enumerate(tables):
        try:
            return parse(rows, path, pairs, lang)
        except RecordsInvalidError:
            if number == len(tables) - 1:
                raise
    raise RecordsInvalidError(msg("records_empty", lang, path=path))


def load(project_path: Path, pairs: list[Pair], lang: str) -> Log:
    """The project's log; meetings of pairs no longer saved are kept apart, never dropped."""
    path = log_path(project_path)
    if not path.exists():
        return Log(path)
    rows = sheets.read(path, lang)[0][1]
    known = pairs + [Pair(mentor=r[1], mentee=r[2]) for r in rows[1:] if len(r) > 2 and r[1] and r[2]]
    return parse(rows, path, known, lang) if rows else Log(path)


def merge(current: Iterable[CheckIn], new: Iterable[CheckIn]) -> tuple[list[CheckIn], int]:
    """The log with ``new`` added; the same pair on the same day is one meeting (the newer entry wins)."""
    by_key = {(c.date, name_key(c.mentor), name_key(c.mentee)): c for c in current}
    before = len(by_key)
    for c in new:
        by_key[(c.date, name_key(c.mentor), name_key(c.mentee))] = c
    return sorted(by_key.values()), len(by_key) - before


def to_csv(meetings: Iterable[CheckIn], lang: str) -> bytes:
    cols = running().columns
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([cols[c].header.get(lang) for c in ORDER])  # type: ignore[arg-type]
    yes = msg("word_yes", lang)
    for c in sorted(meetings):
        minutes = "" if c.minutes is None else str(c.minutes)
        writer.writerow(
            [guard(x) for x in (c.date.isoformat(), c.mentor, c.mentee, minutes, yes if c.review else "", c.note)]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def save(project_path: Path, meetings: Iterable[CheckIn], lang: str) -> Path:
    """Write the log atomically, owner-only, and note it for ``mentor forget``."""
    from bmw_mentor.files import ledger
    from bmw_mentor.files.atomic import write_atomic

    path = log_path(project_path)
    write_atomic(path, to_csv(meetings, lang))
    ledger.note_file(path, "checkins")
    return path


def without(meetings: list[CheckIn], name: str) -> tuple[list[CheckIn], int]:
    """The meetings that do not involve ``name``, and how many did."""
    key = name_key(name)
    kept = [c for c in meetings if key not in (name_key(c.mentor), name_key(c.mentee))]
    return kept, len(meetings) - len(kept)
