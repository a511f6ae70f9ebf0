"""JSON Schemas for the project file and for answers files, so that an editor completes and checks them.

Both are generated from the pydantic project model and the checklists: every
question id, its type, its choice ids and its limits. The project schema
describes what mentor stores (choice ids, real dates); the answers schema
describes what ``--answers`` accepts (also labels, ``ja``/``nee``, 1/3/2027).
Editors with the YAML language server (VS Code, Neovim, JetBrains, …) pick a
schema up from the ``# yaml-language-server: $schema=…`` line at the top of a file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bmw_mentor.errors import MentorError, StorageError
from bmw_mentor.files.atomic import write_atomic
from bmw_mentor.framework.answers import NO_WORDS, YES_WORDS
from bmw_mentor.framework.schema import Checklists, Question
from bmw_mentor.framework.text import Filler
from bmw_mentor.messages import language, msg, say
from bmw_mentor.projectfile.project import PROJECT_SCHEMA, Project, modeline

ANSWERS_SCHEMA = "mentor-answers.schema.json"
DRAFT = "http://json-schema.org/draft-07/schema#"  # the newest draft every YAML language server reads


# -- one question --------------------------------------------------------------
def _describe(q: Question, fill_en: Filler, fill_nl: Filler) -> str:
    return f"{fill_en(q.prompt)}\n{fill_nl(q.prompt)}"


_ISO_DATE = r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"
_DAY_FIRST_DATE = r"^\s*(0?[1-9]|[12]\d|3[01])[/.-](0?[1-9]|1[0-2])[/.-]\d{4}\s*$"


def _choice_ids(q: Question, fill_en: Filler, fill_nl: Filler, *, labels: bool) -> dict[str, Any]:
    ids: list[str] = [c.id for c in q.choices]
    names = [f"{fill_en(c.label)} / {fill_nl(c.label)}" for c in q.choices]
    if labels:  # an answers file may also name a choice by its label, in either language
        for c in q.choices:
            for label in (fill_en(c.label), fill_nl(c.label)):
                if label not in ids:
                    ids.append(label)
                    names.append(f"= {c.id}")
    schema: dict[str, Any] = {"enum": ids, "enumDescriptions": names}
    if q.other:
        schema = {"anyOf": [schema, {"type": "string", "pattern": r"\S", "description": "Other: in your own words"}]}
    return schema


def _value(q: Question, fill_en: Filler, fill_nl: Filler, *, loose: bool) -> dict[str, Any]:
    """The JSON Schema of one answer: as stored (``loose=False``) or as an answers file may write it.

    It checks what an editor can: types, choice ids, limits, the shape of a date.
    mentor itself checks a little more (that 31/2 is no day, labels in any case).
    """
    rules = q.validation
    schema: dict[str, Any]
    if q.type in ("text", "long_text"):
        text: dict[str, Any] = {"type": "string"}
        shortest = rules.min_length if rules and rules.min_length is not None else None
        if q.required:
            text["pattern"] = r"\S"  # blank is no answer
        if shortest is not None:
            text["minLength"] = shortest
        if rules and rules.max_length is not None:
            text["maxLength"] = rules.max_length
        if shortest is not None and not q.required:
            # the length is checked only on an answer that is given; blank means "not answered"
            text = {"anyOf": [{"type": "string", "pattern": r"^\s*$"}, text]}
        schema = text
        if loose and shortest is None:
            schema = {"anyOf": [text, {"type": "number"}]}  # YAML reads 1999 as a number; mentor takes it as text
    elif q.type == "single":
        schema = _choice_ids(q, fill_en, fill_nl, labels=loose)
    elif q.type == "multi":
        items = _choice_ids(q, fill_en, fill_nl, labels=loose)
        array: dict[str, Any] = {"type": "array", "items": items}
        if not loose:
            array["uniqueItems"] = True
        if rules and rules.max_selected is not None:
            array["maxItems"] = rules.max_selected
        fewest = max(rules.min_selected if rules and rules.min_selected is not None else 0, 1 if q.required else 0)
        if fewest:
            counted = {**array, "minItems": fewest}
            # the count is checked only when something is ticked, unless an answer is required
            array = counted if q.required else {"anyOf": [{"type": "array", "maxItems": 0}, counted]}
        schema = array
        if loose and fewest <= 1:
            schema = {"anyOf": [array, items]}  # one choice may be written without a list
    elif q.type == "yes_no":
        schema = {"type": "boolean"}
        if loose:
            words = sorted({form for w in YES_WORDS | NO_WORDS for form in (w, w.capitalize(), w.upper())})
            schema = {"anyOf": [schema, {"enum": words}]}
    elif q.type == "number":
        schema = {"type": "integer" if rules and rules.integer else "number"}
        if rules and rules.min is not None:
            schema["minimum"] = rules.min
        if rules and rules.max is not None:
            schema["maximum"] = rules.max
    elif q.type == "date":
        schema = {"type": "string", "format": "date", "pattern": _ISO_DATE}
        if loose:
            schema = {"anyOf": [schema, {"type": "string", "pattern": _DAY_FIRST_DATE}]}
    else:  # pragma: no cover - the checklist schema allows no other type
        raise AssertionError(q.type)
    if not q.required:
        schema = {"anyOf": [schema, {"type": "null"}]}  # not answered
    return {**schema, "description": _describe(q, fill_en, fill_nl)}


def _fillers(checklists: Checklists) -> tuple[Filler, Filler]:
    # without a project the placeholders get the checklists' defaults: "mentor", "mentee", …
    return Filler(checklists, {}, "en"), Filler(checklists, {}, "nl")


def _steps(checklists: Checklists, question: Any) -> dict[str, Any]:
    """One object per step (``setup``, ``step1`` …), holding that step's questions."""
    fill_en, fill_nl = _fillers(checklists)
    return {
        step.id: {
            "type": "object",
            "description": f"{fill_en(step.title)}\n{fill_nl(step.title)}",
            "properties": {q.id: question(q) for q in step.questions},
            "additionalProperties": False,
        }
        for step in checklists.steps
    }


# -- the two schemas -------------------------------------------------------------
def project_schema(checklists: Checklists) -> dict[str, Any]:
    """The project file (``mentor-project.yaml``): the pydantic model, with each answer typed by its question."""
    generated = Project.model_json_schema(ref_template="#/definitions/{model}")
    fill_en, fill_nl = _fillers(checklists)
    properties = generated["properties"]
    properties["answers"] = {
        "type": "object",
        "description": "The answers, by step and question id.",
        "properties": _steps(checklists, lambda q: _value(q, fill_en, fill_nl, loose=False)),
        "additionalProperties": False,
    }
    for stamp in ("created", "updated"):
        # PyYAML writes "2027-03-01 09:30:00", which is not RFC 3339: check the shape, not the format
        properties[stamp].pop("format", None)
        properties[stamp]["pattern"] = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$"
    properties["steps_completed"]["items"].update(
        {"minimum": min(checklists.numbers), "maximum": max(checklists.numbers)}
    )
    properties["steps_completed"]["uniqueItems"] = True
    return {
        "$schema": DRAFT,
        "$id": PROJECT_SCHEMA,
        "title": "bmw-mentor project file",
        "description": "Written by `mentor`; every answer of one organisation's mentoring programme.",
        "type": "object",
        "properties": properties,
        "required": generated.get("required", []),
        "additionalProperties": False,
        "definitions": generated.get("$defs", {}),
    }


def answers_schema(checklists: Checklists) -> dict[str, Any]:
    """An answers file for ``mentor init --answers`` / ``mentor step N --answers``: flat, by step, or a project file."""
    fill_en, fill_nl = _fillers(checklists)
    definitions = {q.id: _value(q, fill_en, fill_nl, loose=True) for q in checklists.questions.values()}

    def ref(q: Question) -> dict[str, Any]:
        return {"$ref": f"#/definitions/{q.id}"}

    steps = _steps(checklists, ref)
    flat = {qid: {"$ref": f"#/definitions/{qid}"} for qid in definitions}
    grouped = {"type": "object", "properties": {**steps, **flat}, "additionalProperties": False}
    project_keys = {
        "answers": {**grouped, "description": "As in a project file: the answers by step."},
        "created": {},
        "updated": {},
        "steps_completed": {},
        "pairs": {},
    }
    return {
        "$schema": DRAFT,
        "$id": ANSWERS_SCHEMA,
        "title": "bmw-mentor answers file",
        "description": (
            "Answers prepared in advance, by question id, either flat or grouped by step "
            "(setup, step1 … step4). A choice may be written as its id or its label; yes/no also as ja/nee; "
            "a date also as 1/3/2027."
        ),
        "type": "object",
        "properties": {
            "language": {"enum": ["en", "nl"], "description": "The project's language (mentor init only)."},
            "schema_version": {"type": "integer", "minimum": 1},
            **steps,
            **flat,
            **project_keys,
        },
        "additionalProperties": False,
        "definitions": definitions,
    }


def render(schema: dict[str, Any]) -> str:
    """The schema as JSON text: stable key order, one key a line (readable diffs), one trailing newline."""
    return json.dumps(schema, indent=1, ensure_ascii=False) + "\n"


def shipped_dir() -> Path:
    """Where the wheel carries a copy of both schemas, for tools that want them without running mentor."""
    return Path(__file__).resolve().parent.parent / "schemas"


def write(checklists: Checklists, folder: Path) -> list[Path]:
    """Write both schemas into ``folder`` (made if missing) and return their paths."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(say("export_folder_failed", path=folder, reason=exc.strerror or exc)) from None
    written = []
    for name, schema in ((PROJECT_SCHEMA, project_schema(checklists)), (ANSWERS_SCHEMA, answers_schema(checklists))):
        path = folder / name
        write_atomic(path, render(schema).encode("utf-8"), mode=0o644)
        written.append(path)
    return written


def command(folder: Path | None, project_path: Path) -> None:
    """``mentor schema [DIR]``: write both schemas, by default next to the project file."""
    from rich.console import Console
    from rich.markup import escape

    from bmw_mentor.framework import checklist
    from bmw_mentor.projectfile import project as project_file

    lang = language()
    if project_path.is_file():
        try:
            lang = project_file.load(project_path).language
        except MentorError:
            pass  # a broken project file is no reason not to write the schemas
    target = folder if folder is not None else (project_path.parent if str(project_path.parent) else Path("."))
    console = Console(highlight=False)
    for path in write(checklist.shipped(), target):
        console.print(msg("schema_written", lang, path=escape(str(path))), soft_wrap=True)
    console.print(msg("schema_hint", lang, line=escape(modeline(ANSWERS_SCHEMA))), soft_wrap=True)
