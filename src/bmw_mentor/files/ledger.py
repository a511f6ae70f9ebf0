"""The ledger of files ``mentor`` wrote that hold people's names (``mentor-written.yaml``).

The list, next to the project file and owner-only, keeps for each
``mentor match`` run the data its sheets were made from, and the exported
plans that list accepted pairs with the project and document they came from,
so that ``mentor forget`` (in :mod:`bmw_mentor.privacy`) can render them again
without a person. Writers import this module; it imports none of them.

The ledger is a file in a folder that may be shared or handed over, so nothing
in it is trusted: :func:`proof` decides whether a file it names may be written
again (inside the project's folder tree, a regular file of a kind mentor
writes, and holding exactly what mentor recorded, or mentor's own marker).
Entries are recorded *before* the file is written and settled after it, so
that a crash in between leaves the file recorded or absent, never unrecorded.
Every change happens under the folder's lock (:mod:`bmw_mentor.files.locking`).
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path
from typing import Any

from bmw_mentor.errors import StorageError
from bmw_mentor.files import yamlio
from bmw_mentor.files.locking import locked
from bmw_mentor.messages import say

INDEX_FILE = "mentor-written.yaml"
_HEADER = (
    "# Files written by `mentor` that hold colleagues' names, so that `mentor forget NAME`\n"
    "# can remove a person from all of them. Keep this file on your own machine.\n"
)
# the kinds of file mentor writes, by format, and the marker each one carries (CSV carries none)
SHEET_FORMATS = {"md": (".md", ".markdown"), "html": (".html", ".htm"), "csv": (".csv",)}
EXPORT_FORMATS = {
    "md": (".md", ".markdown"),
    "html": (".html", ".htm"),
    "ics": (".ics",),
    "pdf": (".pdf",),
    "docx": (".docx",),
}
MARKERS = {
    "html": b'<meta name="generator" content="bmw-mentor">',
    "ics": b"PRODID:-//bmw-mentor//",
    "md": b"bmw-mentor",
    "pdf": b"bmw-mentor",
}
# `mentor export` imports this module: anything heavy (participants, difflib) is imported where it is used.


def index_path(folder: Path) -> Path:
    return folder / INDEX_FILE


def absolute(path: Path) -> str:
    return str(path.expanduser().resolve())


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load(folder: Path) -> dict[str, Any]:
    """The index in ``folder`` (empty if there is none yet); entries of the wrong shape are dropped."""
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
        raise StorageError(say("ledger_broken", path=path))

    def text(value: Any) -> bool:
        return isinstance(value, str) and "\x00" not in value

    files = [f for f in _list(loaded, "files") if isinstance(f, dict) and text(f.get("path"))]
    runs = [
        {**r, "sheets": [s for s in r["sheets"] if isinstance(s, dict) and text(s.get("path"))]}
        for r in map(_run_data, _list(loaded, "runs"))
        if isinstance(r, dict) and isinstance(r.get("data"), dict) and isinstance(r.get("sheets"), list)
    ]
    sources = [s for s in _list(loaded, "sources") if text(s)]
    exports = [e for e in _list(loaded, "exports") if isinstance(e, dict) and text(e.get("path")) and text(e.get("project"))]
    return {"files": files, "runs": runs, "sources": sources, "exports": exports}


def _list(loaded: dict[Any, Any], key: str) -> list[Any]:
    value = loaded.get(key)
    return value if isinstance(value, list) else []


def _run_data(run: Any) -> Any:
    """A run as :func:`save` wrote it, with its sheet data (kept as one JSON text) read back."""
    import json

    if isinstance(run, dict) and isinstance(run.get("data_json"), str) and "data" not in run:
        try:
            data = json.loads(run["data_json"])
        except ValueError:
            return None
        return {**{k: v for k, v in run.items() if k != "data_json"}, "data": data}
    return run


def save(folder: Path, index: dict[str, Any]) -> None:
    import json

    from bmw_mentor.files.atomic import write_atomic

    # a run's sheet data (thousands of pairs) as one JSON text: YAML would parse and write every
    # value of it on each run, and the index is read and written several times per `mentor match`
    runs = [
        {**{k: v for k, v in r.items() if k != "data"}, "data_json": json.dumps(r["data"], ensure_ascii=False)}
        if isinstance(r.get("data"), dict)
        else r
        for r in index.get("runs", [])
    ]
    write_atomic(index_path(folder), (_HEADER + yamlio.dumps({**index, "runs": runs})).encode("utf-8"))


# -- what may be written again ---------------------------------------------------
def inside(root: Path, path: Path) -> bool:
    """Whether ``path`` (followed through any links) lies in the folder tree of ``root``."""
    try:
        real_root = Path(os.path.realpath(root))
        real = Path(os.path.realpath(path))
    except (OSError, ValueError):
        return False
    return real == real_root or real_root in real.parents


def proof(root: Path, path: Path, fmt: str, kinds: dict[str, tuple[str, ...]], shas: set[str]) -> str | None:
    """``None`` when ``path`` is provably a file mentor wrote, else why not (a message key).

    Proof is: inside the project's folder tree, a regular file (not a link) of the
    current user, whose name ends in the format's extension, and whose content is
    exactly what mentor recorded or carries mentor's marker.
    """
    if fmt not in kinds or not path.name.lower().endswith(kinds[fmt]):
        return "proof_kind"
    if not inside(root, path):
        return "proof_outside"
    try:
        st = path.lstat()
    except OSError:
        return "proof_gone"
    if not stat.S_ISREG(st.st_mode) or (hasattr(os, "getuid") and st.st_uid != os.getuid()):
        return "proof_not_regular"
    try:
        from bmw_mentor.files.limits import SHEET_LIMIT, read_limited

        data = read_limited(path, SHEET_LIMIT)
    except (OSError, ValueError):
        return "proof_unreadable"
    if sha256(data) in shas:
        return None
    marker = MARKERS.get(fmt)
    if marker is not None and marker in data:
        return None
    if fmt == "docx" and _docx_marked(data):
        return None
    return "proof_changed"


def _docx_marked(data: bytes) -> bool:
    """A Word file whose document properties name bmw-mentor as the last to change it."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("docProps/core.xml")
            if info.file_size > 1 << 20:
                return False
            return b"<cp:lastModifiedBy>bmw-mentor</cp:lastModifiedBy>" in archive.read(info)
    except (KeyError, OSError, ValueError, zipfile.BadZipFile):
        return False


def written_by_mentor(folder: Path, path: Path) -> bool:
    """Whether ``path`` holds exactly a sheet or plan recorded in ``folder``'s ledger, or a plan's marker."""
    mine = absolute(path)
    index = load(folder)
    shas = {str(s.get("sha256")) for r in index["runs"] for s in r["sheets"] if s.get("path") == mine}
    shas |= {str(e.get("sha256")) for e in index["exports"] if e.get("path") == mine}
    kinds = {**EXPORT_FORMATS, **SHEET_FORMATS}
    fmt = next((f for f, ends in kinds.items() if path.suffix.lower() in ends), "")
    return proof(Path(os.path.realpath(path)).parent, path, fmt, kinds, shas) is None


# -- recording -------------------------------------------------------------------
def note_participants(store: Path) -> None:
    """Remember the participants file (the index lives next to it)."""
    note_file(store, "participants")


def note_file(path: Path, kind: str) -> None:
    """Remember a file of ``kind`` (participants, checkins, responses) that mentor keeps next to the project."""
    folder = path.parent
    with locked(path):
        index = load(folder)
        if any(f["path"] == absolute(path) for f in index["files"]):
            return
        index["files"].append({"path": absolute(path), "kind": kind})
        save(folder, index)


def note_sheets(folder: Path, data: dict[str, Any], sheets: list[tuple[Path, str, bytes]]) -> None:
    """Record the matching sheets of one run, and the data they were made from, *before* writing them.

    Earlier entries for the same files stay until :func:`settle` sees the new content in place.
    """
    if not sheets:
        return
    with locked(index_path(folder)):
        index = load(folder)
        fresh = [{"path": absolute(p), "format": fmt, "sha256": sha256(c)} for p, fmt, c in sheets]
        index["runs"].append({"data": data, "sheets": fresh})
        save(folder, index)


def note_source(folder: Path, path: Path) -> None:
    """Remember a spreadsheet the user gave us, to warn on `forget` that it still holds names."""
    with locked(index_path(folder)):
        index = load(folder)
        source = absolute(path)
        if source not in index["sources"]:
            index["sources"].append(source)
            save(folder, index)


def note_exports(project_path: Path, files: list[tuple[Path, str, str, bytes]]) -> None:
    """Record exported plans (path, document, format, content) and their project, *before* writing them."""
    if not files:
        return
    folder = project_path.parent
    with locked(project_path):
        index = load(folder)
        fresh = [
            {
                "path": absolute(path),
                "doc": doc,
                "format": fmt,
                "project": absolute(project_path),
                "sha256": sha256(content),
            }
            for path, doc, fmt, content in files
        ]
        index["exports"] += fresh
        save(folder, index)


def settle(folder: Path, paths: list[Path]) -> None:
    """After writing ``paths``: forget older entries for them, now that the new content is in place.

    An entry whose file does not hold its content (the write failed) is dropped when
    another entry for that file does match; an entry for a file that is gone is kept,
    so that ``forget`` can say so.
    """
    if not paths:
        return
    with locked(index_path(folder)):
        index = load(folder)
        current: dict[str, str] = {}
        for path in paths:
            try:
                current[absolute(path)] = sha256(path.read_bytes())
            except OSError:
                continue

        def keep(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
            # the last entry that matches the file wins; every other entry for that file goes
            winners: dict[str, int] = {}
            for k, e in enumerate(entries):
                if current.get(e.get("path", "")) == e.get("sha256"):
                    winners[e["path"]] = k
            return [e for k, e in enumerate(entries) if e.get("path") not in winners or winners[e["path"]] == k]

        index["exports"] = keep(index["exports"])
        flat = [(r, s) for r in index["runs"] for s in r["sheets"]]
        kept_ids = {id(s) for s in keep([s for _, s in flat])}
        runs = []
        for run in index["runs"]:
            sheets = [s for s in run["sheets"] if id(s) in kept_ids]
            if sheets:
                runs.append({**run, "sheets": sheets})
        index["runs"] = runs
        save(folder, index)
