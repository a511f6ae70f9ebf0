"""The ledger of files ``mentor`` wrote that hold people's names (``mentor-written.yaml``).

The list, next to the project file and owner-only, keeps for each
``mentor match`` run the data its sheets were made from, and the exported
plans that list accepted pairs with the project and document they came from,
so that ``mentor forget`` (in :mod:`bmw_mentor.privacy`) can render them again
without a person. Writers import this module; it imports none of them.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from bmw_mentor.errors import StorageError
from bmw_mentor.files import yamlio

INDEX_FILE = "mentor-written.yaml"
_HEADER = (
    "# Files written by `mentor` that hold colleagues' names, so that `mentor forget NAME`\n"
    "# can remove a person from all of them. Keep this file on your own machine.\n"
)
# `mentor export` imports this module: anything heavy (participants, difflib) is imported where it is used.


def index_path(folder: Path) -> Path:
    return folder / INDEX_FILE


def absolute(path: Path) -> str:
    return str(path.expanduser().resolve())


def load(folder: Path) -> dict[str, Any]:
    """The index in ``folder`` (empty if there is none yet)."""
    path = index_path(folder)
    if not path.exists():
        return {"files": [], "runs": [], "sources": [], "exports": []}
    try:
        loaded = yamlio.load_file(path)
    except (OSError, yamlio.YamlSyntaxError) as exc:
        raise StorageError(f"{path}: {exc}") from None
    if loaded is None:
        loaded = {}
    if not isinstance(loaded, dict):
        raise StorageError(f"{path}: not a list of written files")
    files = [f for f in loaded.get("files") or [] if isinstance(f, dict) and isinstance(f.get("path"), str)]
    runs = [
        {**r, "sheets": [s for s in r["sheets"] if isinstance(s, dict)]}
        for r in loaded.get("runs") or []
        if isinstance(r, dict) and isinstance(r.get("data"), dict) and isinstance(r.get("sheets"), list)
    ]
    sources = [s for s in loaded.get("sources") or [] if isinstance(s, str)]
    exports = [
        e
        for e in loaded.get("exports") or []
        if isinstance(e, dict) and isinstance(e.get("path"), str) and isinstance(e.get("project"), str)
    ]
    return {"files": files, "runs": runs, "sources": sources, "exports": exports}


def save(folder: Path, index: dict[str, Any]) -> None:
    from bmw_mentor.files.atomic import write_atomic

    write_atomic(index_path(folder), (_HEADER + yamlio.dumps(index)).encode("utf-8"))


def note_participants(store: Path) -> None:
    """Remember the participants file (the index lives next to it)."""
    note_file(store, "participants")


def note_file(path: Path, kind: str) -> None:
    """Remember a file of ``kind`` (participants, checkins, responses) that mentor keeps next to the project."""
    folder = path.parent
    index = load(folder)
    if any(f["path"] == absolute(path) for f in index["files"]):
        return
    index["files"].append({"path": absolute(path), "kind": kind})
    save(folder, index)


def note_sheets(folder: Path, data: dict[str, Any], sheets: list[tuple[Path, str, bytes]]) -> None:
    """Remember the matching sheets of one run and the data they were made from."""
    if not sheets:
        return
    index = load(folder)
    fresh = [{"path": absolute(p), "format": fmt, "sha256": hashlib.sha256(c).hexdigest()} for p, fmt, c in sheets]
    now = {f["path"] for f in fresh}
    runs = []
    for run in index["runs"]:
        # a file written again now belongs to this run only
        kept = [s for s in run["sheets"] if isinstance(s, dict) and s.get("path") not in now]
        if kept:
            runs.append({**run, "sheets": kept})
    runs.append({"data": data, "sheets": fresh})
    index["runs"] = runs
    save(folder, index)


def note_source(folder: Path, path: Path) -> None:
    """Remember a spreadsheet the user gave us, to warn on `forget` that it still holds names."""
    index = load(folder)
    source = absolute(path)
    if source not in index["sources"]:
        index["sources"].append(source)
        save(folder, index)


def note_exports(project_path: Path, files: list[tuple[Path, str, str, bytes]]) -> None:
    """Remember exported plans (path, document, format, content) and the project they came from."""
    if not files:
        return
    folder = project_path.parent
    index = load(folder)
    fresh = [
        {
            "path": absolute(path),
            "doc": doc,
            "format": fmt,
            "project": absolute(project_path),
            "sha256": hashlib.sha256(content).hexdigest(),
        }
        for path, doc, fmt, content in files
    ]
    now = {e["path"] for e in fresh}
    # a file exported again is remembered as it was written last
    index["exports"] = [e for e in index["exports"] if e["path"] not in now] + fresh
    save(folder, index)

