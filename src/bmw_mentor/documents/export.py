"""``mentor export``: build the plan context, render it, and write the documents where the user asked."""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bmw_mentor.documents.logo import Logo
from bmw_mentor.documents.logo import load as load_logo
from bmw_mentor.documents.plan import build
from bmw_mentor.documents.render import render
from bmw_mentor.documents.spec import DOCS, shipped_spec
from bmw_mentor.errors import MentorError, StorageError, UsageError
from bmw_mentor.files import ledger
from bmw_mentor.framework.checklist import shipped
from bmw_mentor.messages import msg, say

if TYPE_CHECKING:
    from bmw_mentor.documents.context import PlanContext
    from bmw_mentor.documents.spec import PlansSpec
    from bmw_mentor.framework.schema import Checklists
    from bmw_mentor.projectfile.project import Project

FORMATS = {
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".ics": "ics",
    ".docx": "docx",
    ".pdf": "pdf",
}
KINDS = ("html", "md", "ics", "docx", "pdf")
# the formats whose cover can show the organisation's logo
LOGO_KINDS = ("html", "docx", "pdf")
DOC_CHOICES = ("programme", "communication", "training", "forms", "all")


@dataclass
class Target:
    """Where the documents go: one file, or a folder with one file per document."""

    path: Path
    folder: bool
    kind: str


def parse_target(target: str, fmt: str | None) -> Target:
    if not target.strip():
        raise UsageError(say("export_empty_target"))
    folder = target.endswith(("/", os.sep)) or Path(target).is_dir()
    path = Path(target)
    if folder:
        # a folder that does not exist yet is made when the documents are written
        if path.exists() and not path.is_dir():
            raise StorageError(say("export_not_a_folder", path=target))
        kind = fmt or "html"
        return Target(path, True, kind)
    suffix = path.suffix.lower()
    kind = FORMATS.get(suffix)
    if kind is None:
        if suffix:
            raise UsageError(say("export_unknown_extension", path=target, suffix=suffix))
        raise UsageError(say("export_no_extension", path=target))
    if fmt is not None and fmt != kind:
        raise UsageError(say("export_format_mismatch", path=target, format=fmt, suffix=suffix))
    return Target(path, False, kind)


def export(
    project_path: Path,
    target: str,
    doc: str = "all",
    fmt: str | None = None,
    logo: Path | None = None,
    *,
    force: bool = False,
) -> list[Path]:
    """Export the plans of the project at ``project_path``; returns the files written."""
    return _export(project_path, target, doc, fmt, logo, force)[0]


def _export(
    project_path: Path, target: str, doc: str, fmt: str | None, logo_path: Path | None = None, force: bool = False
) -> tuple[list[Path], PlanContext]:
    # No lock for the whole export: the list of written files takes the folder's lock for each change
    # (record, then settle), which is all two exports at once need to keep each other's entries.
    from bmw_mentor.projectfile import project as project_file

    if doc not in DOC_CHOICES:
        raise UsageError(say("usage_choice", name="--doc", value=doc, choices=", ".join(DOC_CHOICES)))
    if fmt is not None and fmt not in KINDS:
        raise UsageError(say("usage_choice", name="--format", value=fmt, choices=", ".join(KINDS)))
    where = parse_target(target, fmt)
    project = project_file.load(project_path)
    logo: Logo | None = None
    if logo_path is not None:
        if where.kind not in LOGO_KINDS:
            raise UsageError(msg("logo_no_place", project.language, format=where.kind))
        logo = load_logo(logo_path, project.language)
    checklists = shipped()
    spec = shipped_spec()
    docs = list(DOCS) if doc == "all" else [doc]
    if where.kind == "ics" and docs == ["forms"]:
        raise UsageError(msg("export_forms_no_dates", project.language))
    # a folder that is not there yet is made once the project has loaded; one that goes away
    # while the plan is built (a USB stick pulled out) is an error, not made again somewhere else
    _make_folder(where.path if where.folder else where.path.parent)
    names = [d for d in docs if not (where.kind == "ics" and d == "forms")]
    planned: list[tuple[Path, str, str, bytes]] = []
    if where.folder:
        for name in names:
            context, content = _make(project, checklists, spec, [name], where.kind, logo)
            # the files are named in the project's language: programma.html in a Dutch project
            path = where.path / f"{msg('export_file_' + name, project.language)}.{where.kind}"
            planned.append((path, name, where.kind, content))
    else:
        context, content = _make(project, checklists, spec, docs, where.kind, logo)
        planned.append((where.path, doc, where.kind, content))
    for path, *_ in planned:
        _refuse(project_path, path, force, project.language)
    if project.pairs:
        # the plan lists the accepted pairs by name: recorded before it is written, so that a crash
        # in between leaves it recorded (and absent, or as it was), never unknown to `mentor forget`
        _record(project_path, planned, project.language)
    written: list[Path] = []
    try:
        for path, _, _, content in planned:
            _write(path, content, force)
            written.append(path)
    finally:
        if project.pairs and written:
            with contextlib.suppress(MentorError):
                ledger.settle(project_path.parent, written)
    if where.folder:
        return written, build(project, checklists, names, spec, health=False)
    return written, context


def _refuse(project_path: Path, path: Path, force: bool, lang: str) -> None:
    """An existing file is replaced only when mentor wrote it, or with ``--force``."""
    if force or not (path.exists() or path.is_symlink()) or path.is_dir():
        return
    if not ledger.written_by_mentor(project_path.parent, path):
        raise UsageError(msg("out_not_ours", lang, path=path))


def _record(project_path: Path, done: list[tuple[Path, str, str, bytes]], lang: str) -> None:
    try:
        ledger.note_exports(project_path, done)
    except StorageError as exc:
        paths = ", ".join(str(d[0]) for d in done)
        raise StorageError(msg("export_not_recorded", lang, path=paths, reason=exc)) from None


def rebuild(project_path: Path, doc: str, kind: str) -> bytes:
    """A recorded export made again from the project as it is now, for ``mentor forget`` (nothing is written)."""
    from bmw_mentor.projectfile import project as project_file

    project = project_file.load(project_path)
    if doc not in DOC_CHOICES or kind not in KINDS or (kind == "ics" and doc == "forms"):
        raise StorageError(msg("forget_export_unknown", project.language, doc=doc, format=kind))
    docs = list(DOCS) if doc == "all" else [doc]
    return _make(project, shipped(), shipped_spec(), docs, kind)[1]


def command(
    project_path: Path, target: str, doc: str, fmt: str | None, logo: Path | None = None, *, force: bool = False
) -> None:
    """``mentor export``: write the files and say where they went."""
    import sys

    written, context = _export(project_path, target, doc, fmt, logo, force)
    lang = context.lang
    for path in written:
        sys.stdout.write(msg("export_written", lang, path=path) + "\n")
    if context.todo_count and not target.lower().endswith(".ics"):
        from bmw_mentor.projectfile import progress
        from bmw_mentor.projectfile import project as project_file

        # the same count as `mentor check`: open questions, however many places in the plans they touch
        still = len(progress.open_questions(project_file.load(project_path), shipped()))
        sys.stdout.write(msg("export_open", lang, n=still) + "\n")


def _make(
    project: Project, checklists: Checklists, spec: PlansSpec, docs: list[str], kind: str, logo: Logo | None = None
) -> tuple[PlanContext, bytes]:
    """The plan context for ``docs`` and its rendering as ``kind``."""

    # the calendar holds dates only, so it skips the health check
    context = build(project, checklists, docs, spec, health=kind != "ics")
    return context, _content(context, kind, docs, single=len(docs) == 1, logo=logo)


def _content(context: PlanContext, kind: str, docs: list[str], single: bool, logo: Logo | None = None) -> bytes:
    # each writer imports its library (WeasyPrint, python-docx) only when that format is asked for
    if kind == "ics":
        from bmw_mentor.documents import calendar as calendar_export

        return calendar_export.calendar(context, docs)
    if kind == "pdf":
        from bmw_mentor.documents.pdf import pdf

        return pdf(context, single, logo)
    if kind == "docx":
        from bmw_mentor.documents.word.file import docx

        return docx(context, single, logo)
    return render(context, kind, single, logo=logo.data_uri if logo else None).encode("utf-8")


def _write(path: Path, data: bytes, force: bool) -> None:
    import stat

    from bmw_mentor.files.atomic import write_atomic

    if path.is_dir():
        raise StorageError(say("export_is_folder", path=path, example=path / "plan.html"))
    mode = 0o600
    if force:
        # a file the user had before keeps the permissions they gave it
        with contextlib.suppress(OSError):
            mode = stat.S_IMODE(path.stat().st_mode) or mode
    write_atomic(path, data, mode)


def _make_folder(folder: Path) -> None:
    """Export into a folder that does not exist yet: make it (and the folders above it)."""
    if not str(folder) or folder.is_dir():
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise StorageError(say("export_not_a_folder", path=folder)) from None
    except OSError as exc:
        raise StorageError(say("export_folder_failed", path=folder, reason=exc.strerror or exc)) from None
