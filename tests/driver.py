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


def plan(q: Question, lang: str = "en", default: Any = None) -> tuple[str, Any]:
    """The keys that answer ``q`` and the value they should store.

    Text gets a recognisable answer, lists get their second choice by arrow key,
    checkboxes get their first two choices ticked, numbers their lowest valid
    value, yes/no and dates a fixed answer. ``default`` is what the prompt starts
    from (the pre-selected choice, the pre-ticked boxes).
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
        start = 1 if default is False else 0
        return DOWN * ((0 - start) % 2) + ENTER, True
    if q.type == "single":
        wanted = 1
        ids = [c.id for c in q.choices]
        start = ids.index(default) if isinstance(default, str) and default in ids else 0
        size = len(ids) + (1 if q.other else 0)
        return DOWN * ((wanted - start) % size) + ENTER, ids[wanted]
    if q.type == "multi":
        ticked = default if isinstance(default, list) else []
        keys = "".join((SPACE if (c.id in ticked) != (i < 2) else "") + DOWN for i, c in enumerate(q.choices))
        return keys + ENTER, [q.choices[0].id, q.choices[1].id]
    raise AssertionError(q.type)


class Keyboard:
    """Types the keys for each question just before the real prompt reads them."""

    def __init__(
        self,
        pipe: Any,
        script: Callable[[Question, int], str | None],
        choices: Callable[[str, list[Any]], str | None] = lambda message, values: None,
    ) -> None:
        self.pipe = pipe
        self.script = script
        self.choices = choices  # keys for the wizard's own choices (the review); None: Enter
        self.asked: list[str] = []
        self.prompts: list[str] = []
        self.chosen: list[str] = []  # the wizard's own questions, as asked

    def ask(self, q: Question, **kwargs: Any) -> Any:
        self.asked.append(q.id)
        self.prompts.append(kwargs["fill"](q.prompt))
        keys = self.script(q, self.asked.count(q.id))
        if keys is None:
            keys = plan(q, default=kwargs.get("default"))[0]
        self.pipe.send_text(keys)
        return prompts.ask(q, **kwargs)

    def confirm(self, message: str, lang: str, default: bool = True) -> Any:
        self.chosen.append(message)
        self.pipe.send_text(ENTER)
        return prompts.confirm(message, lang, default)

    def choose(self, message: str, options: list[tuple[str, Any]], lang: str) -> Any:
        self.chosen.append(message)
        keys = self.choices(message, [value for _, value in options])
        self.pipe.send_text(ENTER if keys is None else keys)
        return prompts.choose(message, options, lang)


@contextmanager
def keyboard(
    script: Callable[[Question, int], str | None] = lambda q, n: None,
    choices: Callable[[str, list[Any]], str | None] = lambda message, values: None,
) -> Iterator[Keyboard]:
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        yield Keyboard(pipe, script, choices)


def make_wizard(project: Project, path: Path, checklists: Checklists, kb: Keyboard, *, quick: bool = False) -> Wizard:
    console = Console(file=open("/dev/null", "w"), width=100)  # noqa: SIM115
    return Wizard(project, path, checklists, console, asker=kb.ask, confirmer=kb.confirm, chooser=kb.choose, quick=quick)


def members(checklists: Checklists, asked_id: str) -> list[str]:
    """The question ids behind an asked id: itself, or every member of a group asked as one list."""
    if not asked_id.startswith("group_"):
        return [asked_id]
    gid = asked_id.removeprefix("group_")
    return [q.id for s in checklists.steps for q in s.questions if q.group == gid]


def step_number(checklists: Checklists, asked_id: str) -> int:
    return checklists.step_of[members(checklists, asked_id)[0]].number
