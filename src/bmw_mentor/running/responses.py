"""Reading evaluation responses: a workbook or CSV export whose columns may be renamed, reordered or numbered.

A column is a question when its name, without a leading number ("3.", "Q3 -")
and without the scale in brackets, is the question's text in English or Dutch
(with the organisation's own words), its id, or very close to one of those
(a typo, a word dropped by a web form). Answers on a scale may be the number or
the label ("agree", "eens"); yes/no may be ja/nee, 1/0 or x.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from bmw_mentor.errors import RecordsInvalidError
from bmw_mentor.framework.schema import Text
from bmw_mentor.matching.participants import display, header_key, word_key
from bmw_mentor.messages import msg
from bmw_mentor.running import sheets
from bmw_mentor.running.questionnaires import Questionnaire, Words, evaluation

_NUMBERING = re.compile(r"^\s*(?:(?:q|question|vraag|v)\s*)?\d+\s*[.):\-–]\s*", re.IGNORECASE)
_BRACKETS = re.compile(r"\s*[(\[][^()\[\]]*[)\]]\s*$")
_LEADING_NUMBER = re.compile(r"^\s*(\d+)(?:[.,]0+)?(?:\s*[-–=:.)]\s*.*|\s*)$")
_YES = {"yes", "y", "ja", "j", "x", "1", "true", "waar", "oui"}
_NO = {"no", "n", "nee", "0", "false", "onwaar", "non"}
CLOSE_ENOUGH = 0.85


@dataclass(frozen=True)
class Response:
    """One row: who answered (group, and a name only for `forget`), and the answers by question id.

    A closed answer is the 1-based point on its scale (yes/no: 1 = no, 2 = yes); an open one is text.
    """

    questionnaire: str
    group: str
    name: str
    answers: dict[str, int | str]


@dataclass
class Responses:
    rows: list[Response] = field(default_factory=list)
    bad: list[str] = field(default_factory=list)


def column_key(text: str) -> str:
    """A column name without numbering, a trailing scale in brackets, case, accents or punctuation."""
    text = _NUMBERING.sub("", text)
    while _BRACKETS.search(text):
        text = _BRACKETS.sub("", text)
    return header_key(text)


def _names(text: Text, words: Words) -> set[str]:
    filled = {Words(words.checklists, words.answers, lang)(text) for lang in ("en", "nl")}
    return {column_key(t) for t in filled | {text.en, text.nl}}


def _candidates(q: Questionnaire, words: Words) -> dict[str, str]:
    """Column keys that name each column of questionnaire ``q`` (question ids, ``group`` and ``name``)."""
    ev = evaluation()
    known: dict[str, str] = {}
    for col_id, col in ev.columns.items():
        for name in (col.header.en, col.header.nl, col_id, *col.aliases):
            known.setdefault(column_key(name), col_id)
    for question in q.questions:
        for key in _names(question.text, words) | {header_key(question.id), header_key(f"{q.id}.{question.id}")}:
            known.setdefault(key, question.id)
    return known


def map_columns(header: list[str], q: Questionnaire, words: Words) -> dict[int, str]:
    """Which column holds which question (or the group or name) of ``q``; unknown columns are left out."""
    known = _candidates(q, words)
    keys = list(known)
    found: dict[int, str] = {}
    for i, cell in enumerate(header):
        key = column_key(cell)
        if not key:
            continue
        target = known.get(key)
        if target is None and len(key) >= 8:
            close = difflib.get_close_matches(key, keys, n=1, cutoff=CLOSE_ENOUGH)
            target = known[close[0]] if close else None
        if target is not None and target not in found.values():
            found[i] = target
    return found


def _best(header: list[str], words: Words) -> tuple[Questionnaire, dict[int, str]] | None:
    """The questionnaire that names the most of these columns."""
    best: tuple[int, Questionnaire, dict[int, str]] | None = None
    for q in evaluation().questionnaires:
        mapped = map_columns(header, q, words)
        questions = sum(1 for v in mapped.values() if v not in ("group", "name"))
        if questions and (best is None or questions > best[0]):
            best = (questions, q, mapped)
    return (best[1], best[2]) if best else None


def read(paths: list[Path], words: Words) -> Responses:
    """Every response in the given files (each sheet of a workbook is tried as a questionnaire)."""
    out = Responses()
    lang = words.lang
    for path in paths:
        found = False
        for sheet_name, rows in sheets.read(path, lang):
            start = next((k for k, r in enumerate(rows) if any(c.strip() for c in r)), None)
            if start is None:
                continue
            match = _best(rows[start], words)
            if match is None:
                continue
            found = True
            q, columns = match
            where = f"{path} [{sheet_name}]" if path.suffix.lower() in sheets.WORKBOOKS else str(path)
            for line, row in enumerate(rows[start + 1 :], start=start + 2):
                if any(c.strip() for c in row):
                    response, problems = _row(row, columns, q, words)
                    out.bad += [msg("records_bad_cell", lang, path=where, line=line, reason=p) for p in problems]
                    if response is not None:
                        out.rows.append(response)
        if not found:
            raise RecordsInvalidError(msg("evaluate_no_questions", lang, path=path))
    return out


def _row(row: list[str], columns: dict[int, str], q: Questionnaire, words: Words) -> tuple[Response | None, list[str]]:
    lang = words.lang
    cells = {col: row[i].strip() if i < len(row) else "" for i, col in columns.items()}
    problems: list[str] = []
    answers: dict[str, int | str] = {}
    for question in q.questions:
        text = cells.get(question.id, "")
        if not text:
            continue
        if question.scale is None:
            answers[question.id] = " ".join(text.split())
            continue
        point = scale_point(text, question.scale)
        if point is None:
            problems.append(msg("evaluate_bad_answer", lang, value=display(text), question=question.id))
        else:
            answers[question.id] = point
    if not answers:
        return None, problems
    group = group_of(cells.get("group", ""), words)
    return Response(q.id, group, " ".join(cells.get("name", "").split()), answers), problems


def scale_point(text: str, scale_id: str) -> int | None:
    """The 1-based point on a scale for a typed or exported answer, or None."""
    points = evaluation().scales[scale_id].points
    key = word_key(text)
    if scale_id == "yes_no":
        if key in _YES or key in {word_key(points[1].en), word_key(points[1].nl)}:
            return 2
        if key in _NO or key in {word_key(points[0].en), word_key(points[0].nl)}:
            return 1
        return None
    number = _LEADING_NUMBER.match(text)
    if number:
        value = int(number.group(1))
        return value if 1 <= value <= len(points) else None
    for k, point in enumerate(points, start=1):
        if key in (word_key(point.en), word_key(point.nl)):
            return k
    return None


def group_of(text: str, words: Words) -> str:
    """The group id for a typed group ("peter", "Mentee", "leidinggevende"), or ``unknown``."""
    key = word_key(text)
    if not key:
        return "unknown"
    for gid, group in evaluation().groups.items():
        names = [words(group.label), words(group.answer), gid, *group.aliases]
        names += [n.replace("{", "").replace("}", "") for n in (group.label.en, group.label.nl)]
        if key in {word_key(n) for n in names}:
            return gid
    return "unknown"
