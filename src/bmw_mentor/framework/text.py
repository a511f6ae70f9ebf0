"""Texts of the framework: ``{placeholders}`` filled with the organisation's own words, and walkers over texts."""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Iterable, Iterator, Mapping
from typing import Any

from pydantic import BaseModel

from bmw_mentor.framework.schema import AnswerValue, Checklists, Language, Question, Text

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


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
                from bmw_mentor.files.textsafe import clean

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
