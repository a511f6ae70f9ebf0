"""What every document's builder shares: the answers that fit, the organisation's words, dates and open points."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from bmw_mentor import messages
from bmw_mentor.documents.context import Document, Milestone, Todo, TodoGroup, Value
from bmw_mentor.documents.dates import add_months, working_day
from bmw_mentor.documents.spec import At, PlansSpec
from bmw_mentor.errors import ChecklistInvalidError
from bmw_mentor.framework.schema import AnswerValue, Checklists, Condition, Language, Question, Text
from bmw_mentor.framework.text import Filler
from bmw_mentor.projectfile.project import Project


def unanswered(value: AnswerValue) -> bool:
    """Not answered. An empty list is an answer: none of the choices applies."""
    return value is None or value == ""


def number_text(value: float, lang: Language) -> str:
    return messages.number_text(value, lang, decimals=2)


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() or len(text) == 1 else text


class Builder:
    """The answers, the words and the open points shared by every document's builder."""

    def __init__(self, project: Project, checklists: Checklists, spec: PlansSpec, strings: Mapping[str, Any]) -> None:
        self.project = project
        self.checklists = checklists
        self.spec = spec
        self.lang: Language = project.language
        self.lookup = fitting_answers(project, checklists)
        self.s: dict[str, Any] = {k: (v.get(self.lang) if isinstance(v, dict) else v) for k, v in strings.items()}
        self.fill = Filler(checklists, self._text_lookup(), self.lang)
        self.todos: list[Todo] = []
        self.doc = ""
        self.anchors = self._anchors()
        # filled in place by build_milestones(); the programme plan's block refers to this list
        self.milestones: list[Milestone] = []

    # -- words and values ------------------------------------------------
    def _text_lookup(self) -> dict[str, AnswerValue]:
        """Answers as the text a placeholder shows: numbers and dates written out."""
        out: dict[str, AnswerValue] = {}
        for key, value in self.lookup.items():
            if isinstance(value, bool) or value is None:
                continue
            if isinstance(value, (int, float)):
                out[key] = number_text(value, self.lang)
            elif isinstance(value, dt.date):
                out[key] = self.date(value)
            elif isinstance(value, str):
                out[key] = value
        return out

    def t(self, text: Text | str | None, **local: str) -> str:
        """Fill a text from plans.yaml: the organisation's words first, then the item's own values."""
        return self.fill(text, **local)

    def str_(self, key: str, **params: Any) -> str:
        raw = self.s[key]
        return raw.format(**params) if params else raw

    def date(self, day: dt.date) -> str:
        return messages.date_text(day, self.lang)

    def q(self, qid: str) -> Question:
        return self.checklists.questions[qid]

    def applies(self, qid: str) -> bool:
        return self.q(qid).applies(self.lookup)

    def answer(self, qid: str) -> AnswerValue:
        return self.lookup.get(qid)

    def todo(self, label: str, qid: str) -> Todo:
        """Record an open decision (once per question and label) and return it."""
        step = self.checklists.step_of[qid].number
        for existing in self.todos:
            if existing.question == qid and existing.doc == self.doc:
                return existing
        found = Todo(label=label, step=step, doc=self.doc, question=qid)
        self.todos.append(found)
        return found

    def choice_label(self, qid: str, choice: str) -> str:
        found = self.q(qid).choice(choice)
        return self.fill(found.label) if found is not None else choice

    def labels(self, qid: str, exclude: Iterable[str] = ()) -> list[str]:
        value = self.answer(qid)
        items = value if isinstance(value, list) else ([value] if isinstance(value, str) and value else [])
        skip = set(exclude)
        return [self.choice_label(qid, c) for c in items if c not in skip]

    def conditions(self, conds: Iterable[Condition], label: str) -> bool | None:
        """True/False when the conditions can be judged; None when an answer they need is still open."""
        for cond in conds:
            value = self.lookup.get(cond.answer)
            if unanswered(value) and not isinstance(value, bool) and self.applies(cond.answer):
                if cond.is_set is None:
                    self.todo(label, cond.answer)
                    return None
            if not cond.holds(value):
                return False
        return True

    def owner(self, qid: str) -> Value:
        value = self.answer(qid)
        if isinstance(value, str) and value.strip():
            return Value(text=value.strip())  # typed text: never filled in as a template
        coordinator = self.answer("coordinator_name")
        if qid.startswith("task_") and isinstance(coordinator, str) and coordinator.strip():
            return Value(text=coordinator.strip())
        return Value(todo=self.todo(self.fill(self.q(qid).prompt), qid))

    # -- anchors and moments ---------------------------------------------
    def _anchors(self) -> dict[str, dt.date | None]:
        start = self.answer("start_date")
        launch = start if isinstance(start, dt.date) else None
        months = self.answer("programme_months")
        end = add_months(launch, months) if launch and isinstance(months, (int, float)) and not isinstance(months, bool) else None
        rel = self.answer("relationship_months")
        rel_end = add_months(launch, rel) if launch and isinstance(rel, (int, float)) and not isinstance(rel, bool) else None
        mid = launch + (end - launch) / 2 if launch and end else None
        return {"launch": launch, "end": end, "midpoint": mid, "relationship_end": rel_end}

    _ANCHOR_QUESTION = {"launch": "start_date", "end": "programme_months", "midpoint": "programme_months", "relationship_end": "relationship_months"}

    def when(self, at: At, label: str) -> tuple[dt.date | None, str]:
        """The date of a moment (None when an answer it needs is open) and its wording relative to the anchor."""
        months = at.months
        if at.months_answer:
            extra = self.answer(at.months_answer)
            if not isinstance(extra, (int, float)) or isinstance(extra, bool):
                self.todo(label, at.months_answer)
                return None, ""
            months += extra
        moment = self.moment(at.anchor, at.weeks, months)
        base = self.anchors[at.anchor]
        if base is None:
            qid = "start_date" if self.anchors["launch"] is None else self._ANCHOR_QUESTION[at.anchor]
            self.todo(label, qid)
            return None, moment
        day = add_months(base, months) + dt.timedelta(weeks=at.weeks)
        if not (at.anchor == "launch" and not at.weeks and not months):
            day = working_day(day)
        return day, moment

    def moment(self, anchor: str, weeks: int, months: float) -> str:
        if not weeks and not months:
            return self.s[f"at_{anchor}"]
        parts = []
        if months:
            n = abs(months)
            parts.append(self.s["unit_month"] if n == 1 else self.str_("unit_months", n=number_text(n, self.lang)))
        if weeks:
            parts.append(self.s["unit_week"] if abs(weeks) == 1 else self.str_("unit_weeks", n=abs(weeks)))
        amount = parts[0] if len(parts) == 1 else self.str_("rel_and", a=parts[0], b=parts[1])
        before = (months or 0) * 4 + weeks < 0
        text = self.str_("rel_before" if before else "rel_after", amount=amount, anchor=self.s[f"anchor_{anchor}"])
        return text[:1].upper() + text[1:]

    # -- all together ------------------------------------------------------------
    def todo_groups(self, docs: list[Document]) -> list[TodoGroup]:
        shown = {d.id for d in docs}
        steps: dict[int, list[Todo]] = {}
        for todo in self.todos:
            if todo.doc in shown:
                steps.setdefault(todo.step, []).append(todo)
        groups = []
        for number in sorted(steps):
            step = self.checklists.step(number)
            title = self.fill(step.title) if number == 0 else f"{self.str_('todo_step', n=number)}: {self.fill(step.title)}"
            groups.append(TodoGroup(number, title, f"mentor step {'setup' if number == 0 else number}", steps[number]))
        return groups


def fitting_answers(project: Project, checklists: Checklists) -> dict[str, AnswerValue]:
    """The answers that fit their question today, in stored form.

    A hand-edited project file may hold a value the checklist no longer accepts;
    the plans treat it as unanswered (a "to decide" item) rather than guess.
    """
    from bmw_mentor.framework.answers import AnswerError, normalise

    out: dict[str, AnswerValue] = {}
    for qid, value in project.lookup().items():
        q = checklists.questions.get(qid)
        if q is None or unanswered(value):
            continue
        try:
            out[qid] = normalise(q, value, project.language)
        except AnswerError:
            continue
    return out


@cache
def strings() -> dict[str, Any]:
    """The documents' own words (``templates/strings.yaml``)."""
    from bmw_mentor.files import yamlio
    from bmw_mentor.files.resources import data_dir

    path = data_dir("templates") / "strings.yaml"
    try:
        data = yamlio.load_file(path)
    except (OSError, yamlio.YamlSyntaxError) as exc:
        raise ChecklistInvalidError(f"{path}: cannot be read ({exc})") from None
    if not isinstance(data, dict) or any(not isinstance(v, dict) or set(v) != {"en", "nl"} for v in data.values()):
        raise ChecklistInvalidError(f"{path}: every entry needs an 'en' and an 'nl' text")
    return data

