"""The keys a prompt names are the keys that work there, and no others."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from driver import DOWN, ENTER, SPACE
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from bmw_mentor.framework.schema import Checklists, Question
from bmw_mentor.framework.text import Filler
from bmw_mentor.wizard import prompts


@contextmanager
def typed(keys: str) -> Iterator[None]:
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text(keys)
        yield


def ask(q: Question, checklists: Checklists, keys: str, default: Any = None) -> Any:
    with typed(keys):
        return prompts.ask(q, lang="en", fill=Filler(checklists, {}, "en"), default=default)


@pytest.fixture
def with_other(checklists: Checklists) -> Question:
    return next(q for q in checklists.questions.values() if q.type == "multi" and q.other and not q.required)


def test_a_ticks_every_choice_but_other(with_other: Question, checklists: Checklists) -> None:
    assert ask(with_other, checklists, "a" + ENTER) == [c.id for c in with_other.choices]


def test_a_again_ticks_none(with_other: Question, checklists: Checklists) -> None:
    assert ask(with_other, checklists, "aa" + ENTER) == []
    # with one box ticked by hand, "a" ticks the rest rather than clearing
    assert ask(with_other, checklists, SPACE + "a" + ENTER) == [c.id for c in with_other.choices]


def test_unnamed_keys_do_nothing(with_other: Question, checklists: Checklists) -> None:
    # questionary's "i" (invert) and "j"/"k" (move) are not named in the hint, so they do nothing
    assert ask(with_other, checklists, "ij" + SPACE + ENTER) == [with_other.choices[0].id]
    single = next(q for q in checklists.questions.values() if q.type == "single" and not q.default)
    assert ask(single, checklists, "jj" + ENTER) == single.choices[0].id
    assert ask(single, checklists, DOWN + "k" + ENTER) == single.choices[1].id


def test_question_mark_as_the_whole_answer_asks_for_help(checklists: Checklists) -> None:
    q = checklists.questions["org_name"]
    outcome = ask(q, checklists, "?" + ENTER)
    assert isinstance(outcome, prompts.HelpRequest) and outcome.pending is None
    # inside an answer it is just a character
    assert ask(q, checklists, "Why? Inc" + ENTER) == "Why? Inc"
