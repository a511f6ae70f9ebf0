"""``mentor forget``: remove a person from every file ``mentor`` wrote.

Sheets are rendered again from the data the ledger kept, without the person,
instead of editing text in place; exported plans are exported again the same
way. Spreadsheets the user gave us are never changed; we only say they still
hold the name. Nothing imports this module but the CLI.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.markup import escape

from bmw_mentor.errors import MentorError, StorageError, UsageError
from bmw_mentor.files import ledger
from bmw_mentor.files.ledger import index_path
from bmw_mentor.files.textsafe import clean
from bmw_mentor.matching.commands import load_context, make_console
from bmw_mentor.messages import msg


@dataclass
class Report:
    """What ``forget`` changed, as lines for the user."""

    changed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    files: int = 0
    # files that still hold the name because they could not be written again, and the first error
    failed: list[str] = field(default_factory=list)
    error: MentorError | None = None


def forget(project_path: Path, name: str, lang: str) -> Report:
    """Remove ``name`` from every file ``mentor`` wrote next to this project."""
    import difflib

    from bmw_mentor.files.atomic import write_atomic
    from bmw_mentor.matching import participants
    from bmw_mentor.matching.participants import name_key

    key = name_key(name)
    folder = project_path.parent
    index = ledger.load(folder)
    report = Report()
    known: set[str] = set()

    store = participants.store_path(project_path)
    stores = {ledger.absolute(store)} | {f["path"] for f in index["files"] if f.get("kind") == "participants"}
    for store_name in sorted(stores):
        path = Path(store_name)
        if not path.exists():
            continue
        known.update(p.name for p in participants.read(path, lang).people)
        removed, cleared = participants.scrub(path, name, lang)
        if removed or cleared:
            report.files += 1
            if removed:
                report.changed.append(msg("forget_rows", lang, path=path, n=removed))
            if cleared:
                report.changed.append(msg("forget_manager_cleared", lang, path=path, n=cleared))

    # the project, and any other project an exported plan of this folder came from
    projects = [project_path] + [
        Path(p)
        for p in dict.fromkeys(e["project"] for e in index["exports"])
        if p != ledger.absolute(project_path) and Path(p).exists()
    ]
    pairs_removed: dict[str, int] = {}
    for number, source in enumerate(projects):
        for path, strict in ((source, number == 0), (source.with_name(source.name + ".bak"), False)):
            removed = _forget_pairs(path, key, known, strict)
            if path is source:
                pairs_removed[ledger.absolute(source)] = removed
            if removed:
                report.files += 1
                report.changed.append(msg("forget_pairs", lang, path=path, n=removed))

    index["exports"], lingering = _forget_exports(index["exports"], key, pairs_removed, lang, report)

    runs: list[dict[str, Any]] = []
    in_index = False
    for run in index["runs"]:
        data = run["data"]
        known.update(_names(data))
        new_data, hit = _without(data, key)
        in_index = in_index or hit
        sheets: list[dict[str, Any]] = []
        for entry in run["sheets"]:
            path = Path(str(entry.get("path", "")))
            if not path.exists():
                report.notes.append(msg("forget_sheet_gone", lang, path=path))
                continue
            if hit:
                content = _rerender(new_data, str(entry.get("format", "")), path)
                edited = _sha(path) != entry.get("sha256")
                write_atomic(path, content)
                entry = {**entry, "sha256": hashlib.sha256(content).hexdigest()}
                report.files += 1
                report.changed.append(msg("forget_sheet_edited" if edited else "forget_sheet", lang, path=path))
            sheets.append(entry)
        if sheets:
            runs.append({"data": new_data, "sheets": sheets})
    index["runs"] = runs
    if index_path(folder).exists():
        ledger.save(folder, index)
    if in_index:
        report.files += 1
        report.changed.append(msg("forget_index", lang, path=index_path(folder)))

    for source in index["sources"]:
        path = Path(source)
        if path.exists() and _mentions(path, key):
            report.notes.append(msg("forget_source", lang, path=path))

    if report.files:
        # only once the person was found: a shorter name can be part of a longer one
        report.notes += [msg("forget_export_still", lang, path=path) for path in lingering]
    if not report.files and not report.failed:
        close = difflib.get_close_matches(name, sorted(known), n=3, cutoff=0.6)
        hint = msg("forget_did_you_mean", lang, names=", ".join(close)) if close else ""
        raise UsageError(msg("forget_nobody", lang, name=name, hint=hint) + _source_hint(report, lang))
    return report


def _source_hint(report: Report, lang: str) -> str:
    return (" " + " ".join(report.notes)) if report.notes else ""


def _forget_exports(
    exports: list[dict[str, Any]], key: str, pairs_removed: dict[str, int], lang: str, report: Report
) -> tuple[list[dict[str, Any]], list[Path]]:
    """Export again, from the project as it is now, each plan that held the name.

    Returns the entries to keep, and the plans that still show the name however they are made.
    """
    from bmw_mentor.documents import export
    from bmw_mentor.files.atomic import write_atomic

    kept: list[dict[str, Any]] = []
    lingering: list[Path] = []
    for entry in exports:
        path, source = Path(entry["path"]), Path(entry["project"])
        fmt, doc = str(entry.get("format", "")), str(entry.get("doc", ""))
        if not path.exists():
            report.notes.append(msg("forget_sheet_gone", lang, path=path))
            continue
        kept.append(entry)
        lists_pairs = doc in ("all", "programme") and fmt != "ics"
        mentioned = _mentions(path, key, fmt)
        if not source.exists():
            if lists_pairs or mentioned:
                report.notes.append(msg("forget_export_no_project", lang, path=path, project=source))
            continue
        # a programme plan whose project just lost pairs is written again even if the name hides in
        # it in a way the text search cannot see; another file only when it shows the name
        dropped = lists_pairs and pairs_removed.get(entry["project"], 0) > 0
        if not (dropped or mentioned):
            continue
        try:
            content = export.rebuild(source, doc, fmt)
            still = _mentioned(content.decode("utf-8", errors="replace"), key, fmt)
            if still and not dropped:
                # the project itself still shows those words (an answer, part of a longer name)
                lingering.append(path)
                continue
            edited = _sha(path) != entry.get("sha256")
            write_atomic(path, content)
        except MentorError as exc:
            report.failed.append(msg("forget_export_failed", lang, path=path, reason=str(exc)))
            report.error = report.error or exc
            continue
        kept[-1] = {**entry, "sha256": hashlib.sha256(content).hexdigest()}
        report.files += 1
        report.changed.append(msg("forget_sheet_edited" if edited else "forget_sheet", lang, path=path))
        if still:
            lingering.append(path)
    return kept, lingering


def _forget_pairs(path: Path, key: str, known: set[str], strict: bool) -> int:
    from bmw_mentor.matching.participants import name_key
    from bmw_mentor.projectfile import project as project_file

    if not path.exists():
        return 0
    try:
        project = project_file.load(path)
    except MentorError:
        if strict:
            raise
        # a damaged backup must not stop forgetting everywhere else
        return 0
    for pair in project.pairs:
        known.update((pair.mentor, pair.mentee))
    kept = [p for p in project.pairs if key not in (name_key(p.mentor), name_key(p.mentee))]
    removed = len(project.pairs) - len(kept)
    if removed:
        project.pairs = kept
        project_file.save(project, path)
    return removed


def _names(data: dict[str, Any]) -> set[str]:
    names = {p.get("mentor", "") for p in data.get("pairs", [])} | {p.get("mentee", "") for p in data.get("pairs", [])}
    return names | {u.get("name", "") for u in data.get("unmatched", [])}


def _without(data: dict[str, Any], key: str) -> tuple[dict[str, Any], bool]:
    """Sheet data without the person; their partners move to the unmatched list."""
    from bmw_mentor.matching.participants import name_key
    from bmw_mentor.matching.rules import Words

    words = Words(data.get("lang", "en"), data.get("terms"))
    pairs: list[dict[str, Any]] = []
    unmatched = [u for u in data.get("unmatched", []) if name_key(u.get("name", "")) != key]
    hit = len(unmatched) != len(data.get("unmatched", []))
    left_alone: dict[str, str] = {}
    for p in data.get("pairs", []):
        mentor, mentee = p.get("mentor", ""), p.get("mentee", "")
        if key == name_key(mentor):
            hit = True
            left_alone.setdefault(mentee, "mentee")
        elif key == name_key(mentee):
            hit = True
            left_alone.setdefault(mentor, "mentor")
        else:
            pairs.append(p)
    still = {name_key(p["mentor"]) for p in pairs} | {name_key(p["mentee"]) for p in pairs}
    listed = {name_key(u["name"]) for u in unmatched}
    for partner, role in left_alone.items():
        if name_key(partner) not in still and name_key(partner) not in listed:
            unmatched.append({"name": partner, "role": role, "reason": words.unmatched("partner_forgotten")})
            listed.add(name_key(partner))
    return {**data, "pairs": pairs, "unmatched": unmatched}, hit


def _rerender(data: dict[str, Any], fmt: str, path: Path) -> bytes:
    from bmw_mentor.matching import sheet as matchsheet

    if fmt not in ("md", "html", "csv"):
        raise StorageError(f"{path}: unknown sheet format '{fmt}' in {ledger.INDEX_FILE}")
    return matchsheet.render(data, fmt)


def _sha(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def _mentions(path: Path, key: str, fmt: str = "") -> bool:
    from bmw_mentor.matching.participants import decode

    try:
        text = decode(path.read_bytes(), path, "en")
    except Exception:  # noqa: BLE001 - unreadable now: nothing we can say about it
        return False
    return _mentioned(text, key, fmt) if fmt else key in _word_key(text)


def _mentioned(text: str, key: str, fmt: str) -> bool:
    """Whether an exported plan shows the name as a word of its own, as a reader would see it."""
    import html

    if fmt == "html":
        text = html.unescape(text)
    elif fmt == "ics":
        # unfold the 75-octet lines, then drop RFC 5545 escapes
        text = re.sub(r"\r?\n[ \t]", "", text).replace("\\n", "\n")
        text = re.sub(r"\\([\\;,])", r"\1", text)
    elif fmt == "md":
        text = re.sub(r"\\(.)", r"\1", text)
    return re.search(rf"(?<!\w){re.escape(key)}(?!\w)", _word_key(text)) is not None


def _word_key(text: str) -> str:
    from bmw_mentor.matching.participants import word_key

    return word_key(text)


# -- the command ---------------------------------------------------------------
def run(project_path: Path, name: str) -> None:
    name = " ".join(name.split())
    ctx = load_context(project_path)
    report = forget(project_path, name, ctx.lang)
    console = make_console()
    for line in report.changed:
        console.print(escape(clean(line)), soft_wrap=True)
    for line in report.notes:
        console.print(f"[yellow]{escape(clean(line))}[/]", soft_wrap=True)
    if report.files:
        console.print(msg("forget_done", ctx.lang, name=escape(clean(name)), n=report.files))
    if report.error is not None:
        # what could not be done is the one error line, with the exit code of its cause
        raise type(report.error)("; ".join(report.failed))
