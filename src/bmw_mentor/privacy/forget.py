"""``mentor forget``: remove a person from every file ``mentor`` wrote.

That includes the running programme's check-in log and evaluation responses
(:mod:`bmw_mentor.running.forgetting`), and the evaluation reports made from them.

Sheets are rendered again from the data the ledger kept, without the person,
instead of editing text in place; exported plans are exported again the same
way. Spreadsheets the user gave us are never changed; we only say they still
hold the name. Nothing imports this module but the CLI.
"""

from __future__ import annotations

import hashlib
import os
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
from bmw_mentor.messages import msg, say


@dataclass
class Report:
    """What ``forget`` changed, as lines for the user."""

    changed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    files: int = 0
    # files that still hold the name because they could not be written again, and the first error
    failed: list[str] = field(default_factory=list)
    error: MentorError | None = None

    def fail(self, line: str, error: MentorError) -> None:
        self.failed.append(line)
        self.error = self.error or error


def forget(project_path: Path, name: str, lang: str) -> Report:
    """Remove ``name`` from every file ``mentor`` wrote next to this project (under the folder's lock)."""
    from bmw_mentor.files.locking import locked

    with locked(project_path, lang):
        return _forget(project_path, name, lang)


def _forget(project_path: Path, name: str, lang: str) -> Report:
    """Each file is handled on its own: one that cannot be written again is named, and the others are still cleaned."""
    import difflib

    from bmw_mentor.matching.participants import name_key

    key = name_key(name)
    folder = project_path.parent if str(project_path.parent) else Path(".")
    root = Path(os.path.realpath(folder))
    report = Report()
    known: set[str] = set()
    try:
        index = ledger.load(folder)
        readable_index = True
    except MentorError as exc:
        index = {"files": [], "runs": [], "sources": [], "exports": []}
        readable_index = False
        report.fail(msg("forget_index_unreadable", lang, path=index_path(folder), reason=str(exc)), exc)

    _forget_stores(project_path, root, index, name, lang, report, known)
    _forget_running(project_path, root, index, name, lang, report, known)
    pairs_removed = _forget_projects(project_path, root, index, key, lang, report, known)
    index["exports"], lingering = _forget_exports(root, index["exports"], key, pairs_removed, lang, report)
    index["runs"], in_index = _forget_sheets(root, index["runs"], key, lang, report, known)
    if readable_index and index_path(folder).exists():
        try:
            ledger.save(folder, index)
        except MentorError as exc:
            report.fail(msg("forget_failed", lang, path=index_path(folder), reason=str(exc)), exc)
            in_index = False
    if in_index:
        report.files += 1
        report.changed.append(msg("forget_index", lang, path=index_path(folder)))
    _remove_temporary(project_path, root, index, lang, report)

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


def _refused(path: Path, reason: str, lang: str, report: Report) -> None:
    line = msg("forget_refused", lang, path=path, reason=msg(reason, lang))
    report.fail(line, StorageError(line))


def _forget_stores(
    project_path: Path, root: Path, index: dict[str, Any], name: str, lang: str, report: Report, known: set[str]
) -> None:
    """The participants file, and any other the ledger names that is provably one (same name, in this tree)."""
    from bmw_mentor.matching import participants, reading

    store = participants.store_path(project_path)
    listed = {f["path"] for f in index["files"] if f.get("kind") == "participants"}
    for store_name in sorted({ledger.absolute(store)} | listed):
        path = Path(store_name)
        if not path.exists():
            continue
        if ledger.absolute(path) != ledger.absolute(store):
            why = _store_doubt(root, path)
            if why is not None:
                if _mentions(path, participants.name_key(name)):
                    _refused(path, why, lang, report)
                continue
        try:
            known.update(p.name for p in reading.read(path, lang, check_names=False).people)
            removed, cleared = participants.scrub(path, name, lang)
        except MentorError as exc:
            report.fail(msg("forget_failed", lang, path=path, reason=str(exc)), exc)
            continue
        if removed or cleared:
            report.files += 1
            if removed:
                report.changed.append(msg("forget_rows", lang, path=path, n=removed))
            if cleared:
                report.changed.append(msg("forget_manager_cleared", lang, path=path, n=cleared))


def _forget_running(
    project_path: Path, root: Path, index: dict[str, Any], name: str, lang: str, report: Report, known: set[str]
) -> None:
    """The running programme: check-ins, evaluation responses, and the evaluation reports made from them."""
    from bmw_mentor.running import forgetting

    try:
        running = forgetting.forget(project_path, root, index, name, lang)
    except MentorError as exc:
        report.fail(msg("forget_failed", lang, path=project_path.parent, reason=str(exc)), exc)
        return
    known |= running.known
    for path, n in running.checkins:
        report.files += 1
        report.changed.append(msg("forget_checkins", lang, path=path, n=n))
    for path, n in running.responses:
        report.files += 1
        report.changed.append(msg("forget_responses", lang, path=path, n=n))
    for path in running.reports:
        report.files += 1
        report.changed.append(msg("forget_sheet", lang, path=path))
    report.notes += [msg("forget_sheet_gone", lang, path=path) for path in running.gone]
    for path, why in running.refused:
        _refused(path, why, lang, report)
    for path, exc in running.failed:
        report.fail(msg("forget_failed", lang, path=path, reason=str(exc)), exc)


def _store_doubt(root: Path, path: Path) -> str | None:
    import stat as st

    from bmw_mentor.matching.participants import STORE_FILE

    if path.name != STORE_FILE:
        return "proof_kind"
    if not ledger.inside(root, path):
        return "proof_outside"
    try:
        mode = path.lstat().st_mode
    except OSError:
        return "proof_gone"
    return None if st.S_ISREG(mode) else "proof_not_regular"


def _forget_projects(
    project_path: Path, root: Path, index: dict[str, Any], key: str, lang: str, report: Report, known: set[str]
) -> dict[str, int]:
    """Pairs leave the project, any other project of this tree a plan came from, and their backups."""
    from bmw_mentor.projectfile import project as project_file

    projects = [project_path] + [
        Path(p)
        for p in dict.fromkeys(e["project"] for e in index["exports"])
        if p != ledger.absolute(project_path) and Path(p).is_file() and ledger.inside(root, Path(p))
        and p.endswith((".yaml", ".yml"))
    ]
    pairs_removed: dict[str, int] = {}
    for number, source in enumerate(projects):
        for path in [source, *project_file.backups(source)]:
            try:
                removed = _forget_pairs(path, key, known, strict=path is source)
            except MentorError as exc:
                # named, and the other files are still cleaned
                report.fail(msg("forget_failed", lang, path=path, reason=str(exc)), exc)
                continue
            if path is source:
                pairs_removed[ledger.absolute(source)] = removed
            if removed:
                report.files += 1
                report.changed.append(msg("forget_pairs", lang, path=path, n=removed))
    return pairs_removed


def _forget_sheets(
    root: Path, runs_in: list[dict[str, Any]], key: str, lang: str, report: Report, known: set[str]
) -> tuple[list[dict[str, Any]], bool]:
    """Each matching sheet that names the person is made again, from the data of the run that wrote it."""
    from bmw_mentor.files.atomic import write_atomic

    shas: dict[str, set[str]] = {}
    for run in runs_in:
        for entry in run["sheets"]:
            shas.setdefault(str(entry.get("path")), set()).add(str(entry.get("sha256")))
    runs: list[dict[str, Any]] = []
    in_index = False
    handled: set[str] = set()
    for run in runs_in:
        data = run["data"]
        try:
            known.update(_names(data))
            new_data, hit = _without(data, key)
        except Exception:  # noqa: BLE001 - untrusted data in the ledger: an entry of the wrong shape
            new_data, hit = data, False
        sheets: list[dict[str, Any]] = []
        # sheets that still hold the name keep the data they were made from, so that forgetting again can finish
        stuck: list[dict[str, Any]] = []
        for entry in run["sheets"]:
            path = Path(str(entry.get("path", "")))
            fmt = str(entry.get("format", ""))
            if str(path) in handled:
                continue  # written again already, from the run whose content it held
            if not (path.exists() or path.is_symlink()):
                report.notes.append(msg("forget_sheet_gone", lang, path=path))
                continue
            if not hit:
                sheets.append(entry)
                continue
            # only the run whose content is in the file now may write it again
            current = _sha(path)
            if current != entry.get("sha256") and current in shas.get(str(path), set()):
                sheets.append(entry)
                continue
            handled.add(str(path))
            why = ledger.proof(root, path, fmt, ledger.SHEET_FORMATS, {str(entry.get("sha256"))})
            if why is not None:
                _refused(path, why, lang, report)
                stuck.append(entry)
                continue
            try:
                content = _rerender(new_data, fmt, path)
                write_atomic(path, content)
            except MentorError as exc:
                report.fail(msg("forget_failed", lang, path=path, reason=str(exc)), exc)
                stuck.append(entry)
                continue
            except Exception as exc:  # noqa: BLE001 - untrusted data: name the file, go on with the others
                error = StorageError(f"{path}: {type(exc).__name__}")
                report.fail(msg("forget_failed", lang, path=path, reason=type(exc).__name__), error)
                stuck.append(entry)
                continue
            entry = {**entry, "sha256": hashlib.sha256(content).hexdigest()}
            report.files += 1
            report.changed.append(msg("forget_sheet", lang, path=path))
            sheets.append(entry)
        in_index = in_index or (hit and not stuck)
        if stuck:
            runs.append({"data": data, "sheets": stuck})
        if sheets:
            runs.append({"data": new_data, "sheets": sheets})
    return runs, in_index


def _remove_temporary(project_path: Path, root: Path, index: dict[str, Any], lang: str, report: Report) -> None:
    """Temporary files of interrupted saves (``.NAME.xxxx.tmp`` beside each file mentor writes) hold names too."""
    import glob
    import stat as st

    from bmw_mentor.matching.participants import store_path

    names: dict[Path, set[str]] = {}
    own = [project_path, store_path(project_path), index_path(project_path.parent)]
    recorded = [Path(e["path"]) for e in index["exports"]]
    recorded += [Path(str(s.get("path"))) for r in index["runs"] for s in r["sheets"]]
    for path in own + [p for p in recorded if ledger.inside(root, p.parent)]:
        names.setdefault(path.parent, set()).add(path.name)
        names[path.parent].update(b.name for b in _backups(path))
    for folder, found in names.items():
        for name in sorted(found):
            for tmp in folder.glob(f".{glob.escape(name)}.*.tmp"):
                try:
                    if not st.S_ISREG(tmp.lstat().st_mode):
                        continue
                    tmp.unlink()
                except OSError:
                    continue
                report.changed.append(msg("forget_temp", lang, path=tmp))


def _backups(path: Path) -> list[Path]:
    from bmw_mentor.projectfile import project as project_file

    try:
        return project_file.backups(path)
    except OSError:
        return []


def _forget_exports(
    root: Path, exports: list[dict[str, Any]], key: str, pairs_removed: dict[str, int], lang: str, report: Report
) -> tuple[list[dict[str, Any]], list[Path]]:
    """Export again, from the project as it is now, each plan that held the name.

    Returns the entries to keep, and the plans that still show the name however they are made.
    """
    from bmw_mentor.documents import export
    from bmw_mentor.files.atomic import write_atomic

    shas: dict[str, set[str]] = {}
    for entry in exports:
        shas.setdefault(entry["path"], set()).add(str(entry.get("sha256")))
    kept: list[dict[str, Any]] = []
    lingering: list[Path] = []
    done: set[str] = set()
    for entry in exports:
        path, source = Path(entry["path"]), Path(entry["project"])
        fmt, doc = str(entry.get("format", "")), str(entry.get("doc", ""))
        if entry["path"] in done:
            continue  # an older entry for a file already handled
        if not path.exists():
            report.notes.append(msg("forget_sheet_gone", lang, path=path))
            continue
        kept.append(entry)
        lists_pairs = doc in ("all", "programme") and fmt != "ics"
        mentioned = _mentions(path, key, fmt if fmt in ledger.EXPORT_FORMATS else "")
        # a programme plan whose project just lost pairs is written again even if the name hides in
        # it in a way the text search cannot see; another file only when it shows the name
        dropped = lists_pairs and pairs_removed.get(entry["project"], 0) > 0
        if not (dropped or mentioned):
            continue
        why = ledger.proof(root, path, fmt, ledger.EXPORT_FORMATS, shas.get(entry["path"], set()))
        if why is None and not (source.is_file() and ledger.inside(root, source)):
            report.notes.append(msg("forget_export_no_project", lang, path=path, project=source))
            continue
        if why is not None:
            _refused(path, why, lang, report)
            continue
        done.add(entry["path"])
        try:
            content = export.rebuild(source, doc, fmt)
            still = _mentioned(content.decode("utf-8", errors="replace"), key, fmt)
            if still and not dropped:
                # the project itself still shows those words (an answer, part of a longer name)
                lingering.append(path)
                continue
            edited = _sha(path) not in shas.get(entry["path"], set())
            write_atomic(path, content)
        except MentorError as exc:
            report.fail(msg("forget_export_failed", lang, path=path, reason=str(exc)), exc)
            continue
        except Exception as exc:  # noqa: BLE001 - a plan that cannot be made again must not stop the rest
            error = StorageError(f"{path}: {type(exc).__name__}: {exc}")
            report.fail(msg("forget_export_failed", lang, path=path, reason=f"{type(exc).__name__}: {exc}"), error)
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

    if not path.is_file():
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


def _passed_over_without(entry: dict[str, Any], key: str) -> tuple[dict[str, Any], bool]:
    """A pair or unmatched entry without the person among the mentors it was not given."""
    from bmw_mentor.matching.participants import name_key

    kept = []
    hit = False
    for group in entry.get("not_chosen") or []:
        names = [n for n in group.get("names", []) if name_key(n) != key]
        hit = hit or len(names) != len(group.get("names", []))
        if names:
            kept.append({**group, "names": names})
    return ({**entry, "not_chosen": kept} if hit else entry), hit


def _without(data: dict[str, Any], key: str) -> tuple[dict[str, Any], bool]:
    """Sheet data without the person; their partners move to the unmatched list."""
    from bmw_mentor.matching.participants import name_key
    from bmw_mentor.matching.rules import Words

    words = Words(data.get("lang", "en"), data.get("terms"))
    pairs: list[dict[str, Any]] = []
    unmatched = [u for u in data.get("unmatched", []) if name_key(u.get("name", "")) != key]
    hit = len(unmatched) != len(data.get("unmatched", []))
    for k, u in enumerate(unmatched):
        unmatched[k], passed = _passed_over_without(u, key)
        hit = hit or passed
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
            p, passed = _passed_over_without(p, key)
            hit = hit or passed
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
        raise StorageError(say("forget_sheet_unknown", path=path, format=fmt, index=ledger.INDEX_FILE))
    return matchsheet.render(data, fmt)


def _sha(path: Path) -> str:
    from bmw_mentor.files.limits import SHEET_LIMIT, read_limited

    try:
        return hashlib.sha256(read_limited(path, SHEET_LIMIT)).hexdigest()
    except (OSError, ValueError):
        return ""


def _mentions(path: Path, key: str, fmt: str = "") -> bool:
    from bmw_mentor.matching.spreadsheet import decode

    from bmw_mentor.files.limits import SHEET_LIMIT, read_limited

    try:
        text = decode(read_limited(path, SHEET_LIMIT), path, "en")
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
    from bmw_mentor.messages import guess_language

    name = " ".join(name.split())
    try:
        lang = load_context(project_path).lang
    except MentorError:
        # a damaged project file must not keep a person from being forgotten everywhere else
        lang = guess_language()
    report = forget(project_path, name, lang)
    console = make_console()
    for line in report.changed:
        console.print(escape(clean(line)), soft_wrap=True)
    for line in report.notes:
        console.print(f"[yellow]{escape(clean(line))}[/]", soft_wrap=True)
    if report.files:
        console.print(msg("forget_done", lang, name=escape(clean(name)), n=report.files))
    if report.error is not None:
        # what could not be done is the one error line, with the exit code of its cause
        raise type(report.error)("; ".join(report.failed))
