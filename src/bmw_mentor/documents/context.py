"""The view model the templates read: plain data, decided by the builders, only laid out by the templates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from bmw_mentor.documents.spec import DOCS
from bmw_mentor.framework.schema import Language


@dataclass
class Todo:
    """An open decision, with the command that settles it."""

    label: str
    step: int
    doc: str = ""
    question: str = ""

    @property
    def command(self) -> str:
        return f"mentor step {'setup' if self.step == 0 else self.step}"


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
class KeyDate:
    """A date the summary names (start, first review, closing); empty text while it cannot be computed."""

    label: str
    date_text: str


@dataclass
class SummaryRisk:
    severity: str
    severity_label: str
    title: str
    risk: str


@dataclass
class Summary:
    """The one-page summary at the front of the programme plan: what a managing director reads.

    Every format renders it from these fields; the sentences are final (words,
    numbers and dates already written out), so a writer only lays them out.
    """

    title: str
    goal: str
    target: str
    pairs: str
    period: str
    dates: list[KeyDate]
    coordinator: str
    coordinator_role: str
    hours: str  # "about 410 hours of working time"
    hours_split: str  # how they divide over mentors, mentees and the coordinator
    cost: str  # "" unless an hourly cost is known
    risks: list[SummaryRisk]
    risks_none: str
    open: list[str]  # "To decide: ..." lines, at most the number plans.yaml allows
    open_more: str  # "and 4 more points: see ..." or ""
    labels: dict[str, str] = field(default_factory=dict)


@dataclass
class SourceNote:
    """For the coordinator: where a health finding comes from and which step revisits it."""

    title: str
    severity_label: str
    sources: list[str]
    command: str


@dataclass
class DefaultsGroup:
    """A step whose answers are partly the framework's recommended defaults (from the quick start)."""

    title: str
    count: int
    command: str


@dataclass
class Appendix:
    """The final appendix "For the coordinator": everything that belongs to the person who keeps the plan."""

    title: str
    intro: str
    todo_groups: list[TodoGroup]
    keep_current: list[str]  # sentences with a {command} slot, each paired with its command
    commands: list[str]
    decide: list[tuple[str, str]]  # health questions without an answer: (question, command)
    assumptions: list[tuple[str, str]]  # estimate figures that an answer would replace: (label, command)
    findings: list[SourceNote]
    standards: list[dict[str, str]]  # short, name, about
    pairs_note: str = ""

    @property
    def keep(self) -> list[tuple[str, str]]:
        return list(zip(self.keep_current, self.commands))


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
    summary: Summary | None = None
    appendix: Appendix | None = None
    defaults: list[DefaultsGroup] = field(default_factory=list)

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


