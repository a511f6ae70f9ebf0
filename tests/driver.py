"""Keystrokes that answer a question through the real prompts (pipe input or a pseudo-terminal)."""

from __future__ import annotations

from typing import Any

from bmw_mentor.checklist import Question

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
