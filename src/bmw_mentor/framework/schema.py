"""The checklist schema: steps, questions, choices, help and examples, as pydantic models.

The YAML files in ``checklists/`` are the only place where framework content
lives. These models give the rest of the engine a typed view: which questions
a step has, which of them apply given the answers so far, and what the texts
say in the project's language. Nothing here imports the rest of the engine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Language = Literal["en", "nl"]
LANGUAGES: tuple[Language, ...] = ("en", "nl")
Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
NonEmpty = Annotated[str, StringConstraints(min_length=1)]
QuestionType = Literal["text", "long_text", "single", "multi", "yes_no", "number", "date"]
AnswerValue = Union[bool, int, float, dt.date, str, list[str], None]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Text(_Strict):
    """A sentence in both languages."""

    en: NonEmpty
    nl: NonEmpty

    def get(self, lang: Language) -> str:
        return self.nl if lang == "nl" else self.en


class Choice(_Strict):
    id: Identifier
    label: Text
    help: Text | None = None
    value: float | None = None
    heading: Text | None = None  # shown above this choice, to split a long list into parts


class Example(_Strict):
    """A quotation-like example from a partner country, retold in our own words."""

    text: Text
    source: Text


class Condition(_Strict):
    """When a question applies, judged on an earlier answer."""

    answer: Identifier
    any_of: list[str] | None = None
    not_any_of: list[str] | None = None
    equals: bool | int | float | str | None = None
    is_set: bool | None = None

    @model_validator(mode="after")
    def _one_test(self) -> Condition:
        tests = [self.any_of, self.not_any_of, self.equals, self.is_set]
        if sum(t is not None for t in tests) != 1:
            raise ValueError("give exactly one of any_of, not_any_of, equals, is_set")
        return self

    def holds(self, value: AnswerValue) -> bool:
        values = set(value) if isinstance(value, list) else ({value} if value not in (None, "") else set())
        if self.any_of is not None:
            return bool(values & set(self.any_of))
        if self.not_any_of is not None:
            return not (values & set(self.not_any_of))
        if self.is_set is not None:
            return bool(values) == self.is_set
        return value == self.equals


class Rules(_Strict):
    """Validation limits; which ones make sense depends on the question type."""

    min: float | None = None
    max: float | None = None
    integer: bool = False
    min_length: int | None = None
    max_length: int | None = None
    min_selected: int | None = None
    max_selected: int | None = None


Value = Union[bool, int, float, str, list[str], Text]


class ByAnswer(_Strict):
    """A recommended value that depends on an earlier answer (e.g. on the programme's focus)."""

    by: Identifier
    values: dict[str, Value]
    otherwise: Value | None = None


class Prefill(_Strict):
    """An earlier answer that pre-fills this one: choice ids mapped (lists), or the text copied."""

    answer: Identifier
    map: dict[str, str] | None = None


class Question(_Strict):
    id: Identifier
    type: QuestionType
    prompt: Text
    section: Text | None = None
    help: Text | None = None
    examples: list[Example] = Field(default_factory=list)
    background: list[Identifier] = Field(default_factory=list)
    choices: list[Choice] = Field(default_factory=list)
    other: bool = False
    default: bool | int | float | str | list[str] | Text | None = None
    required: bool = False
    validation: Rules | None = None
    when: list[Condition] = Field(default_factory=list)
    # the quick start asks this question; every other one takes its recommended value
    quick: bool = False
    # the framework's recommended answer, stored (and marked) when the question is not asked;
    # for a list, "all" ticks every choice
    recommended: ByAnswer | Value | None = None
    # an earlier answer that pre-fills or pre-ticks this one
    prefill: Prefill | None = None
    # never asked: it takes the answer of this earlier question (two questions merged into one)
    same_as: Identifier | None = None
    # the default is the plural of this earlier answer (the organisation's own word)
    plural_of: Identifier | None = None
    # questions of one step with the same group are asked together, as one list to tick
    # (yes/no questions, or lists whose choices are joined); the step's `groups` names it
    group: Identifier | None = None
    # theory and long lists that fit only some programmes: asked when this holds; otherwise the
    # question takes its recommended value and waits in the step's review ("show more")
    detail: Condition | None = None

    @model_validator(mode="before")
    @classmethod
    def _when_as_list(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("when"), dict):
            data = {**data, "when": [data["when"]]}
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Question:
        has_choices = self.type in ("single", "multi")
        if has_choices and len(self.choices) < 2:
            raise ValueError(f"a '{self.type}' question needs at least two choices")
        if not has_choices and (self.choices or self.other):
            raise ValueError(f"a '{self.type}' question cannot have choices or 'other'")
        ids = [c.id for c in self.choices]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate choice id(s): {', '.join(dupes)}")
        return self

    def choice(self, choice_id: str) -> Choice | None:
        for c in self.choices:
            if c.id == choice_id:
                return c
        return None

    def default_for(self, lang: Language) -> AnswerValue:
        if isinstance(self.default, Text):
            return self.default.get(lang)
        return self.default

    def applies(self, lookup: Mapping[str, AnswerValue]) -> bool:
        return all(c.holds(lookup.get(c.answer)) for c in self.when)

    def recommended_for(self, lang: Language, lookup: Mapping[str, AnswerValue]) -> AnswerValue:
        """The recommended answer given the answers so far, or None when there is none."""
        rec = self.recommended
        if isinstance(rec, ByAnswer):
            key = lookup.get(rec.by)
            keys = key if isinstance(key, list) else [key]
            found = next((rec.values[k] for k in keys if isinstance(k, str) and k in rec.values), rec.otherwise)
            rec = found
        if isinstance(rec, Text):
            return rec.get(lang)
        if rec == "all" and self.type == "multi":
            return [c.id for c in self.choices]
        return rec

    def prefilled(self, lookup: Mapping[str, AnswerValue]) -> AnswerValue:
        """What an earlier answer says this one should start from, or None."""
        if self.prefill is None:
            return None
        earlier = lookup.get(self.prefill.answer)
        if earlier in (None, "", []):
            return None
        if self.prefill.map is None:
            return earlier
        items = earlier if isinstance(earlier, list) else [earlier]
        mapped = [self.prefill.map[i] for i in items if isinstance(i, str) and i in self.prefill.map]
        if self.type == "multi":
            return mapped or None
        return mapped[0] if mapped else None

    def hidden(self, lookup: Mapping[str, AnswerValue]) -> bool:
        """True when the question is detail that does not fit this programme (it is not asked)."""
        return self.detail is not None and not self.detail.holds(lookup.get(self.detail.answer))

    @property
    def asked(self) -> bool:
        """False for a question merged into another one: it is never asked on its own."""
        return self.same_as is None


class Group(_Strict):
    """Questions asked together as one list: its prompt and help."""

    prompt: Text
    help: Text | None = None


class Step(_Strict):
    """One step of the framework (0 is the project set-up)."""

    number: int = Field(ge=0, le=4)
    id: Identifier
    title: Text
    intro: Text
    groups: dict[str, Group] = Field(default_factory=dict)
    questions: list[Question] = Field(min_length=1)

    @model_validator(mode="after")
    def _groups_known(self) -> Step:
        for q in self.questions:
            if q.group is not None:
                if q.group not in self.groups:
                    raise ValueError(f"question '{q.id}': group '{q.group}' is not declared under 'groups'")
                if q.type not in ("yes_no", "multi"):
                    raise ValueError(f"question '{q.id}': only yes/no questions and lists can be grouped")
        for gid in self.groups:
            kinds = {q.type for q in self.questions if q.group == gid}
            if len(kinds) != 1:
                raise ValueError(f"group '{gid}' must hold questions of one type (yes/no or lists)")
        return self

    def section_of(self, question_id: str) -> Text | None:
        """The heading in force at a question: the last one declared at or before it."""
        current: Text | None = None
        for q in self.questions:
            if q.section is not None:
                current = q.section
            if q.id == question_id:
                return current
        return None


class Topic(_Strict):
    """A background page (OUTLINE section 0), shown as help next to questions."""

    id: Identifier
    title: Text
    body: Text


class Background(_Strict):
    topics: list[Topic]


class Checklists:
    """All steps and background topics, cross-checked."""

    def __init__(self, steps: list[Step], topics: list[Topic]) -> None:
        self.steps = sorted(steps, key=lambda s: s.number)
        self.topics = {t.id: t for t in topics}
        self.questions: dict[str, Question] = {}
        self.step_of: dict[str, Step] = {}
        for step in self.steps:
            for q in step.questions:
                self.questions[q.id] = q
                self.step_of[q.id] = step

    def step(self, number: int) -> Step:
        for s in self.steps:
            if s.number == number:
                return s
        raise KeyError(number)

    @property
    def numbers(self) -> list[int]:
        return [s.number for s in self.steps]

