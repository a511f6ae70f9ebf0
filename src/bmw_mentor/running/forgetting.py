"""What ``mentor forget`` removes from the running programme: check-ins, and identifiable evaluation answers.

Called by :mod:`bmw_mentor.privacy.forget`. A check-in row goes when the person
is the mentor or the mentee of it; a response goes when its name column holds
the person; an open answer that names the person in full is left out
(a first name alone is not looked for: "An" or "Tom" would match too much). Evaluation
reports written from the responses are then written again.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bmw_mentor.errors import MentorError
from bmw_mentor.files import ledger
from bmw_mentor.matching.participants import decode, name_key, sniff_delimiter, word_key
from bmw_mentor.running import checkins
from bmw_mentor.running.responses import Response


@dataclass
class Outcome:
    """What was taken out: (file, how many) per kind, the reports written again, and names seen."""

    checkins: list[tuple[Path, int]] = field(default_factory=list)
    responses: list[tuple[Path, int]] = field(default_factory=list)
    reports: list[Path] = field(default_factory=list)
    gone: list[Path] = field(default_factory=list)
    refused: list[tuple[Path, str]] = field(default_factory=list)
    failed: list[tuple[Path, MentorError]] = field(default_factory=list)
    known: set[str] = field(default_factory=set)


def scrub_checkins(path: Path, name: str, lang: str) -> tuple[int, set[str]]:
    """Remove the rows of ``name`` from a check-in log, keeping every other row as it is."""
    text = decode(path.read_bytes(), path, lang)
    delimiter, _ = sniff_delimiter(text)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if not rows:
        return 0, set()
    columns = checkins.columns_of(rows[0])
    at = {col: i for i, col in columns.items()}
    key = name_key(name)
    kept, seen = [rows[0]], set()
    for row in rows[1:]:
        people = [row[at[c]] for c in ("mentor", "mentee") if c in at and at[c] < len(row)]
        seen.update(p for p in people if p.strip())
        if key not in {name_key(p) for p in people}:
            kept.append(row)
    removed = len(rows) - len(kept)
    if removed:
        from bmw_mentor.files.atomic import write_atomic

        buffer = io.StringIO(newline="")
        csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(kept)
        write_atomic(path, ("\ufeff" + buffer.getvalue()).encode("utf-8"))
    return removed, seen


def without_person(rows: list[Response], name: str) -> tuple[list[Response], int]:
    """The responses without ``name``'s own rows, and with open answers that name them left out."""
    key = name_key(name)
    pattern = re.compile(rf"(?<!\w){re.escape(word_key(name))}(?!\w)")
    out: list[Response] = []
    changed = 0
    for r in rows:
        if r.name and name_key(r.name) == key:
            changed += 1
            continue
        answers = {q: a for q, a in r.answers.items() if not (isinstance(a, str) and pattern.search(word_key(a)))}
        if len(answers) != len(r.answers):
            changed += 1
            if not answers:
                continue
        out.append(Response(r.questionnaire, r.group, r.name, answers))
    return out, changed


def forget(project_path: Path, root: Path, index: dict[str, Any], name: str, lang: str) -> Outcome:
    """Take ``name`` out of the log and the responses next to ``project_path``, then write the reports again.

    Only the log and the responses store next to the project are changed, and a report
    only when :func:`ledger.proof` shows that mentor wrote it (inside ``root``, of its
    kind, holding what mentor recorded or mentor's mark).
    """
    from bmw_mentor.running import evaluate

    outcome = Outcome()
    log = checkins.log_path(project_path)
    if log.exists():
        removed, seen = scrub_checkins(log, name, lang)
        outcome.known |= seen
        if removed:
            outcome.checkins.append((log, removed))
    store = evaluate.store_path(project_path)
    if not store.exists():
        return outcome
    rows = evaluate.load_store(project_path)
    outcome.known |= {r.name for r in rows if r.name}
    kept, changed = without_person(rows, name)
    if not changed:
        return outcome
    evaluate.save_store(project_path, kept)
    outcome.responses.append((store, changed))
    from bmw_mentor.files.atomic import write_atomic
    from bmw_mentor.projectfile import project as project_file

    for entry in index["files"]:
        if entry.get("kind") != "evaluation":
            continue
        path, fmt = Path(entry["path"]), str(entry.get("format", ""))
        if not path.exists():
            outcome.gone.append(path)
            continue
        why = ledger.proof(root, path, fmt, ledger.EXPORT_FORMATS, {str(entry.get("sha256"))})
        if why is not None:
            outcome.refused.append((path, why))
            continue
        try:
            project = project_file.load(project_path)
            write_atomic(path, evaluate.render(project, kept, fmt), mode=0o600)
        except MentorError as exc:
            outcome.failed.append((path, exc))
            continue
        outcome.reports.append(path)
    return outcome
