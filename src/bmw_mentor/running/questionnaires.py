"""The evaluation questionnaires and report settings (``checklists/evaluation.yaml``), and the blank sheets.

``mentor evaluate template`` writes one workbook with a sheet per questionnaire:
one column per question, the answer scale in the header, so that answers typed
in or exported from a web form map one to one.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from pydantic import BaseModel, ConfigDict, Field, model_validator

from bmw_mentor.files.resources import data_dir
from bmw_mentor.framework import datafile
from bmw_mentor.framework.schema import AnswerValue, Checklists, Condition, Identifier, Text
from bmw_mentor.framework.text import Filler


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Scale(_Strict):
    points: list[Text] = Field(min_length=2, max_length=10)


class Column(_Strict):
    header: Text
    aliases: list[str] = Field(default_factory=list)


class Group(_Strict):
    label: Text
    answer: Text
    aliases: list[str] = Field(default_factory=list)


class Question(_Strict):
    id: Identifier
    text: Text
    scale: str | None = None  # None: an open question


class Headline(_Strict):
    """A sentence for the report's summary, from one closed question: {value} is its average or share of yes."""

    question: Identifier
    text: Text


class Questionnaire(_Strict):
    id: Identifier
    sheet: Text
    title: Text
    intro: Text
    when: Condition | None = None
    headlines: list[Headline] = Field(default_factory=list)
    questions: list[Question]


class Measure(_Strict):
    id: Identifier
    question: str
    keywords: list[str]
    label: Text


class StepText(_Strict):
    when: Condition | None = None
    text: Text


class NextStep(_Strict):
    id: Identifier
    texts: list[StepText] = Field(min_length=1)


class Evaluation(_Strict):
    threshold: int = Field(ge=1, le=50)
    scales: dict[str, Scale]
    columns: dict[str, Column]
    groups: dict[str, Group]
    questionnaires: list[Questionnaire]
    measures: list[Measure]
    every_words: list[str]
    of_words: list[str]
    next_steps: list[NextStep]
    report: dict[str, Text]

    @model_validator(mode="after")
    def _cross_check(self) -> Evaluation:
        for q in self.questionnaires:
            for question in q.questions:
                if question.scale is not None and question.scale not in self.scales:
                    raise ValueError(f"{q.id}.{question.id}: unknown scale '{question.scale}'")
        ids = {f"{q.id}.{question.id}": question for q in self.questionnaires for question in q.questions}
        for q in self.questionnaires:
            for h in q.headlines:
                if ids.get(f"{q.id}.{h.question}") is None or ids[f"{q.id}.{h.question}"].scale is None:
                    raise ValueError(f"{q.id}: headline '{h.question}' is not a closed question of it")
        for m in self.measures:
            if m.question not in ids or ids[m.question].scale is None:
                raise ValueError(f"measure {m.id}: '{m.question}' is not a closed question")
        if {"group", "name"} - set(self.columns) or "unknown" not in self.groups:
            raise ValueError("columns need group and name; groups need 'unknown'")
        return self

    def questionnaire(self, qid: str) -> Questionnaire:
        return next(q for q in self.questionnaires if q.id == qid)


@cache
def evaluation() -> Evaluation:
    return datafile.load_model(data_dir("checklists") / "evaluation.yaml", Evaluation)


@dataclass(frozen=True)
class Words:
    """Fills the organisation's own words ({mentor}, {org_name}) into the questionnaire texts."""

    checklists: Checklists
    answers: Mapping[str, AnswerValue]
    lang: str

    def __call__(self, text: Text, **local: str) -> str:
        return Filler(self.checklists, self.answers, self.lang)(text, **local)  # type: ignore[arg-type]


def scale_hint(scale_id: str, lang: str) -> str:
    """The answer scale as it stands in a column header: ``(1 = very poor … 5 = excellent)``."""
    points = evaluation().scales[scale_id].points
    if scale_id == "yes_no":
        return f"({points[1].get(lang)} / {points[0].get(lang)})"  # type: ignore[arg-type]
    return f"(1 = {points[0].get(lang)} … {len(points)} = {points[-1].get(lang)})"  # type: ignore[arg-type]


def header(question: Question, words: Words) -> str:
    text = words(question.text)
    return f"{text} {scale_hint(question.scale, words.lang)}" if question.scale else text


def applicable(words: Words) -> list[Questionnaire]:
    return [q for q in evaluation().questionnaires if q.when is None or q.when.holds(words.answers.get(q.when.answer))]


def template(words: Words) -> bytes:
    """The blank questionnaires as one .xlsx workbook, a sheet each, ready for answers."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    ev = evaluation()
    lang = words.lang
    book = Workbook()
    book.remove(book.active)
    groups = [words(g.answer) for gid, g in ev.groups.items() if gid != "unknown"]
    for q in applicable(words):
        sheet = book.create_sheet(words(q.sheet)[:31])
        heads = [ev.columns["group"].header.get(lang), ev.columns["name"].header.get(lang)]  # type: ignore[arg-type]
        heads += [header(question, words) for question in q.questions]
        sheet.append(heads)
        for col, cell in enumerate(sheet[1], start=1):
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            sheet.column_dimensions[cell.column_letter].width = 16 if col <= 2 else 30
        sheet.row_dimensions[1].height = 75
        sheet.freeze_panes = "A2"
        # a drop-down for the group, and whole numbers within the scale, so typed answers stay readable
        choice = DataValidation(type="list", formula1='"' + ",".join(groups) + '"', allow_blank=True)
        sheet.add_data_validation(choice)
        choice.add("A2:A500")
        for col, question in enumerate(q.questions, start=3):
            if question.scale is None:
                continue
            letter = sheet.cell(row=1, column=col).column_letter
            points = ev.scales[question.scale].points
            if question.scale == "yes_no":
                rule = DataValidation(
                    type="list",
                    formula1=f'"{points[1].get(lang)},{points[0].get(lang)}"',
                    allow_blank=True,  # type: ignore[arg-type]
                )
            else:
                rule = DataValidation(
                    type="whole", operator="between", formula1="1", formula2=str(len(points)), allow_blank=True
                )
            sheet.add_data_validation(rule)
            rule.add(f"{letter}2:{letter}500")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
