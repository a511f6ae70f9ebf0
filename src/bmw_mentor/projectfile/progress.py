"""Which questions apply, which are answered, and which saved answers no longer fit."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bmw_mentor.framework.answers import AnswerError, normalise
from bmw_mentor.framework.schema import AnswerValue, Checklists, Language, Question, Step
from bmw_mentor.framework.text import Filler
from bmw_mentor.projectfile.project import Project

# Rough minutes a person needs per question, reading the explanation included.
MINUTES = {"text": 0.5, "long_text": 2.0, "multi": 1.0, "single": 0.5, "yes_no": 0.4, "number": 0.4, "date": 0.4}


def step_arg(number: int) -> str:
    """How the user names a step on the command line: ``setup`` for the set-up, else its number."""
    return "setup" if number == 0 else str(number)


def applicable(step: Step, lookup: Mapping[str, AnswerValue], *, quick: bool = False) -> list[Question]:
    """The step's questions that are asked, given the answers so far (only the quick start's, if ``quick``)."""
    return [q for q in step.questions if q.asked and (q.quick or not quick) and q.applies(lookup) and not q.hidden(lookup)]


def reviewable(step: Step, lookup: Mapping[str, AnswerValue]) -> list[Question]:
    """The step's questions shown in its review: also the detail that was not asked ("show more")."""
    return [q for q in step.questions if q.asked and q.applies(lookup)]


def units(questions: list[Question]) -> list[list[Question]]:
    """The questions as they are asked: a group's members together, at the place of the first one."""
    out: list[list[Question]] = []
    by_group: dict[str, list[Question]] = {}
    for q in questions:
        if q.group is not None and q.group in by_group:
            by_group[q.group].append(q)
            continue
        unit = [q]
        if q.group is not None:
            by_group[q.group] = unit
        out.append(unit)
    return out


def suggested(q: Question, lookup: Mapping[str, AnswerValue], checklists: Checklists, lang: Language) -> AnswerValue:
    """What an unanswered question starts from: an earlier answer, the plural of the word typed,
    the framework's recommended value, or the question's plain default."""
    from bmw_mentor.framework.words import plural

    value = q.prefilled(lookup)
    if value is None and q.plural_of is not None:
        word = lookup.get(q.plural_of)
        value = plural(word, lang) if isinstance(word, str) and word.strip() else None
    if value is None:
        value = q.recommended_for(lang, lookup)
    if value is None:
        value = q.default_for(lang)
    if isinstance(value, str) and q.type in ("text", "long_text"):
        value = Filler(checklists, dict(lookup), lang)(value)
    return value


def step_total(project: Project, checklists: Checklists, step: Step, *, quick: bool = False) -> int:
    """How many prompts the step asks when every open answer takes its suggested value.

    Fixed when the step starts, so that "question k of n" does not move; ``mentor status``
    shows the same number.
    """
    return _simulate(dict(project.lookup()), checklists, step, project.language, quick)


def path_total(project: Project, checklists: Checklists, *, quick: bool = False) -> tuple[int, list[Question]]:
    """Prompts and questions of every step in a row, each open answer taking its suggested value."""
    lookup = dict(project.lookup())
    count = sum(_simulate(lookup, checklists, step, project.language, quick) for step in checklists.steps)
    asked = [q for step in checklists.steps for q in applicable(step, lookup, quick=quick)]
    return count, asked


def _simulate(lookup: dict[str, AnswerValue], checklists: Checklists, step: Step, lang: Language, quick: bool) -> int:
    count = 0
    groups: set[str] = set()
    for q in step.questions:
        if not q.asked or not q.applies(lookup):
            continue
        if (q.quick or not quick) and not q.hidden(lookup) and (q.group is None or q.group not in groups):
            count += 1  # a group is one prompt
            if q.group is not None:
                groups.add(q.group)
        if q.id not in lookup:
            value = suggested(q, lookup, checklists, lang)
            if value is None and q.type in ("yes_no", "single"):
                # Enter on a list without a default takes its first entry ("Yes" for yes/no)
                value = True if q.type == "yes_no" else q.choices[0].id
            lookup[q.id] = value
    return count


def fill_recommended(project: Project, checklists: Checklists, step: Step, *, quick: bool = True) -> dict[str, AnswerValue]:
    """Give every open question of ``step`` that was not asked its recommended value.

    That is everything the quick start skips, or (``quick`` False) only the detail that does
    not fit this programme. The values are marked as defaults still to review. Returns the
    answers filled in.
    """
    filled: dict[str, AnswerValue] = {}
    for q in step.questions:
        lookup = project.lookup()
        skipped = (quick and not q.quick) or q.hidden(lookup)
        if not q.asked or not skipped or not q.applies(lookup) or is_answered(q, project):
            continue
        value = suggested(q, lookup, checklists, project.language)
        if value is None or (value == [] and q.recommended != []):
            continue
        try:
            value = normalise(q, value, project.language)
        except AnswerError:
            continue
        project.set_answer(checklists, q.id, value, default=True)
        filled[q.id] = value
    return filled


def minutes(questions: list[Question]) -> int:
    """A rough time estimate for answering ``questions``, in whole minutes (at least 1)."""
    return max(1, round(sum(MINUTES[q.type] for q in questions)))


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
    defaults: int = 0  # answers that are recommended defaults still to review
    minutes: int = 0  # rough time the open questions still need

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
        # counted in prompts, like "question k of n": a group of questions asked together is one
        answered = sum(1 for unit in units(qs) if all(is_answered(q, project) for q in unit))
        open_qs = [q for q in qs if not is_answered(q, project)]
        out.append(
            StepProgress(
                number=step.number,
                title=step.title.get(project.language),
                applicable=max(step_total(project, checklists, step), answered),
                answered=answered,
                completed=step.number in project.steps_completed,
                invalid=invalid,
                defaults=sum(1 for unit in units(reviewable(step, lookup)) if any(q.id in project.defaults for q in unit)),
                minutes=minutes(open_qs) if open_qs else 0,
            )
        )
    return out


def first_open(project: Project, step: Step, *, quick: bool = False) -> int | None:
    """Index of the first prompt (a question or a group) with an open answer, or None if all are answered."""
    for i, unit in enumerate(units(applicable(step, project.lookup(), quick=quick))):
        if not all(is_answered(q, project) for q in unit):
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
