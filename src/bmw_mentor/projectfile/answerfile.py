"""Non-interactive mode: answers prepared in a YAML file, checked exactly like typed ones."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bmw_mentor.errors import AnswersInvalidError
from bmw_mentor.files import yamlio
from bmw_mentor.framework.answers import AnswerError, normalise
from bmw_mentor.framework.schema import Checklists
from bmw_mentor.messages import say
from bmw_mentor.projectfile import progress
from bmw_mentor.projectfile.project import Project


def read(path: Path) -> dict[str, Any]:
    """Read an answers file into ``{question_id: value}``.

    Three shapes are accepted: a flat mapping of question ids; a mapping of step
    ids (``setup``, ``step1`` …) to such mappings; or a whole project file,
    whose ``answers`` section is used.
    """
    try:
        data = yamlio.load_file(path)
    except FileNotFoundError:
        raise AnswersInvalidError(say("answers_not_found", path=path)) from None
    except OSError as exc:
        raise AnswersInvalidError(say("file_unreadable", path=path, reason=exc.strerror or exc)) from None
    except yamlio.YamlSyntaxError as exc:
        raise AnswersInvalidError(str(exc)) from None
    if not isinstance(data, dict):
        raise AnswersInvalidError(say("answers_not_mapping", path=path))
    if isinstance(data.get("answers"), dict):
        data = data["answers"]
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if key in ("language", "schema_version"):
            continue
        if isinstance(key, str) and (key == "setup" or key.startswith("step")) and isinstance(value, dict):
            flat.update(value)
        else:
            flat[str(key)] = value
    return flat


def language_of(path: Path) -> str | None:
    """The ``language:`` key of an answers file, if it has one."""
    try:
        data = yamlio.load_file(path)
    except (OSError, yamlio.YamlSyntaxError):
        return None
    lang = data.get("language") if isinstance(data, dict) else None
    return lang if lang in ("en", "nl") else None


def apply(
    project: Project, checklists: Checklists, answers: dict[str, Any], numbers: list[int], source: Path
) -> tuple[int, list[str]]:
    """Validate and store the answers for the steps in ``numbers``.

    Returns how many answers were stored, and the ids that belong to other steps
    and were left alone.

    All problems are collected and reported together, one line each, and then
    nothing is stored: a half-applied file would be harder to reason about.
    """
    problems: list[str] = []
    unknown = [k for k in answers if k not in checklists.questions]
    for key in unknown:
        problems.append(f"{source}: '{key}' is not a question of bmw-mentor")
    in_scope = {q.id for n in numbers for q in checklists.step(n).questions}
    staged = project.model_copy(deep=True)
    stored = 0
    for number in numbers:
        step = checklists.step(number)
        for q in step.questions:
            if q.id not in answers:
                continue
            if not q.applies(staged.lookup()):
                problems.append(f"{source}: '{q.id}' does not apply given the other answers (see its condition)")
                continue
            try:
                value = normalise(q, answers[q.id], project.language)
            except AnswerError as exc:
                problems.append(f"{source}: '{q.id}': {exc}")
                continue
            staged.set_answer(checklists, q.id, value)
            stored += 1
    if problems:
        raise AnswersInvalidError("\n".join(problems))
    for number in numbers:
        step = checklists.step(number)
        if progress.first_open(staged, step) is None:
            staged.mark_completed(number)
    project.answers = staged.answers
    project.steps_completed = staged.steps_completed
    ignored = [k for k in answers if k in checklists.questions and k not in in_scope]
    return stored, ignored
