"""The project file: one human-readable YAML file with every answer, saved atomically.

Stage three of ``checklists → wizard → project file → documents | health | matching``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from bmw_mentor.errors import ProjectInvalidError, ProjectMissingError
from bmw_mentor.files import yamlio
from bmw_mentor.files.atomic import write_atomic
from bmw_mentor.files.textsafe import one_line
from bmw_mentor.framework.schema import AnswerValue, Checklists, Language
from bmw_mentor.messages import pydantic_reason, say

SCHEMA_VERSION = 1
DEFAULT_FILE = "mentor-project.yaml"
ENV_VAR = "MENTOR_PROJECT"
PROJECT_SCHEMA = "mentor-project.schema.json"  # written beside the project file by `mentor schema`


def modeline(schema_file: str) -> str:
    """The comment that tells an editor's YAML language server which JSON Schema a file follows."""
    return f"# yaml-language-server: $schema={schema_file}"


class Pair(BaseModel):
    """A mentor–mentee pair accepted from ``mentor match``."""

    model_config = ConfigDict(extra="forbid")

    mentor: str
    mentee: str
    score: float | None = None
    reasons: list[str] = Field(default_factory=list)


class Pool(BaseModel):
    """The participants behind the saved pairs, counted when they were saved (no names)."""

    model_config = ConfigDict(extra="forbid")

    mentees: int = Field(default=0, ge=0)  # people listed as mentee only
    mentors: int = Field(default=0, ge=0)  # people who can mentor (mentor or both)
    places: int = Field(default=0, ge=0)  # the mentors' capacities added up
    unmatched_mentees: int = Field(default=0, ge=0)  # mentees left without a mentor


class Project(BaseModel):
    """Everything the wizard learned about one organisation's programme."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    schema_version: int = SCHEMA_VERSION
    language: Language
    created: dt.datetime = Field(default_factory=lambda: dt.datetime.now().replace(microsecond=0))
    updated: dt.datetime = Field(default_factory=lambda: dt.datetime.now().replace(microsecond=0))
    steps_completed: list[int] = Field(default_factory=list)
    answers: dict[str, dict[str, AnswerValue]] = Field(default_factory=dict)
    # answers that are the framework's recommended default (quick start), still to review
    defaults: list[str] = Field(default_factory=list)
    pairs: list[Pair] = Field(default_factory=list)
    pool: Pool | None = None
    # how this organisation's spreadsheet columns are read: {column name: field id, or "" for unused}
    columns: dict[str, str] = Field(default_factory=dict)

    @field_validator("schema_version", mode="before")
    @classmethod
    def _known_version(cls, v: Any) -> int:
        # a whole number from 1 to this version, however it is written ("1", 1.0); nothing else
        number = _version_number(v)
        if number is None or number != int(number) or not 1 <= number <= SCHEMA_VERSION:
            raise ValueError(say("value_schema_version", known=SCHEMA_VERSION))
        return int(number)

    # -- answers ---------------------------------------------------------
    def lookup(self) -> dict[str, AnswerValue]:
        """All answers of all steps, by question id."""
        flat: dict[str, AnswerValue] = {}
        for step_answers in self.answers.values():
            flat.update(step_answers)
        return flat

    def get(self, question_id: str, default: AnswerValue = None) -> AnswerValue:
        return self.lookup().get(question_id, default)

    def has(self, step_id: str, question_id: str) -> bool:
        return question_id in self.answers.get(step_id, {})

    def set_answer(self, checklists: Checklists, question_id: str, value: AnswerValue, *, default: bool = False) -> None:
        """Store an answer, keeping each step's answers in the checklist's question order.

        ``default`` marks it as a recommended default still to review; an answer given
        by the user clears that mark. A question merged into this one gets the same answer.
        """
        self._store(checklists, question_id, value)
        for q in checklists.questions.values():
            if q.same_as == question_id:
                self._store(checklists, q.id, value)
        marked = [d for d in self.defaults if d != question_id]
        if default:
            marked.append(question_id)
        if marked != self.defaults:
            self.defaults = marked

    def _store(self, checklists: Checklists, question_id: str, value: AnswerValue) -> None:
        step = checklists.step_of[question_id]
        current = dict(self.answers.get(step.id, {}))
        current[question_id] = value
        order = [q.id for q in step.questions]
        known = {k: current[k] for k in order if k in current}
        known.update({k: v for k, v in current.items() if k not in known})
        answers = dict(self.answers)
        answers[step.id] = known
        ordered = {s.id: answers[s.id] for s in checklists.steps if s.id in answers}
        ordered.update({k: v for k, v in answers.items() if k not in ordered})
        self.answers = ordered

    def mark_completed(self, number: int) -> None:
        if number not in self.steps_completed:
            self.steps_completed = sorted([*self.steps_completed, number])

    # -- serialisation ---------------------------------------------------
    def to_yaml(self) -> str:
        data: dict[str, Any] = self.model_dump(mode="python")
        for optional in ("pairs", "pool", "columns", "defaults"):
            if not data[optional]:
                del data[optional]
        # the first line lets an editor complete and check the file, once `mentor schema` has written the schema
        header = (
            f"{modeline(PROJECT_SCHEMA)}\n"
            "# bmw-mentor project file. Written by `mentor`; safe to read and to edit by hand.\n"
            "# It holds names of colleagues: keep it on your own machine.\n"
        )
        return header + yamlio.dumps(data)


def resolve_path(option: Path | None) -> Path:
    """The project file: ``--project``, else ``$MENTOR_PROJECT``, else ``./mentor-project.yaml``."""
    if option is not None:
        return option
    env = os.environ.get(ENV_VAR)
    return Path(env) if env else Path(DEFAULT_FILE)


def load(path: Path) -> Project:
    """Read and validate a project file; any problem becomes one line naming file and place."""
    from bmw_mentor.files.limits import TooLarge, read_limited

    try:
        raw = read_limited(path)
    except TooLarge as exc:
        raise ProjectInvalidError(str(exc)) from None
    except FileNotFoundError:
        raise ProjectMissingError(say("project_missing", path=path)) from None
    except IsADirectoryError:
        raise ProjectInvalidError(say("project_is_folder", path=path)) from None
    except OSError as exc:
        raise ProjectInvalidError(say("file_unreadable", path=path, reason=exc.strerror or exc)) from None
    try:
        text = yamlio.decode_utf8(raw, path)
    except yamlio.YamlSyntaxError as exc:
        raise ProjectInvalidError(str(exc)) from None
    if "\x00" in text:
        raise ProjectInvalidError(say("file_has_nul", path=path))
    try:
        data = yamlio.loads(text, str(path))
    except yamlio.YamlSyntaxError as exc:
        raise ProjectInvalidError(str(exc)) from None
    if data is None:
        raise ProjectInvalidError(say("project_empty", path=path))
    if not isinstance(data, dict):
        raise ProjectInvalidError(say("project_not_mapping", path=path))
    version = _version_number(data.get("schema_version"))
    if version is not None and version > SCHEMA_VERSION:
        line = yamlio.line_of(text, ("schema_version",))
        raise ProjectInvalidError(say("project_too_new", path=path, line=line, version=version, known=SCHEMA_VERSION))
    try:
        return Project.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(p for p in err["loc"] if isinstance(p, int) or not _is_branch(str(p)))
        field = one_line(".".join(str(p) for p in loc)) or say("project_top_level")
        line = yamlio.line_of(text, loc)
        where = say("at_line", line=line) if line else ""
        raise ProjectInvalidError(say("project_field", path=path, where=where, field=field, reason=pydantic_reason(err))) from None
    except RecursionError:
        raise ProjectInvalidError(say("project_too_deep", path=path)) from None


def _version_number(value: Any) -> float | None:
    """``schema_version`` as a number, however it was written (2, "2", 2.0, "2.1"); None if it is no number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def _is_branch(part: str) -> bool:
    # pydantic names union members in error locations; they are not fields of the file
    return part in {"bool", "int", "float", "date", "str", "none"} or part.startswith(("list[", "function-"))


def save(project: Project, path: Path) -> None:
    """Write the project atomically: a temporary file beside it, fsync, then rename.

    A crash or a full disk leaves either the old file or the new one, never a
    mix. The file is readable by its owner only: it holds colleagues' names.
    """
    project.updated = dt.datetime.now().replace(microsecond=0)
    write_atomic(path, project.to_yaml().encode("utf-8"))


KEEP_BACKUPS = 5


def backups(path: Path) -> list[Path]:
    """The backups ``mentor init --force`` kept of ``path``, oldest first (the old single ``.bak`` too)."""
    import glob

    # NAME.20271231-235959-123456.bak: the names sort in the order they were made
    found = sorted(path.parent.glob(f"{glob.escape(path.name)}.*.bak"))
    single = path.with_name(path.name + ".bak")
    return ([single] if single.exists() else []) + [p for p in found if p.is_file()]


def backup(path: Path) -> Path:
    """Copy ``path`` to a timestamped backup beside it, keeping the last few; the original stays as it is.

    A copy, not a move: if the disk is full, the project file is still there and nothing is lost.
    """
    target = path
    while target.exists():
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        target = path.with_name(f"{path.name}.{stamp}.bak")
    try:
        data = path.read_bytes()
    except OSError as exc:
        from bmw_mentor.errors import StorageError

        raise StorageError(say("backup_unreadable", path=path, reason=exc.strerror or exc)) from None
    write_atomic(target, data)
    timestamped = [p for p in backups(path) if p.name != path.name + ".bak"]
    for old in timestamped[:-KEEP_BACKUPS]:
        with contextlib.suppress(OSError):
            old.unlink()
    return target
