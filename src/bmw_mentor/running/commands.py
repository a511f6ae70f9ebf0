"""What ``mentor log`` and the pairs part of ``mentor status`` do; ``cli.py`` calls these."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from bmw_mentor.errors import RecordsInvalidError, UsageError
from bmw_mentor.files import ledger, locking
from bmw_mentor.files.textsafe import clean
from bmw_mentor.framework.answers import parse_date
from bmw_mentor.messages import msg
from bmw_mentor.projectfile.project import Project
from bmw_mentor.running import checkins


def _console(stderr: bool = False) -> Console:
    return Console(highlight=False, stderr=stderr)


def _load(project_path: Path) -> Project:
    from bmw_mentor.projectfile import project as project_file

    return project_file.load(project_path)


def as_of(text: str | None, lang: str) -> dt.date:
    """The day to judge on: ``--as-of`` or today."""
    if not text:
        return dt.date.today()
    day = parse_date(text.strip())
    if day is None:
        raise UsageError(msg("log_bad_date", lang, value=text))
    return day


def log(
    project_path: Path,
    names: list[str],
    when: str | None,
    minutes: int | None,
    note: str | None,
    review: bool,
    source: Path | None,
) -> None:
    """Add one meeting from the options, or every meeting in a spreadsheet, to the pair log."""
    project = _load(project_path)
    lang = project.language
    if not project.pairs:
        raise UsageError(msg("log_no_pairs", lang))
    if (source is None) == (not names):
        raise UsageError(msg("log_usage", lang))
    current = checkins.load(project_path, project.pairs, lang)
    if current.bad:
        raise RecordsInvalidError(msg("log_store_bad", lang, first=current.bad[0], n=len(current.bad)))
    if source is not None:
        sheet = checkins.read_sheet(source, project.pairs, lang)
        err = _console(stderr=True)
        for line in sheet.bad:
            err.print(f"[yellow]{escape(clean(line))}[/]", soft_wrap=True)
        if not sheet.meetings:
            raise RecordsInvalidError(msg("log_none_usable", lang, path=source))
        new = sheet.meetings
        ledger.note_source(project_path.parent, source)
    else:
        if len(names) > 2:
            raise UsageError(msg("log_usage", lang))
        mentor, mentee = (names + [""])[:2]
        pair = checkins.find_pair(project.pairs, mentor, mentee) or checkins.find_pair(project.pairs, "", mentor)
        if pair is None and len(names) == 2:
            pair = checkins.find_pair(project.pairs, mentee, mentor)  # the two names in the other order
        if pair is None:
            known = "; ".join(f"{p.mentor} – {p.mentee}" for p in project.pairs)
            raise UsageError(msg("log_unknown_pair", lang, names=" / ".join(names), pairs=known))
        cells = {
            "date": when or dt.date.today().isoformat(),
            "mentor": pair.mentor,
            "mentee": pair.mentee,
            "minutes": "" if minutes is None else str(minutes),
            "review": "yes" if review else "",
            "note": note or "",
        }
        checkin, reasons = checkins.build(cells, project.pairs, lang)
        if checkin is None:
            raise UsageError("; ".join(reasons))
        new = [checkin]
    with locking.locked(project_path, lang):
        # read again under the lock: a meeting logged meanwhile in another terminal stays
        current = checkins.load(project_path, project.pairs, lang)
        meetings, added = checkins.merge(current.meetings, new)
        path = checkins.save(project_path, meetings, lang)
    added_text = msg("count_new_meetings", lang, n=added)
    _console().print(msg("log_saved", lang, added=added_text, updated=len(new) - added, path=escape(str(path))))


def status(project_path: Path, when: str | None) -> None:
    """``mentor status``: the steps, then the pairs view when pairs are saved."""
    from bmw_mentor.framework import checklist
    from bmw_mentor.running import pairsview, rhythm
    from bmw_mentor.wizard import status as status_view

    checklists = checklist.shipped()
    project = _load(project_path)
    lang = project.language
    today = as_of(when, lang)
    console = _console()
    status_view.show(project, checklists, project_path, console)
    if not project.pairs:
        return
    log_ = checkins.load(project_path, project.pairs, lang)
    for line in log_.bad:
        _console(stderr=True).print(f"[yellow]{escape(clean(line))}[/]", soft_wrap=True)
    plan = rhythm.plan_from(project.lookup(), checklists)
    states = [rhythm.state(p, log_.meetings, plan, today) for p in project.pairs]
    console.print()
    pairsview.show(states, plan, today, lang, console)
