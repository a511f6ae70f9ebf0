"""The plan context: answers, checklists and ``plans.yaml`` turned into plain data for the templates.

Everything a document shows is decided here (which parts apply, which answers
are still open, what each date is); the templates in ``templates/`` only lay it
out. Framework wording lives in ``checklists/plans.yaml`` and
``templates/strings.yaml``; this module holds the rules and the date arithmetic.
"""

# No `from __future__ import annotations` here: evaluating ~30 models' string
# annotations at import would cost more than the rest of the export.
import calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from bmw_mentor.checklist import (
    AnswerValue,
    Checklists,
    Condition,
    Filler,
    Language,
    Question,
    Text,
    names_one_of,
    placeholders,
    texts_in,
)
from bmw_mentor.errors import ChecklistInvalidError
from bmw_mentor.project import Project

DOCS: tuple[str, ...] = ("programme", "communication", "training", "forms")
Anchor = Literal["launch", "end", "midpoint", "relationship_end"]
Phase = Literal["prepare", "launch", "run", "close", "followup"]
# Placeholders filled from the item being rendered rather than from an answer.
_LOCAL = {"value", "choice", "n", "end_date"}
# The programme plan lists the pairs from `mentor match` in the section that asks how pairs are formed.
_MATCHING_QUESTIONS = {"matching_approach", "matching_criteria", "mentor_pool"}


# ---------------------------------------------------------------------------
# Schema of plans.yaml
# ---------------------------------------------------------------------------
class _Strict(BaseModel):
    # The schema is built on first validation only: a cached spec is unpickled without it.
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


def _as_list(data: Any, key: str) -> Any:
    if isinstance(data, dict) and isinstance(data.get(key), dict):
        return {**data, key: [data[key]]}
    return data


class At(_Strict):
    """A moment relative to an anchor of the programme."""

    anchor: Anchor = Field(alias="from")
    weeks: int = 0
    months: int = 0
    months_answer: str | None = None


class Repeat(_Strict):
    choices_of: str | None = None
    every: str | None = None

    @model_validator(mode="after")
    def _one(self) -> "Repeat":
        if (self.choices_of is None) == (self.every is None):
            raise ValueError("give exactly one of choices_of, every")
        return self


class _Conditional(_Strict):
    when: list[Condition] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _when_list(cls, data: Any) -> Any:
        return _as_list(data, "when")


class Item(_Conditional):
    answer: str | None = None
    text: Text | None = None
    block: Literal["needs", "learning_grid", "team_tasks", "milestones"] | None = None
    label: Text | None = None
    format: Text | None = None
    if_true: Text | None = None
    if_false: Text | None = None
    sentences: dict[str, Text] = Field(default_factory=dict)
    undecided: list[str] = Field(default_factory=list)
    emphasis: bool = False

    @model_validator(mode="after")
    def _one_kind(self) -> "Item":
        if sum(x is not None for x in (self.answer, self.text, self.block)) != 1:
            raise ValueError("give exactly one of answer, text, block")
        if (self.answer or self.block) and self.label is None:
            raise ValueError("an answer or block item needs a label")
        return self


class SectionSpec(_Strict):
    id: str
    title: Text
    intro: Text | None = None
    items: list[Item] = Field(default_factory=list)
    subsections: "list[SectionSpec]" = Field(default_factory=list)


class ProgrammeSpec(_Strict):
    intro: Text
    sections: list[SectionSpec]


class NeedsDomain(_Strict):
    answer: str
    title: Text


class GridColumn(_Strict):
    id: str
    title: Text


class GridRow(_Strict):
    title: Text
    cells: list[str]


class GridSpec(_Strict):
    columns: list[GridColumn]
    rows: list[GridRow]


class TeamTask(_Strict):
    answer: str
    title: Text


class MilestoneSpec(_Conditional):
    id: str
    phase: Phase
    title: Text
    detail: Text | None = None
    at: At | None = None
    repeat: Repeat | None = None
    owner: str

    @model_validator(mode="after")
    def _dated(self) -> "MilestoneSpec":
        if (self.at is None) == (self.repeat is None):
            raise ValueError("give exactly one of at, repeat")
        return self


class MessageFrom(_Strict):
    answer: str
    messages: dict[str, Text]
    undecided: list[str] = Field(default_factory=list)


class CommRowSpec(_Conditional):
    id: str
    audience: Text
    objective: Text
    message: Text | None = None
    message_from: MessageFrom | None = None
    at: At
    channels: list[str]
    broad: bool = False
    owner: str

    @model_validator(mode="after")
    def _message(self) -> "CommRowSpec":
        if (self.message is None) == (self.message_from is None):
            raise ValueError("give exactly one of message, message_from")
        return self


class CommunicationSpec(_Strict):
    intro: Text
    principles: list[Text]
    rows: list[CommRowSpec]


class ConditionalText(_Conditional):
    text: Text


class Duration(_Strict):
    answer: str
    format: Text


class AudienceSpec(_Conditional):
    id: str
    title: Text
    topics_from: list[str] = Field(default_factory=list)
    topics_exclude: list[str] = Field(default_factory=list)
    topics_from_when: list[Condition] = Field(default_factory=list)
    topics: list[ConditionalText] = Field(default_factory=list)
    format_answer: str | None = None
    format: Text | None = None
    duration: Duration | None = None
    duration_text: Text | None = None
    timing: list[str] = Field(default_factory=list)
    timing_answer: str | None = None
    timing_at: At | None = None
    materials: list[ConditionalText] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _topics_when_list(cls, data: Any) -> Any:
        return _as_list(_as_list(data, "when"), "topics_from_when")


class TrainingSpec(_Strict):
    intro: Text
    audiences: list[AudienceSpec]


class FormField(_Conditional):
    label: Text
    lines: int = Field(default=3, ge=1, le=20)


class FieldsFrom(_Strict):
    answer: str
    labels: dict[str, Text]


class AgreementPart(_Strict):
    answer: str
    title: Text
    style: Literal["checklist", "fields"]


class PracticalItem(_Strict):
    answer: str
    text: Text


class Practical(_Strict):
    title: Text
    items: list[PracticalItem]


class ConfidentialitySpec(_Strict):
    answer: str
    title: Text
    text: Text


class Signature(_Conditional):
    label: Text


class FormSpec(_Conditional):
    id: str
    kind: Literal["questions", "agreement"] = "questions"
    title: Text
    intro: Text
    header: list[Text] = Field(default_factory=list)
    fields: list[FormField] = Field(default_factory=list)
    fields_from: FieldsFrom | None = None
    tick_answer: str | None = None
    parts: list[AgreementPart] = Field(default_factory=list)
    practical: Practical | None = None
    confidentiality: ConfidentialitySpec | None = None
    signatures: list[Signature] = Field(default_factory=list)


class PlansSpec(_Strict):
    programme: ProgrammeSpec
    needs_domains: list[NeedsDomain]
    learning_grid: GridSpec
    team_tasks: list[TeamTask]
    milestones: list[MilestoneSpec]
    communication: CommunicationSpec
    training: TrainingSpec
    forms: list[FormSpec]


def _walk_answers(node: Any) -> Iterable[str]:
    """Every question id that plans.yaml refers to."""
    if isinstance(node, Condition):
        yield node.answer
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            value = getattr(node, name)
            if name in ("answer", "choices_of", "every", "months_answer", "format_answer", "timing_answer", "tick_answer") and isinstance(value, str):
                yield value
            elif name in ("topics_from", "cells") and isinstance(value, list):
                yield from value
            elif name == "owner" and isinstance(value, str):
                yield value
            else:
                yield from _walk_answers(value)
    elif isinstance(node, (list, tuple)):
        for x in node:
            yield from _walk_answers(x)
    elif isinstance(node, dict):
        for x in node.values():
            yield from _walk_answers(x)


def _cross_check(spec: PlansSpec, checklists: Checklists, path: Path) -> None:
    known = set(checklists.questions)
    for qid in _walk_answers(spec):
        if qid not in known:
            raise ChecklistInvalidError(f"{path}: '{qid}' names no question of the checklists")
    for text in texts_in(spec):
        for name in placeholders(text.en + text.nl):
            if not names_one_of(name, known) and name not in _LOCAL:
                raise ChecklistInvalidError(f"{path}: placeholder {{{name}}} names no question")
    ids = {m.id for m in spec.milestones}
    for audience in spec.training.audiences:
        for mid in audience.timing:
            if mid not in ids:
                raise ChecklistInvalidError(f"{path}: training '{audience.id}': unknown milestone '{mid}'")


def load_spec(checklists: Checklists, path: Path | None = None) -> PlansSpec:
    """Read and validate ``plans.yaml``; a mistake becomes one line naming the file and the field."""
    from bmw_mentor import datafile
    from bmw_mentor.resources import data_dir

    path = path or data_dir("checklists") / "plans.yaml"
    spec = datafile.load_model(path, PlansSpec)
    _cross_check(spec, checklists, path)
    return spec


@cache
def shipped_spec() -> PlansSpec:
    """The shipped ``plans.yaml``, validated once and then kept in the user's cache folder."""
    from bmw_mentor import datafile
    from bmw_mentor.checklist import shipped
    from bmw_mentor.resources import data_dir

    checklists = shipped()
    return datafile.cached("plans", data_dir("checklists"), (__file__,), PlansSpec, lambda: load_spec(checklists))


# ---------------------------------------------------------------------------
# The plan context handed to the templates
# ---------------------------------------------------------------------------
@dataclass
class Todo:
    """An open decision, with the command that settles it."""

    label: str
    step: int
    doc: str = ""
    question: str = ""

    @property
    def command(self) -> str:
        return f"mentor step {self.step}"


@dataclass
class Value:
    """What a cell or an entry shows: text, a list, or an open decision."""

    text: str = ""
    items: list[str] = field(default_factory=list)
    todo: Todo | None = None


@dataclass
class Entry:
    kind: Literal["text", "list", "todo", "needs", "grid", "team", "milestones", "pairs"]
    label: str
    value: Value = field(default_factory=Value)
    data: Any = None
    emphasis: bool = False

    @property
    def short(self) -> bool:
        """Short enough to sit in a two-column facts list."""
        return self.kind == "text" and len(self.value.text) <= 90 and "\n" not in self.value.text and not self.emphasis


@dataclass
class Block:
    """Consecutive short entries gathered into one facts list, or one entry on its own."""

    kind: Literal["facts", "entry"]
    entries: list[Entry]

    @property
    def small(self) -> bool:
        """Small enough to keep on the same printed page as the heading above it."""
        if self.kind == "facts":
            return len(self.entries) <= 6
        entry = self.entries[0]
        return entry.kind in ("text", "todo") or (entry.kind == "list" and len(entry.value.items) <= 8)


@dataclass
class Section:
    id: str
    title: str
    intro: str = ""
    blocks: list[Block] = field(default_factory=list)
    subsections: "list[Section]" = field(default_factory=list)


@dataclass
class NeedGroup:
    title: str
    items: list[str]


@dataclass
class Grid:
    columns: list[str]
    rows: list[tuple[str, list[Value]]]


@dataclass
class Milestone:
    id: str
    date: dt.date
    date_text: str
    title: str
    detail: str
    owner: Value
    phase: str
    phase_label: str
    moment: str
    order: int = 0


@dataclass
class CommRow:
    id: str
    audience: str
    objective: str
    message: Value
    channels: Value
    moment: str
    date: dt.date | None
    date_text: str
    owner: Value


@dataclass
class Audience:
    id: str
    title: str
    topics: Value
    format: Value
    duration: Value
    timing: Value
    date: dt.date | None
    materials: list[str]
    milestone: str = ""


@dataclass
class FormPart:
    title: str
    style: str
    value: Value


@dataclass
class Form:
    id: str
    kind: str
    title: str
    intro: str
    header: list[str]
    ticks: list[str]
    fields: list[tuple[str, int]]
    parts: list[FormPart] = field(default_factory=list)
    practical_title: str = ""
    practical: list[str] = field(default_factory=list)
    confidentiality_title: str = ""
    confidentiality: Value | None = None
    signatures: list[str] = field(default_factory=list)


@dataclass
class PairList:
    """The pairs accepted with ``mentor match``, under the organisation's own words for both roles."""

    mentor: str
    mentee: str
    rows: list[tuple[str, str]]
    note: str
    command: str = "mentor match"


@dataclass
class RiskGroup:
    severity: str
    label: str
    findings: list[dict[str, Any]]


@dataclass
class Health:
    """``mentor check`` as the programme plan shows it: findings, coverage, next fixes and the estimate.

    ``report`` is :func:`bmw_mentor.health.report` unchanged; the rest is what
    the templates need around it (the check date written out, risks by severity).
    """

    report: dict[str, Any]
    checked: str
    intro: str
    estimate_intro: str
    risk_groups: list[RiskGroup]

    @property
    def summary(self) -> dict[str, int]:
        return self.report["summary"]

    @property
    def to_decide(self) -> list[dict[str, Any]]:
        return self.report["to_decide"]

    @property
    def coverage(self) -> list[dict[str, Any]]:
        return self.report["coverage"]

    @property
    def next(self) -> list[dict[str, Any]]:
        return self.report["next"]

    @property
    def estimate(self) -> dict[str, Any]:
        return self.report["estimate"]


@dataclass
class Document:
    id: str
    title: str
    intro: str = ""
    sections: list[Section] = field(default_factory=list)
    principles: list[str] = field(default_factory=list)
    rows: list[CommRow] = field(default_factory=list)
    audiences: list[Audience] = field(default_factory=list)
    forms: list[Form] = field(default_factory=list)
    todos: list[Todo] = field(default_factory=list)
    principles_title: str = ""
    messages_title: str = ""
    health: Health | None = None
    health_titles: tuple[str, str] = ("", "")

    @property
    def toc(self) -> list[tuple[str, str]]:
        """(anchor, title) of the parts shown in the table of contents."""
        if self.id == "programme":
            parts = [(s.id, s.title) for s in self.sections]
            if self.health is not None:
                parts += [("programme-health", self.health_titles[0]), ("programme-estimate", self.health_titles[1])]
            return parts
        if self.id == "forms":
            return [(f.id, f.title) for f in self.forms]
        if self.id == "training":
            return [(a.id, a.title) for a in self.audiences]
        return [(f"{self.id}-principles", self.principles_title), (f"{self.id}-messages", self.messages_title)]


@dataclass
class TodoGroup:
    step: int
    title: str
    command: str
    todos: list[Todo]


@dataclass
class PlanContext:
    lang: Language
    s: dict[str, Any]
    org_name: str
    coordinator: str
    coordinator_role: str
    goal: str
    launch_text: str
    period_text: str
    version_text: str
    pairs_text: str
    focus_text: str
    updated: dt.datetime
    documents: list[Document]
    todo_groups: list[TodoGroup]
    milestones: list[Milestone]
    comm_rows: list[CommRow]
    audiences: list[Audience]

    @property
    def todo_count(self) -> int:
        return sum(len(g.todos) for g in self.todo_groups)

    @property
    def doc_titles(self) -> dict[str, str]:
        return {d: self.s[f"doc_{d}"] for d in DOCS}

    @property
    def milestone_groups(self) -> list[tuple[str, list[Milestone]]]:
        """Milestones in date order, in runs of the same phase."""
        groups: list[tuple[str, list[Milestone]]] = []
        for m in self.milestones:
            if groups and groups[-1][0] == m.phase_label:
                groups[-1][1].append(m)
            else:
                groups.append((m.phase_label, [m]))
        return groups


# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------
def add_months(day: dt.date, months: float) -> dt.date:
    """``day`` plus a number of months; the day is clamped to the month's length (31 Jan + 1 = 28/29 Feb)."""
    whole = int(months)
    index = day.month - 1 + whole
    year, month = day.year + index // 12, index % 12 + 1
    moved = dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
    rest = months - whole
    return moved + dt.timedelta(days=round(rest * 30)) if rest else moved


def working_day(day: dt.date) -> dt.date:
    """Planned moments that fall on a weekend move to the next Monday."""
    return day + dt.timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


# ---------------------------------------------------------------------------
# Building
# ---------------------------------------------------------------------------
def _empty(value: AnswerValue) -> bool:
    """Not answered. An empty list is an answer: none of the choices applies."""
    return value is None or value == ""


def _number(value: float, lang: Language) -> str:
    text = str(int(value)) if float(value) == int(value) else f"{value:g}"
    return text.replace(".", ",") if lang == "nl" else text


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() or len(text) == 1 else text


class _Builder:
    def __init__(self, project: Project, checklists: Checklists, spec: PlansSpec, strings: Mapping[str, Any]) -> None:
        self.project = project
        self.checklists = checklists
        self.spec = spec
        self.lang: Language = project.language
        self.lookup = _fitting_answers(project, checklists)
        self.s: dict[str, Any] = {k: (v.get(self.lang) if isinstance(v, dict) else v) for k, v in strings.items()}
        self.fill = Filler(checklists, self._text_lookup(), self.lang)
        self.todos: list[Todo] = []
        self._doc = ""
        self.anchors = self._anchors()
        # filled in place by build_milestones(); the programme plan's block refers to this list
        self.milestones: list[Milestone] = []

    # -- words and values ------------------------------------------------
    def _text_lookup(self) -> dict[str, AnswerValue]:
        """Answers as the text a placeholder shows: numbers and dates written out."""
        out: dict[str, AnswerValue] = {}
        for key, value in self.lookup.items():
            if isinstance(value, bool) or value is None:
                continue
            if isinstance(value, (int, float)):
                out[key] = _number(value, self.lang)
            elif isinstance(value, dt.date):
                out[key] = self.date(value)
            elif isinstance(value, str):
                out[key] = value
        return out

    def t(self, text: Text | str | None, **local: str) -> str:
        """Fill a text from plans.yaml: the organisation's words first, then the item's own values."""
        return self.fill(text, **local)

    def str_(self, key: str, **params: Any) -> str:
        raw = self.s[key]
        return raw.format(**params) if params else raw

    def date(self, day: dt.date) -> str:
        return self.str_("date_format", day=day.day, month=self.s["months"][day.month - 1], year=day.year)

    def q(self, qid: str) -> Question:
        return self.checklists.questions[qid]

    def applies(self, qid: str) -> bool:
        return self.q(qid).applies(self.lookup)

    def answer(self, qid: str) -> AnswerValue:
        return self.lookup.get(qid)

    def todo(self, label: str, qid: str) -> Todo:
        """Record an open decision (once per question and label) and return it."""
        step = self.checklists.step_of[qid].number
        for existing in self.todos:
            if existing.question == qid and existing.doc == self._doc:
                return existing
        found = Todo(label=label, step=step, doc=self._doc, question=qid)
        self.todos.append(found)
        return found

    def choice_label(self, qid: str, choice: str) -> str:
        found = self.q(qid).choice(choice)
        return self.fill(found.label) if found is not None else choice

    def labels(self, qid: str, exclude: Iterable[str] = ()) -> list[str]:
        value = self.answer(qid)
        items = value if isinstance(value, list) else ([value] if isinstance(value, str) and value else [])
        skip = set(exclude)
        return [self.choice_label(qid, c) for c in items if c not in skip]

    def conditions(self, conds: Iterable[Condition], label: str) -> bool | None:
        """True/False when the conditions can be judged; None when an answer they need is still open."""
        for cond in conds:
            value = self.lookup.get(cond.answer)
            if _empty(value) and not isinstance(value, bool) and self.applies(cond.answer):
                if cond.is_set is None:
                    self.todo(label, cond.answer)
                    return None
            if not cond.holds(value):
                return False
        return True

    def owner(self, qid: str) -> Value:
        value = self.answer(qid)
        if isinstance(value, str) and value.strip():
            return Value(text=value.strip())  # typed text: never filled in as a template
        coordinator = self.answer("coordinator_name")
        if qid.startswith("task_") and isinstance(coordinator, str) and coordinator.strip():
            return Value(text=coordinator.strip())
        return Value(todo=self.todo(self.fill(self.q(qid).prompt), qid))

    # -- anchors and moments ---------------------------------------------
    def _anchors(self) -> dict[str, dt.date | None]:
        start = self.answer("start_date")
        launch = start if isinstance(start, dt.date) else None
        months = self.answer("programme_months")
        end = add_months(launch, months) if launch and isinstance(months, (int, float)) and not isinstance(months, bool) else None
        rel = self.answer("relationship_months")
        rel_end = add_months(launch, rel) if launch and isinstance(rel, (int, float)) and not isinstance(rel, bool) else None
        mid = launch + (end - launch) / 2 if launch and end else None
        return {"launch": launch, "end": end, "midpoint": mid, "relationship_end": rel_end}

    _ANCHOR_QUESTION = {"launch": "start_date", "end": "programme_months", "midpoint": "programme_months", "relationship_end": "relationship_months"}

    def when(self, at: At, label: str) -> tuple[dt.date | None, str]:
        """The date of a moment (None when an answer it needs is open) and its wording relative to the anchor."""
        months = at.months
        if at.months_answer:
            extra = self.answer(at.months_answer)
            if not isinstance(extra, (int, float)) or isinstance(extra, bool):
                self.todo(label, at.months_answer)
                return None, ""
            months += extra
        moment = self.moment(at.anchor, at.weeks, months)
        base = self.anchors[at.anchor]
        if base is None:
            qid = "start_date" if self.anchors["launch"] is None else self._ANCHOR_QUESTION[at.anchor]
            self.todo(label, qid)
            return None, moment
        day = add_months(base, months) + dt.timedelta(weeks=at.weeks)
        if not (at.anchor == "launch" and not at.weeks and not months):
            day = working_day(day)
        return day, moment

    def moment(self, anchor: str, weeks: int, months: float) -> str:
        if not weeks and not months:
            return self.s[f"at_{anchor}"]
        parts = []
        if months:
            n = abs(months)
            parts.append(self.s["unit_month"] if n == 1 else self.str_("unit_months", n=_number(n, self.lang)))
        if weeks:
            parts.append(self.s["unit_week"] if abs(weeks) == 1 else self.str_("unit_weeks", n=abs(weeks)))
        amount = parts[0] if len(parts) == 1 else self.str_("rel_and", a=parts[0], b=parts[1])
        before = (months or 0) * 4 + weeks < 0
        text = self.str_("rel_before" if before else "rel_after", amount=amount, anchor=self.s[f"anchor_{anchor}"])
        return text[:1].upper() + text[1:]

    # -- the programme plan ----------------------------------------------
    def item(self, item: Item, context: str = "") -> Entry | None:
        if item.text is not None:
            if self.conditions(item.when, self.t(item.text)) is not True:
                return None
            return Entry(kind="list", label="", value=Value(items=[self.t(item.text)]))
        label = self.t(item.label)
        # in the list of open points, an item of a subsection needs the subsection's name to make sense
        todo_label = f"{context}: {label}" if context else label
        if item.block is not None:
            return self.block(item.block, label)
        assert item.answer is not None
        qid = item.answer
        if not self.applies(qid) or self.conditions(item.when, todo_label) is not True:
            return None
        if qid == "scope_pairs" and self.project.pairs:
            return Entry(kind="text", label=label, value=Value(text=self.matched_pairs_text()))
        q = self.q(qid)
        value = self.answer(qid)
        if value == []:
            return None  # nothing ticked: nothing to say
        if _empty(value) or (isinstance(value, str) and value in item.undecided):
            return Entry(kind="todo", label=label, value=Value(todo=self.todo(todo_label, qid)))
        if q.type == "multi":
            return Entry(kind="list", label=label, value=Value(items=self.labels(qid)))
        if q.type == "yes_no":
            sentence = item.if_true if value is True else item.if_false
            text = self.t(sentence) if sentence else self.s["word_yes" if value else "word_no"]
            return Entry(kind="text", label=label, value=Value(text=text))
        if q.type == "single":
            assert isinstance(value, str)
            text = self.t(item.sentences[value]) if value in item.sentences else self.choice_label(qid, value)
            return Entry(kind="text", label=label, value=Value(text=text))
        if isinstance(value, dt.date):
            shown = self.date(value)
        elif isinstance(value, (int, float)):
            shown = _number(value, self.lang)
        else:
            shown = str(value)
        if item.format is not None:
            end = self.anchors["end"]
            shown = self.t(item.format, value=shown, end_date=self.date(end) if end else "")
        return Entry(kind="text", label=label, value=Value(text=shown), emphasis=item.emphasis)

    def block(self, kind: str, label: str) -> Entry | None:
        if kind == "needs":
            groups = [NeedGroup(self.t(d.title), self.labels(d.answer)) for d in self.spec.needs_domains]
            groups = [g for g in groups if g.items]
            if not groups:
                open_q = next((d.answer for d in self.spec.needs_domains if self.answer(d.answer) is None), None)
                if open_q is None:
                    return None
                return Entry(kind="todo", label=label, value=Value(todo=self.todo(label, open_q)))
            return Entry(kind="needs", label=label, data=groups)
        if kind == "learning_grid":
            grid = self.spec.learning_grid
            rows = []
            for row in grid.rows:
                cells = []
                for qid in row.cells:
                    if self.answer(qid) is None:
                        cells.append(Value(todo=self.todo(label, qid)))
                    else:
                        cells.append(Value(items=self.labels(qid)))
                rows.append((self.t(row.title), cells))
            return Entry(kind="grid", label=label, data=Grid([self.t(c.title) for c in grid.columns], rows))
        if kind == "team_tasks":
            rows = [(self.t(task.title), self.owner(task.answer)) for task in self.spec.team_tasks]
            return Entry(kind="team", label=label, data=rows)
        if kind == "milestones":
            if self.anchors["launch"] is None:
                return Entry(kind="todo", label=label, value=Value(todo=self.todo(label, "start_date")))
            return Entry(kind="milestones", label=label, data=self.milestones)
        raise AssertionError(kind)  # pragma: no cover - the schema allows no other block

    def section(self, spec: SectionSpec, prefix: str, nested: bool = False) -> Section | None:
        context = self.t(spec.title) if nested else ""
        entries = [e for e in (self.item(i, context) for i in spec.items) if e is not None]
        if self.project.pairs and any(i.answer in _MATCHING_QUESTIONS for i in spec.items):
            entries.append(self.pairs_entry())
        subsections = [s for s in (self.section(sub, prefix, nested=True) for sub in spec.subsections) if s is not None]
        if not entries and not subsections:
            return None
        return Section(
            id=f"{prefix}-{spec.id.replace('_', '-')}",
            title=self.t(spec.title),
            intro=self.t(spec.intro) if spec.intro else "",
            blocks=_blocks(entries),
            subsections=subsections,
        )

    # -- pairs from `mentor match` --------------------------------------------
    def matched_pairs_text(self) -> str:
        """The number of pairs once pairs are accepted, and the number planned when that differs."""
        n = len(self.project.pairs)
        text = self.s["pairs_matched_one"] if n == 1 else self.str_("pairs_matched", n=n)
        planned = self.answer("scope_pairs")
        if isinstance(planned, (int, float)) and not isinstance(planned, bool) and planned != n:
            text = self.str_("pairs_planned", text=text, planned=_number(planned, self.lang))
        return text

    def pairs_entry(self) -> Entry:
        rows = sorted(
            ((" ".join(p.mentor.split()), " ".join(p.mentee.split())) for p in self.project.pairs),
            key=lambda r: (r[0].casefold(), r[1].casefold()),
        )
        table = PairList(mentor=self.fill("{Mentor}"), mentee=self.fill("{Mentee}"), rows=rows, note=self.s["pairs_note"])
        return Entry(kind="pairs", label=self.s["pairs_title"], data=table)

    def programme(self) -> Document:
        self._doc = "programme"
        sections = [s for s in (self.section(sec, "programme") for sec in self.spec.programme.sections) if s is not None]
        return Document(id="programme", title=self.s["doc_programme"], intro=self.t(self.spec.programme.intro), sections=sections)

    # -- milestones -------------------------------------------------------
    def build_milestones(self) -> None:
        self._doc = "programme"
        out: list[Milestone] = []
        for order, spec in enumerate(self.spec.milestones):
            title = self.t(spec.title)
            if self.conditions(spec.when, title) is not True:
                continue
            if spec.repeat is None:
                assert spec.at is not None
                day, moment = self.when(spec.at, title)
                if day is not None:
                    out.append(self._milestone(spec, order, day, title, moment))
                continue
            out.extend(self._repeats(spec, order))
        self.milestones[:] = sorted(out, key=lambda m: (m.date, m.order))

    def _milestone(self, spec: MilestoneSpec, order: int, day: dt.date, title: str, moment: str) -> Milestone:
        return Milestone(
            id=spec.id,
            date=day,
            date_text=self.date(day),
            title=title,
            detail=self.t(spec.detail) if spec.detail else "",
            owner=self.owner(spec.owner),
            phase=spec.phase,
            phase_label=self.s[f"phase_{spec.phase}"],
            moment=moment,
            order=order,
        )

    def _repeats(self, spec: MilestoneSpec, order: int) -> list[Milestone]:
        repeat = spec.repeat
        assert repeat is not None
        qid = repeat.choices_of or repeat.every
        assert qid is not None
        if not self.applies(qid):
            return []
        value = self.answer(qid)
        generic = self.fill(self.q(qid).prompt)
        if _empty(value):
            self.todo(generic, qid)
            return []
        launch = self.anchors["launch"]
        if launch is None:
            self.todo(generic, "start_date")
            return []
        out = []
        if repeat.choices_of is not None:
            assert isinstance(value, list)
            for choice_id in value:
                choice = self.q(qid).choice(choice_id)
                if choice is None or choice.value is None:
                    continue
                label = _lower_first(self.fill(choice.label))
                title = self.t(spec.title, choice=label)
                if choice.value == 0:
                    day, moment = self.when(At.model_validate({"from": "relationship_end"}), title)
                else:
                    day = working_day(add_months(launch, choice.value))
                    moment = self.moment("launch", 0, choice.value)
                if day is not None:
                    out.append(self._milestone(spec, order, day, title, moment))
            return out
        assert isinstance(value, (int, float))
        end = self.anchors["end"]
        if end is None:
            self.todo(generic, "programme_months")
            return []
        k = 1
        while k <= 60 and add_months(launch, k * value) < end:
            months = k * value
            title = self.t(spec.title, n=str(k))
            out.append(self._milestone(spec, order, working_day(add_months(launch, months)), title, self.moment("launch", 0, months)))
            k += 1
        return out

    # -- communication -----------------------------------------------------
    def communication(self) -> Document:
        self._doc = "communication"
        spec = self.spec.communication
        chosen = self.answer("channels")
        rows: list[CommRow] = []
        for row in spec.rows:
            audience = self.t(row.audience)
            if self.conditions(row.when, audience) is not True:
                continue
            message = self._message(row, audience)
            channels = self._channels(row, chosen, audience)
            day, moment = self.when(row.at, audience)
            rows.append(
                CommRow(
                    id=row.id,
                    audience=audience,
                    objective=self.t(row.objective),
                    message=message,
                    channels=channels,
                    moment=moment,
                    date=day,
                    date_text=self.date(day) if day else "",
                    owner=self.owner(row.owner),
                )
            )
        rows.sort(key=lambda r: (r.date or dt.date.max,))
        return Document(
            id="communication",
            title=self.s["doc_communication"],
            intro=self.t(spec.intro),
            principles=[self.t(p) for p in spec.principles],
            rows=rows,
            principles_title=self.s["principles_title"],
            messages_title=self.s["messages_title"],
        )

    def _message(self, row: CommRowSpec, audience: str) -> Value:
        if row.message is not None:
            return Value(text=self.t(row.message))
        source = row.message_from
        assert source is not None
        value = self.answer(source.answer)
        if not isinstance(value, str) or value in source.undecided or value not in source.messages:
            if isinstance(value, str) and value and value not in source.undecided and value not in source.messages:
                return Value(text=value)  # an "other" answer in the organisation's own words
            return Value(todo=self.todo(audience, source.answer))
        return Value(text=self.t(source.messages[value]))

    def _channels(self, row: CommRowSpec, chosen: AnswerValue, audience: str) -> Value:
        if not isinstance(chosen, list) or not chosen:
            return Value(todo=self.todo(self.s["col_channel"], "channels"))
        known = [c for c in chosen if self.q("channels").choice(c) is not None]
        own_words = [c for c in chosen if c not in known]
        picked = [c for c in row.channels if c in known]
        if not picked:
            picked = known[:2]
        items = [self.choice_label("channels", c) for c in picked]
        if row.broad or not items:
            items += own_words
        return Value(items=items)

    # -- training -----------------------------------------------------------
    def training(self) -> Document:
        self._doc = "training"
        spec = self.spec.training
        audiences = []
        by_id = {m.id: m for m in self.milestones}
        for a in spec.audiences:
            title = self.t(a.title)
            if self.conditions(a.when, title) is not True:
                continue
            topics = self._topics(a, title)
            if a.format_answer is not None:
                fmt = self._answer_value(a.format_answer, f"{title}: {self.s['tr_format'].lower()}")
            else:
                fmt = Value(text=self.t(a.format))
            if a.duration is not None:
                hours = self.answer(a.duration.answer)
                if isinstance(hours, (int, float)) and not isinstance(hours, bool):
                    duration = Value(text=self.t(a.duration.format, value=_number(hours, self.lang)))
                else:
                    duration = Value(todo=self.todo(f"{title}: {self.s['tr_duration'].lower()}", a.duration.answer))
            else:
                duration = Value(text=self.t(a.duration_text))
            timing, day, milestone = self._timing(a, title, by_id)
            materials = [self.t(m.text) for m in a.materials if self.conditions(m.when, self.t(m.text)) is True]
            anchor = f"training-{a.id.replace('_', '-')}"
            audiences.append(Audience(anchor, title, topics, fmt, duration, timing, day, materials, milestone))
        return Document(id="training", title=self.s["doc_training"], intro=self.t(spec.intro), audiences=audiences)

    def _answer_value(self, qid: str, label: str) -> Value:
        if not self.applies(qid):
            return Value()
        if _empty(self.answer(qid)):
            return Value(todo=self.todo(label, qid))
        return Value(items=self.labels(qid))

    def _topics(self, a: AudienceSpec, title: str) -> Value:
        items: list[str] = []
        label = f"{title}: {self.s['tr_topics'].lower()}"
        if a.topics_from and self.conditions(a.topics_from_when, label) is True:
            for qid in a.topics_from:
                if not self.applies(qid):
                    continue
                if _empty(self.answer(qid)):
                    return Value(todo=self.todo(label, qid))
                items += self.labels(qid, exclude=a.topics_exclude)
        items += [self.t(t.text) for t in a.topics if self.conditions(t.when, self.t(t.text)) is True]
        return Value(items=items)

    def _timing(self, a: AudienceSpec, title: str, by_id: Mapping[str, Milestone]) -> tuple[Value, dt.date | None, str]:
        """When the session takes place: its wording, its date, and the milestone it shares (if any)."""
        label = f"{title}: {self.s['tr_timing'].lower()}"
        if a.timing_at is not None:
            day, moment = self.when(a.timing_at, label)
            return (Value(text=f"{self.date(day)} ({_lower_first(moment)})") if day else Value(text=moment)), day, ""
        if a.timing_answer and _empty(self.answer(a.timing_answer)) and self.applies(a.timing_answer):
            return Value(todo=self.todo(label, a.timing_answer)), None, ""
        for mid in a.timing:
            m = by_id.get(mid)
            if m is not None:
                return Value(text=f"{m.date_text} ({_lower_first(m.moment)})"), m.date, m.id
        if self.anchors["launch"] is None:
            return Value(todo=self.todo(label, "start_date")), None, ""
        return Value(), None, ""

    # -- forms ----------------------------------------------------------------
    def forms(self) -> Document:
        self._doc = "forms"
        forms = []
        for f in self.spec.forms:
            title = self.t(f.title)
            if self.conditions(f.when, title) is not True:
                continue
            form = Form(
                id=f"form-{f.id.replace('_', '-')}",
                kind=f.kind,
                title=title,
                intro=self.t(f.intro),
                header=[self.t(h) for h in f.header],
                ticks=self.labels(f.tick_answer) if f.tick_answer else [],
                fields=self._fields(f),
            )
            if f.kind == "agreement":
                self._agreement(f, form)
            forms.append(form)
        return Document(id="forms", title=self.s["doc_forms"], intro=self.s["forms_intro"], forms=forms)

    def _fields(self, f: FormSpec) -> list[tuple[str, int]]:
        out: list[tuple[str, int]] = []
        if f.fields_from is not None:
            value = self.answer(f.fields_from.answer)
            for choice in value if isinstance(value, list) else []:
                text = f.fields_from.labels.get(choice)
                out.append((self.t(text) if text else choice, 2))
        for fld in f.fields:
            label = self.t(fld.label)
            if self.conditions(fld.when, label) is True:
                out.append((label, fld.lines))
        return out

    def _agreement(self, f: FormSpec, form: Form) -> None:
        for part in f.parts:
            if not self.applies(part.answer):
                continue
            title = self.t(part.title)
            if self.answer(part.answer) == []:
                continue
            if _empty(self.answer(part.answer)):
                form.parts.append(FormPart(title, part.style, Value(todo=self.todo(title, part.answer))))
            else:
                form.parts.append(FormPart(title, part.style, Value(items=self.labels(part.answer))))
        if f.practical is not None:
            form.practical_title = self.t(f.practical.title)
            for p in f.practical.items:
                value = self.answer(p.answer)
                if _empty(value) or not self.applies(p.answer):
                    continue
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    shown = _number(value, self.lang)
                else:
                    shown = _lower_first(self.choice_label(p.answer, str(value)))
                form.practical.append(self.t(p.text, value=shown))
        conf = f.confidentiality
        if conf is not None and self.applies(conf.answer):
            form.confidentiality_title = self.t(conf.title)
            value = self.answer(conf.answer)
            if value is None:
                form.confidentiality = Value(todo=self.todo(form.confidentiality_title, conf.answer))
            elif value is True:
                form.confidentiality = Value(text=self.t(conf.text))
        form.signatures = [self.t(s.label) for s in f.signatures if self.conditions(s.when, self.t(s.label)) is True]

    # -- all together ------------------------------------------------------------
    def todo_groups(self, docs: list[Document]) -> list[TodoGroup]:
        shown = {d.id for d in docs}
        steps: dict[int, list[Todo]] = {}
        for todo in self.todos:
            if todo.doc in shown:
                steps.setdefault(todo.step, []).append(todo)
        groups = []
        for number in sorted(steps):
            step = self.checklists.step(number)
            title = self.fill(step.title) if number == 0 else f"{self.str_('todo_step', n=number)}: {self.fill(step.title)}"
            groups.append(TodoGroup(number, title, f"mentor step {number}", steps[number]))
        return groups


def _pairs_text(project: Project, planned: AnswerValue, lang: Language) -> str:
    """The cover's number of pairs: those accepted with ``mentor match``, else the number planned."""
    if project.pairs:
        return str(len(project.pairs))
    if isinstance(planned, (int, float)) and not isinstance(planned, bool):
        return _number(planned, lang)
    return ""


def _fitting_answers(project: Project, checklists: Checklists) -> dict[str, AnswerValue]:
    """The answers that fit their question today, in stored form.

    A hand-edited project file may hold a value the checklist no longer accepts;
    the plans treat it as unanswered (a "to decide" item) rather than guess.
    """
    from bmw_mentor.answers import AnswerError, normalise

    out: dict[str, AnswerValue] = {}
    for qid, value in project.lookup().items():
        q = checklists.questions.get(qid)
        if q is None or _empty(value):
            continue
        try:
            out[qid] = normalise(q, value, project.language)
        except AnswerError:
            continue
    return out


def _blocks(entries: list[Entry]) -> list[Block]:
    """Group entries for layout: consecutive short ones form a facts list, loose statements one list."""
    blocks: list[Block] = []
    for entry in entries:
        last = blocks[-1] if blocks else None
        if entry.kind == "list" and not entry.label and last and last.kind == "entry":
            prev = last.entries[-1]
            if prev.kind == "list" and not prev.label:
                prev.value.items.extend(entry.value.items)
                continue
        if entry.short and last is not None and last.kind == "facts":
            last.entries.append(entry)
        elif entry.short:
            blocks.append(Block("facts", [entry]))
        else:
            blocks.append(Block("entry", [entry]))
    return blocks


@cache
def strings() -> dict[str, Any]:
    """The documents' own words (``templates/strings.yaml``)."""
    from bmw_mentor import yamlio
    from bmw_mentor.resources import data_dir

    path = data_dir("templates") / "strings.yaml"
    try:
        data = yamlio.load_file(path)
    except (OSError, yamlio.YamlSyntaxError) as exc:
        raise ChecklistInvalidError(f"{path}: cannot be read ({exc})") from None
    if not isinstance(data, dict) or any(not isinstance(v, dict) or set(v) != {"en", "nl"} for v in data.values()):
        raise ChecklistInvalidError(f"{path}: every entry needs an 'en' and an 'nl' text")
    return data


def _health(builder: "_Builder", project: Project, checklists: Checklists) -> Health:
    """Run the programme health check as of the project's last save, so an export is reproducible."""
    from bmw_mentor import health

    checked = project.updated.date()
    report = health.report(project, checklists, health.shipped(checklists), today=checked)
    groups = []
    for severity in health.SEVERITIES:
        found = [f for f in report["findings"] if f["kind"] == "risk" and f["severity"] == severity]
        if found:
            groups.append(RiskGroup(severity, builder.s[f"sev_{severity}"], found))
    titles = {f["rule"]: f["title"] for f in report["findings"]}
    for standard in report["coverage"]:
        for point in standard["checkpoints"]:
            point["open_titles"] = [titles[r] for r in point["open"] if r in titles]
    names = [c["name"] for c in report["coverage"]]
    standards = names[0] if len(names) == 1 else builder.str_("list_and", a=", ".join(names[:-1]), b=names[-1])
    return Health(
        report=report,
        checked=builder.date(checked),
        intro=builder.str_("health_intro", standards=standards),
        estimate_intro=builder.str_("estimate_intro", date=builder.date(checked)),
        risk_groups=groups,
    )


def build(
    project: Project,
    checklists: Checklists,
    docs: Iterable[str] = DOCS,
    spec: PlansSpec | None = None,
    health: bool = True,
) -> PlanContext:
    """Turn a project into the plan context for the documents in ``docs``.

    With ``health``, the programme plan also gets the programme health check and
    the resource estimate (a calendar does not need them).
    """
    builder = _Builder(project, checklists, spec or load_spec(checklists), strings())
    wanted = [d for d in DOCS if d in set(docs)]
    # The programme plan first, so that its items name the open points; then the dates that
    # the other documents refer to.
    programme = builder.programme()
    builder.build_milestones()
    built = {"programme": programme, "communication": builder.communication(), "training": builder.training(), "forms": builder.forms()}
    documents = [built[name] for name in wanted]
    for doc in documents:
        doc.todos = [t for t in builder.todos if t.doc == doc.id]
    if health and "programme" in wanted:
        programme.health = _health(builder, project, checklists)
        programme.health_titles = (builder.s["health_title"], builder.s["estimate_title"])
    s = builder.s
    org = builder.answer("org_name")
    coordinator = builder.answer("coordinator_name")
    role = builder.answer("coordinator_role")
    goal = builder.answer("goal_statement")
    pairs = builder.answer("scope_pairs")
    focus = builder.answer("programme_focus")
    launch, end = builder.anchors["launch"], builder.anchors["end"]
    return PlanContext(
        lang=builder.lang,
        s=s,
        org_name=org if isinstance(org, str) else "",
        coordinator=coordinator if isinstance(coordinator, str) else "",
        coordinator_role=role if isinstance(role, str) else "",
        goal=goal if isinstance(goal, str) else "",
        launch_text=builder.date(launch) if launch else "",
        period_text=builder.str_("period_range", start=builder.date(launch), end=builder.date(end)) if launch and end else "",
        version_text=builder.date(project.updated.date()),
        pairs_text=_pairs_text(project, pairs, builder.lang),
        focus_text=builder.choice_label("programme_focus", focus) if isinstance(focus, str) else "",
        updated=project.updated,
        documents=documents,
        todo_groups=builder.todo_groups(documents),
        milestones=builder.milestones,
        comm_rows=built["communication"].rows,
        audiences=built["training"].audiences,
    )
