"""Simple, explained SMART heuristics for a goal text: is there a measure, a date and an owner?

The word lists and the hints live in ``checklists/smart.yaml``; this module
only matches them. The checks are deliberately plain so that the hint can say
exactly what is missing, and a user can see why.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from bmw_mentor.files.resources import data_dir
from bmw_mentor.framework.schema import LANGUAGES, Text

AspectId = Literal["measure", "date", "owner"]
ASPECTS: tuple[AspectId, ...] = ("measure", "date", "owner")

# Written-out dates, years and quarters are recognised here rather than listed as words.
_DATE_PATTERNS = (
    re.compile(r"\b\d{4}-\d{1,2}(-\d{1,2})?\b"),
    re.compile(r"\b\d{1,2}[/.-]\d{1,2}([/.-]\d{2,4})?\b"),
    re.compile(r"\b(19|20)\d{2}\b"),
    re.compile(r"\bq[1-4]\b"),
)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_WORD = re.compile(r"[\w%]+")
_TOKEN = re.compile(r"\d+(?:[.,]\d+)?|\w+")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Words(_Strict):
    en: list[str] = Field(default_factory=list)
    nl: list[str] = Field(default_factory=list)

    def both(self) -> list[str]:
        return self.en + self.nl


class Aspect(_Strict):
    id: AspectId
    hint: Text
    words: Words = Field(default_factory=Words)
    units: Words = Field(default_factory=Words)
    number_words: Words = Field(default_factory=Words)


class SmartRules(_Strict):
    questions: dict[str, list[AspectId]] = Field(default_factory=dict)
    owner_answers: list[str] = Field(default_factory=list)
    aspects: list[Aspect] = Field(min_length=3, max_length=3)

    def aspect(self, aspect_id: str) -> Aspect:
        for a in self.aspects:
            if a.id == aspect_id:
                return a
        raise KeyError(aspect_id)


def load(path: Path | None = None) -> SmartRules:
    """Read and validate ``smart.yaml``; a broken file raises ChecklistInvalidError."""
    from bmw_mentor.framework.datafile import load_model as _load_model

    rules: SmartRules = _load_model(path or data_dir("checklists") / "smart.yaml", SmartRules)
    missing = set(ASPECTS) - {a.id for a in rules.aspects}
    if missing:
        from bmw_mentor.errors import ChecklistInvalidError

        raise ChecklistInvalidError(f"{path or 'smart.yaml'}: aspects: missing {', '.join(sorted(missing))}")
    return rules


def problems(rules: SmartRules, question_ids: Iterable[str]) -> list[str]:
    """Question ids in ``smart.yaml`` that the checklists do not have."""
    known = set(question_ids)
    return [f"'{q}' is not a question" for q in [*rules.questions, *rules.owner_answers] if q not in known]


@cache
def shipped() -> SmartRules:
    return load()


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _pattern(entries: Iterable[str]) -> re.Pattern[str] | None:
    return _compiled(tuple(entries))


@cache
def _compiled(entries: tuple[str, ...]) -> re.Pattern[str] | None:
    # the word lists are long; folding and compiling them once per process is enough
    parts = []
    for entry in entries:
        word = _fold(entry.strip())
        if not word:
            continue
        stem = word.endswith("*")
        word = word.rstrip("*")
        body = r"\s+".join(re.escape(w) for w in word.split())
        # "%" is not a word character, so a word boundary cannot follow it
        tail = r"\w*" if stem else ("" if not word[-1:].isalnum() else r"\b")
        head = r"\b" if word[:1].isalnum() else ""
        parts.append(head + body + tail)
    return re.compile("|".join(parts)) if parts else None


def _time_spans(text: str, rules: SmartRules) -> list[tuple[int, int]]:
    """Where the (folded) text names a date or a time frame."""
    date = rules.aspect("date")
    spans = [m.span() for p in _DATE_PATTERNS for m in p.finditer(text)]
    units = _pattern(date.units.both())
    quantities = _pattern(date.number_words.both())
    if units is not None:
        for m in units.finditer(text):
            before = list(_TOKEN.finditer(text, max(0, m.start() - 40), m.start()))[-2:]
            # "6 months", "zes maanden", "the first year", "6 full months"
            for token in reversed(before):
                word = token.group(0)
                if _NUMBER.fullmatch(word) or (quantities is not None and quantities.fullmatch(word)):
                    spans.append((token.start(), m.end()))
                    break
    words = _pattern(date.words.both())
    if words is not None:
        spans += [m.span() for m in words.finditer(text)]
    return spans


def missing(text: str, names: Iterable[str] = (), rules: SmartRules | None = None) -> list[AspectId]:
    """The SMART aspects the text lacks, in the order measure, date, owner.

    ``names`` are people or teams of this organisation (the coordinator, HR, …):
    naming one of them counts as naming an owner.
    """
    rules = rules or shipped()
    folded = _fold(text)
    if not folded.strip():
        return list(ASPECTS)
    gaps: list[AspectId] = []

    time_spans = _time_spans(folded, rules)
    measure_words = _pattern(rules.aspect("measure").words.both())
    spelled = _pattern(rules.aspect("measure").number_words.both())
    numbers = [*_NUMBER.finditer(folded), *(spelled.finditer(folded) if spelled else [])]
    numbers_outside_time = [m for m in numbers if not any(s <= m.start() < e for s, e in time_spans)]
    if not numbers_outside_time and not (measure_words and measure_words.search(folded)):
        gaps.append("measure")

    if not time_spans:
        gaps.append("date")

    owner_words = _pattern(rules.aspect("owner").words.both())
    if not (owner_words and owner_words.search(folded)) and not _names_owner(text, names):
        gaps.append("owner")
    return gaps


def _names_owner(text: str, names: Iterable[str]) -> bool:
    folded = _fold(text)
    for name in names:
        name = name.strip()
        if not name:
            continue
        if re.search(r"\b" + re.escape(_fold(name)) + r"\b", folded):
            return True
        # a first or last name on its own; case-sensitive so that "Van" or "An" do not match ordinary words
        for part in _WORD.findall(name):
            if len(part) >= 3 and part[:1].isupper() and re.search(r"\b" + re.escape(part) + r"\b", text):
                return True
    return False


def owner_names(lookup: Mapping[str, object]) -> list[str]:
    """The people and teams named in the answers, who count as owners of a goal."""
    values = (lookup.get(qid) for qid in shipped().owner_answers)
    return [v for v in values if isinstance(v, str) and v.strip()]


def wants_hints(question_id: str) -> bool:
    """Whether the wizard should comment on the answer to this question."""
    return question_id in shipped().questions


def smart_hints(text: str, lang: str, names: Iterable[str] = (), aspects: Iterable[str] | None = None) -> list[str]:
    """Hints in ``lang`` on what keeps ``text`` from being SMART; empty when nothing is missing.

    ``aspects`` limits the checks (default: measure, date and owner). An empty
    text gets no hints: there is nothing to comment on yet.
    """
    if not text or not text.strip():
        return []
    rules = shipped()
    language = lang if lang in LANGUAGES else "en"
    wanted = set(aspects) if aspects is not None else set(ASPECTS)
    return [rules.aspect(a).hint.get(language) for a in missing(text, names, rules) if a in wanted]  # type: ignore[arg-type]


def hints_for(question_id: str, text: str, lang: str, names: Iterable[str] = ()) -> list[str]:
    """The wizard's hints after ``question_id`` was answered with ``text``."""
    return smart_hints(text, lang, names, shipped().questions.get(question_id, []))
