"""The review at the end of a step: a compact table of the step's answers."""

from __future__ import annotations

import datetime as dt

from rich.markup import escape
from rich.table import Table

from bmw_mentor.files.textsafe import clean
from bmw_mentor.framework.schema import AnswerValue, Language, Question
from bmw_mentor.framework.text import Filler
from bmw_mentor.messages import msg


def short(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def shown(q: Question, value: AnswerValue, fill: Filler, lang: Language) -> str:
    """An answer as a person reads it: choice labels, Yes/No, a date written out."""
    if value is None or value == [] or value == "":
        return msg("review_none", lang)
    if isinstance(value, bool):
        return msg("word_yes" if value else "word_no", lang)
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, list):
        labels = [fill(c.label) if (c := q.choice(v)) is not None else v for v in value]
        return "; ".join(labels)
    if isinstance(value, str) and q.type == "single":
        found = q.choice(value)
        return fill(found.label) if found is not None else value
    return str(value)


def table(
    questions: list[Question], answers: dict[str, AnswerValue], defaults: list[str], fill: Filler, lang: Language
) -> Table:
    """One row per question: the question, shortened, and the answer, marked when it is a recommended default."""
    grid = Table(title=msg("review_title", lang), title_justify="left", show_header=False, box=None, padding=(0, 1))
    grid.add_column(style="dim", ratio=2)
    grid.add_column(ratio=3)
    mark = msg("review_recommended", lang)
    for q in questions:
        if q.id in answers:
            text = escape(clean(short(shown(q, answers[q.id], fill, lang), 140)))
            if q.id in defaults:
                text += f" [cyan]({mark})[/]"
        else:
            text = f"[yellow]{msg('review_open', lang)}[/]"
        grid.add_row(escape(clean(short(fill(q.prompt), 60))), text)
    return grid
