"""Which questions apply, which are answered, and which saved answers no longer fit."""

from __future__ import annotations

from dataclasses import dataclass, field

from bmw_mentor.framework.answers import AnswerError, normalise
from bmw_mentor.framework.schema import AnswerValue, Checklists, Question, Step
from bmw_mentor.projectfile.project import Project


def applicable(step: Step, lookup: dict[str, AnswerValue]) -> list[Question]:
    """The step's questions whose conditions hold for the answers so far."""
    return [q for q in step.questions if q.applies(lookup)]


def saved_problem(q: Question, project: Project) -> str | None:
    """Why the saved answer to ``q`` no longer fits the current checklist, or None if it fits."""
    step_answers = next((a for a in project.answers.values() if q.id in a), None)
    if step_answers is None:
        return None
    value = step_answers[q.id]
    if value is None or value == []:
        return None  # skipped on purpose
    try:
        normalise(q, value, project.language)
    except AnswerError as exc:
        return str(exc)
    return None


def is_answered(q: Question, project: Project) -> bool:
    """Answered (or deliberately skipped) with a value that still fits."""
    return any(q.id in a for a in project.answers.values()) and saved_problem(q, project) is None


@dataclass
class StepProgress:
    number: int
    title: str
    applicable: int
    answered: int
    completed: bool
    invalid: list[str] = field(default_factory=list)

    @property
    def state(self) -> str:
        if self.invalid:
            return "check"
        if self.answered == 0:
            return "todo"
        if self.answered < self.applicable or not self.completed:
            return "partial"
        return "done"


def step_progress(project: Project, checklists: Checklists) -> list[StepProgress]:
    lookup = project.lookup()
    out = []
    for step in checklists.steps:
        qs = applicable(step, lookup)
        invalid = [q.id for q in qs if saved_problem(q, project) is not None]
        answered = sum(1 for q in qs if is_answered(q, project))
        out.append(
            StepProgress(
                number=step.number,
                title=step.title.get(project.language),
                applicable=len(qs),
                answered=answered,
                completed=step.number in project.steps_completed,
                invalid=invalid,
            )
        )
    return out


def first_open(project: Project, step: Step) -> int | None:
    """Index of the first applicable question without a fitting answer, or None if all are answered."""
    for i, q in enumerate(applicable(step, project.lookup())):
        if not is_answered(q, project):
            return i
    return None


def next_step_number(project: Project, checklists: Checklists) -> int | None:
    """The step a user should work on next, or None when everything is answered."""
    for p in step_progress(project, checklists):
        if p.state != "done":
            return p.number
    return None


def open_questions(project: Project, checklists: Checklists) -> list[str]:
    """Every question that applies and has no fitting answer yet, in checklist order.

    The one count of "still to decide" that ``mentor check`` and ``mentor export`` both report.
    """
    lookup = project.lookup()
    return [q.id for step in checklists.steps for q in applicable(step, lookup) if not is_answered(q, project)]
