"""The checklist schema: steps, questions, choices, help and examples, loaded from YAML.

The YAML files in ``checklists/`` are the only place where framework content
lives. This module validates them with pydantic and gives the rest of the
engine a typed view: which questions a step has, which of them apply given
the answers so far, and what the texts say in the project's language.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Container, Iterable, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from bmw_mentor.errors import ChecklistInvalidError
from bmw_mentor.resources import data_dir

Language = Literal["en", "nl"]
LANGUAGES: tuple[Language, ...] = ("en", "nl")
Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
NonEmpty = Annotated[str, StringConstraints(min_length=1)]
QuestionType = Literal["text", "long_text", "single", "multi", "yes_no", "number", "date"]
AnswerValue = Union[bool, int, float, dt.date, str, list[str], None]

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


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
        if self.default is not None and not isinstance(self.default, Text):
            from bmw_mentor.answers import AnswerError, normalise

            try:
                normalise(self, self.default, "en")
            except AnswerError as exc:
                raise ValueError(f"default does not fit the question: {exc}") from None
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


def _load_model(path: Path, model: type[BaseModel]) -> Any:
    from bmw_mentor import datafile

    return datafile.load_model(path, model)


def _cross_check(checklists: Checklists, files: Mapping[str, Path]) -> None:
    seen: dict[str, str] = {}
    for step in checklists.steps:
        path = files[step.id]
        for q in step.questions:
            if q.id in seen:
                raise ChecklistInvalidError(f"{path}: question id '{q.id}' is also used in {seen[q.id]}")
            seen[q.id] = str(path)
    order = {qid: i for i, qid in enumerate(seen)}
    for step in checklists.steps:
        path = files[step.id]
        for q in step.questions:
            for cond in q.when:
                if cond.answer not in order or order[cond.answer] >= order[q.id]:
                    raise ChecklistInvalidError(
                        f"{path}: question '{q.id}': condition refers to '{cond.answer}', "
                        "which is not an earlier question"
                    )
            for topic in q.background:
                if topic not in checklists.topics:
                    raise ChecklistInvalidError(f"{path}: question '{q.id}': unknown background topic '{topic}'")
            for text in texts_of(q):
                for name in placeholders(text):
                    if not names_one_of(name, order):
                        raise ChecklistInvalidError(
                            f"{path}: question '{q.id}': placeholder {{{name}}} names no question"
                        )


def texts_of(q: Question) -> Iterable[str]:
    """Every user-visible string of a question, in both languages."""
    parts: list[Text | None] = [q.prompt, q.section, q.help]
    parts += [e.text for e in q.examples] + [e.source for e in q.examples]
    parts += [c.label for c in q.choices] + [c.help for c in q.choices]
    if isinstance(q.default, Text):
        parts.append(q.default)
    for t in parts:
        if t is not None:
            yield t.en
            yield t.nl


def load(folder: Path | None = None) -> Checklists:
    """Load and validate every checklist file in ``folder``."""
    folder = folder or data_dir("checklists")
    if not folder.is_dir():
        raise ChecklistInvalidError(f"{folder}: checklist folder not found")
    files = sorted(folder.glob("step*.yaml")) + sorted(folder.glob("setup.yaml"))
    if not files:
        raise ChecklistInvalidError(f"{folder}: no checklist files (setup.yaml, step1.yaml, ...) found")
    steps: list[Step] = []
    by_id: dict[str, Path] = {}
    for path in files:
        step = _load_model(path, Step)
        steps.append(step)
        by_id[step.id] = path
    numbers = sorted(s.number for s in steps)
    if len(set(numbers)) != len(numbers):
        raise ChecklistInvalidError(f"{folder}: two checklist files declare the same step number")
    background_path = folder / "background.yaml"
    topics = _load_model(background_path, Background).topics if background_path.exists() else []
    checklists = Checklists(steps, topics)
    _cross_check(checklists, by_id)
    return checklists


@cache
def shipped() -> Checklists:
    """The checklists that come with the package, validated once and then kept in the user's cache."""
    from bmw_mentor import datafile

    folder = data_dir("checklists")
    return datafile.cached("checklists", folder, (__file__,), Checklists, lambda: load(folder))


class Filler:
    """Fills ``{placeholders}`` in texts from the answers, such as the organisation's word for mentor."""

    def __init__(
        self, checklists: Checklists, lookup: Mapping[str, AnswerValue], lang: Language, *, for_terminal: bool = False
    ) -> None:
        self._checklists = checklists
        self._lookup = lookup
        self._lang = lang
        self._for_terminal = for_terminal

    def value(self, name: str) -> str | None:
        answer = self._lookup.get(name)
        if isinstance(answer, str) and answer.strip():
            if self._for_terminal:
                # typed text must not smuggle escape sequences into the prompts
                from bmw_mentor.textsafe import clean

                return clean(answer.strip())
            return answer.strip()
        q = self._checklists.questions.get(name)
        if q is not None:
            default = q.default_for(self._lang)
            if isinstance(default, str) and default:
                return default
        return None

    def __call__(self, text: Text | str | None, /, **local: str) -> str:
        """Fill ``text``; ``local`` values (a figure, a date, …) come before the answers."""
        if text is None:
            return ""
        raw = text.get(self._lang) if isinstance(text, Text) else text
        return substitute(raw, lambda name: local[name] if name in local else self.value(name))


def placeholders(text: str) -> list[str]:
    """The names of the ``{placeholders}`` in ``text``."""
    return _PLACEHOLDER.findall(text)


def names_one_of(name: str, known: Container[str]) -> bool:
    """Whether placeholder ``name`` (or its lower-case form, for ``{Mentor}``) is in ``known``."""
    return name in known or name[:1].lower() + name[1:] in known


def substitute(raw: str, value: Callable[[str], str | None]) -> str:
    """Replace each ``{name}`` by ``value(name)``; ``{Name}`` gives ``value("name")`` capitalised.

    A placeholder without a value is left as it is.
    """

    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        found = value(name)
        if found is not None:
            return found
        lowered = name[:1].lower() + name[1:]
        if lowered != name:
            found = value(lowered)
            if found is not None:
                return found[:1].upper() + found[1:]
        return m.group(0)

    return _PLACEHOLDER.sub(sub, raw)


def texts_in(node: Any) -> Iterator[Text]:
    """Every :class:`Text` inside a loaded data model, however deeply nested."""
    if isinstance(node, Text):
        yield node
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from texts_in(getattr(node, name))
    elif isinstance(node, (list, tuple)):
        for item in node:
            yield from texts_in(item)
    elif isinstance(node, dict):
        for item in node.values():
            yield from texts_in(item)
