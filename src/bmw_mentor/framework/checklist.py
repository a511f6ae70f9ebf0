"""Loading the checklists: every file validated, then cross-checked as a whole."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from bmw_mentor.errors import ChecklistInvalidError
from bmw_mentor.files.resources import data_dir
from bmw_mentor.framework import schema
from bmw_mentor.framework.answers import AnswerError, normalise
from bmw_mentor.framework.schema import Background, ByAnswer, Checklists, Question, Step, Text
from bmw_mentor.framework.text import names_one_of, placeholders, texts_of


def _load_model(path: Path, model: type[BaseModel]) -> Any:
    from bmw_mentor.framework import datafile

    return datafile.load_model(path, model)


def _cross_check(checklists: Checklists, files: Mapping[str, Path]) -> None:
    seen: dict[str, str] = {}
    for step in checklists.steps:
        path = files[step.id]
        for q in step.questions:
            if q.id in seen:
                raise ChecklistInvalidError(f"{path}: question id '{q.id}' is also used in {seen[q.id]}")
            seen[q.id] = str(path)
            if q.default is not None and not isinstance(q.default, Text):
                try:
                    normalise(q, q.default, "en")
                except AnswerError as exc:
                    raise ChecklistInvalidError(f"{path}: question '{q.id}': default does not fit the question: {exc}") from None
    order = {qid: i for i, qid in enumerate(seen)}
    for step in checklists.steps:
        path = files[step.id]
        for q in step.questions:
            for cond in q.when:
                if cond.answer not in order or order[cond.answer] >= order[q.id]:
                    raise ChecklistInvalidError(
                        f"{path}: question '{q.id}': condition refers to '{cond.answer}', "
                        "which is not an earlier question"
                    )
            refs = [r for r in (q.same_as, q.plural_of, q.prefill.answer if q.prefill else None, q.detail.answer if q.detail else None) if r]
            if isinstance(q.recommended, ByAnswer):
                refs.append(q.recommended.by)
            for ref in refs:
                if ref not in order or order[ref] >= order[q.id]:
                    raise ChecklistInvalidError(
                        f"{path}: question '{q.id}': '{ref}' is not an earlier question"
                    )
            _check_recommended(q, path)
            for topic in q.background:
                if topic not in checklists.topics:
                    raise ChecklistInvalidError(f"{path}: question '{q.id}': unknown background topic '{topic}'")
            for text in texts_of(q):
                for name in placeholders(text):
                    if not names_one_of(name, order):
                        raise ChecklistInvalidError(
                            f"{path}: question '{q.id}': placeholder {{{name}}} names no question"
                        )


def _check_recommended(q: Question, path: Path) -> None:
    """A recommended value must be an answer the question accepts, in every case it covers."""
    rec = q.recommended
    cases = list(rec.values.values()) + ([rec.otherwise] if rec.otherwise is not None else []) if isinstance(rec, ByAnswer) else [rec]
    for value in cases:
        if value is None or isinstance(value, Text) or (value == "all" and q.type == "multi"):
            continue
        try:
            normalise(q, value, "en")
        except AnswerError as exc:
            raise ChecklistInvalidError(f"{path}: question '{q.id}': recommended value does not fit: {exc}") from None


def load(folder: Path | None = None) -> Checklists:
    """Load and validate every checklist file in ``folder``."""
    folder = folder or data_dir("checklists")
    if not folder.is_dir():
        raise ChecklistInvalidError(f"{folder}: checklist folder not found")
    files = sorted(folder.glob("step*.yaml")) + sorted(folder.glob("setup.yaml"))
    if not files:
        raise ChecklistInvalidError(f"{folder}: no checklist files (setup.yaml, step1.yaml, ...) found")
    steps: list[Step] = []
    by_id: dict[str, Path] = {}
    for path in files:
        step = _load_model(path, Step)
        steps.append(step)
        by_id[step.id] = path
    numbers = sorted(s.number for s in steps)
    if len(set(numbers)) != len(numbers):
        raise ChecklistInvalidError(f"{folder}: two checklist files declare the same step number")
    background_path = folder / "background.yaml"
    topics = _load_model(background_path, Background).topics if background_path.exists() else []
    checklists = Checklists(steps, topics)
    _cross_check(checklists, by_id)
    return checklists


@cache
def shipped() -> Checklists:
    """The checklists that come with the package, validated once and then kept in the user's cache."""
    from bmw_mentor.framework import datafile

    folder = data_dir("checklists")
    return datafile.cached("checklists", folder, (__file__, schema.__file__), Checklists, lambda: load(folder))

