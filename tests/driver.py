"""Keystrokes that answer a question through the real prompts (pipe input or a pseudo-terminal)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.console import Console

from bmw_mentor.framework.schema import Checklists, Question
from bmw_mentor.projectfile.project import Project
from bmw_mentor.wizard import prompts
from bmw_mentor.wizard.loop import Wizard

DOWN = "\x1b[B"
ENTER = "\r"
SPACE = " "
CLEAR = "\x15"  # Ctrl-U: empty the line, so that a pre-filled default is replaced
CTRL_C = "\x03"
ESC = "\x1b"
F1 = "\x1bOP"

TERMS = {"mentor": "buddy", "mentors": "buddies", "mentee": "starter", "mentees": "starters"}


def plan(q: Question, lang: str = "en") -> tuple[str, Any]:
    """The keys that answer ``q`` and the value they should store.

    Text gets a recognisable answer, lists get their second choice by arrow key,
    checkboxes get their first two choices ticked, numbers their lowest valid
    value, yes/no and dates a fixed answer.
    """
    if q.id in TERMS:
        return CLEAR + TERMS[q.id] + ENTER, TERMS[q.id]
    if q.type in ("text", "long_text"):
        text = f"Answer to {q.id} <b>&amp;</b>"
        return CLEAR + text + ENTER, text
    if q.type == "number":
        rules = q.validation
        n = int(rules.min) if rules and rules.min is not None and rules.min > 0 else 3
        if q.id == "programme_months":
            n = 18
        return CLEAR + str(n) + ENTER, n
    if q.type == "date":
        return CLEAR + "1/3/2027" + ENTER, "2027-03-01"
    if q.type == "yes_no":
        start = 1 if q.default is False else 0
        return DOWN * ((0 - start) % 2) + ENTER, True
    if q.type == "single":
        wanted = 1
        ids = [c.id for c in q.choices]
        start = ids.index(q.default) if isinstance(q.default, str) and q.default in ids else 0
        size = len(ids) + (1 if q.other else 0)
        return DOWN * ((wanted - start) % size) + ENTER, ids[wanted]
    if q.type == "multi":
        return SPACE + DOWN + SPACE + ENTER, [q.choices[0].id, q.choices[1].id]
    raise AssertionError(q.type)


class Keyboard:
    """Types the keys for each question just before the real prompt reads them."""

    def __init__(self, pipe: Any, script: Callable[[Question, int], str | None]) -> None:
        self.pipe = pipe
        self.script = script
        self.asked: list[str] = []
        self.prompts: list[str] = []

    def ask(self, q: Question, **kwargs: Any) -> Any:
        self.asked.append(q.id)
        self.prompts.append(kwargs["fill"](q.prompt))
        keys = self.script(q, self.asked.count(q.id))
        if keys is None:
            keys = plan(q)[0]
        self.pipe.send_text(keys)
        return prompts.ask(q, **kwargs)

    def confirm(self, message: str, lang: str, default: bool = True) -> Any:
        self.pipe.send_text(ENTER)
        return prompts.confirm(message, lang, default)


@contextmanager
def keyboard(script: Callable[[Question, int], str | None] = lambda q, n: None) -> Iterator[Keyboard]:
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        yield Keyboard(pipe, script)


def make_wizard(project: Project, path: Path, checklists: Checklists, kb: Keyboard) -> Wizard:
    console = Console(file=open("/dev/null", "w"), width=100)  # noqa: SIM115
    return Wizard(project, path, checklists, console, asker=kb.ask, confirmer=kb.confirm)
