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


class Step(_Strict):
    """One step of the framework (0 is the project set-up)."""

    number: int = Field(ge=0, le=4)
    id: Identifier
    title: Text
    intro: Text
    questions: list[Question] = Field(min_length=1)

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

