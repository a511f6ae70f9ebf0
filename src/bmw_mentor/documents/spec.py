"""The schema of ``checklists/plans.yaml``: the framework's wording of each document, and its rules.

Framework wording lives in ``checklists/plans.yaml`` and ``templates/strings.yaml``;
the builders (one module per document) turn it and the answers into the view model.
"""

# No `from __future__ import annotations` here: evaluating ~30 models' string
# annotations at import would cost more than the rest of the export.
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from bmw_mentor.errors import ChecklistInvalidError
from bmw_mentor.framework.schema import Checklists, Condition, Text
from bmw_mentor.framework.text import names_one_of, placeholders, texts_in

DOCS: tuple[str, ...] = ("programme", "communication", "training", "forms")
Anchor = Literal["launch", "end", "midpoint", "relationship_end"]
Phase = Literal["prepare", "launch", "run", "close", "followup"]
# Placeholders filled from the item being rendered rather than from an answer.
_LOCAL = {"value", "choice", "n", "end_date"}


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


class SummaryDate(_Strict):
    """A key date of the summary: the first of ``milestones`` that the plan holds."""

    label: Text
    milestones: list[str] = Field(min_length=1)


class SummarySpec(_Strict):
    """The one-page summary at the front of the programme plan."""

    target: list[str] = Field(min_length=1)  # answers describing the target group; the first one given is shown
    dates: list[SummaryDate]
    risks: int = Field(default=3, ge=0, le=10)
    open: int = Field(default=6, ge=0, le=30)  # open points listed by name; the rest are counted


class PlansSpec(_Strict):
    summary: SummarySpec
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
            elif name in ("topics_from", "cells", "target") and isinstance(value, list):
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
    for date in spec.summary.dates:
        for mid in date.milestones:
            if mid not in ids:
                raise ChecklistInvalidError(f"{path}: summary: unknown milestone '{mid}'")
    for audience in spec.training.audiences:
        for mid in audience.timing:
            if mid not in ids:
                raise ChecklistInvalidError(f"{path}: training '{audience.id}': unknown milestone '{mid}'")


def load_spec(checklists: Checklists, path: Path | None = None) -> PlansSpec:
    """Read and validate ``plans.yaml``; a mistake becomes one line naming the file and the field."""
    from bmw_mentor.files.resources import data_dir
    from bmw_mentor.framework import datafile

    path = path or data_dir("checklists") / "plans.yaml"
    spec = datafile.load_model(path, PlansSpec)
    _cross_check(spec, checklists, path)
    return spec


@cache
def shipped_spec() -> PlansSpec:
    """The shipped ``plans.yaml``, validated once and then kept in the user's cache folder."""
    from bmw_mentor.files.resources import data_dir
    from bmw_mentor.framework import datafile
    from bmw_mentor.framework.checklist import shipped

    checklists = shipped()
    return datafile.cached("plans", data_dir("checklists"), (__file__,), PlansSpec, lambda: load_spec(checklists))


