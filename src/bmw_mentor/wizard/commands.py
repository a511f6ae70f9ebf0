"""What each ``mentor`` command does; ``cli.py`` only parses options and calls these."""

from __future__ import annotations

import sys
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from bmw_mentor.errors import NoTerminalError, ProjectExistsError, UsageError
from bmw_mentor.files import locking
from bmw_mentor.framework import checklist
from bmw_mentor.framework.schema import Checklists, Language
from bmw_mentor.messages import guess_language, language, msg, say
from bmw_mentor.projectfile import answerfile
from bmw_mentor.projectfile import project as project_file
from bmw_mentor.projectfile.project import Project


def _console() -> Console:
    return Console(highlight=False)


def _is_terminal() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _require_terminal(lang: str) -> None:
    if not _is_terminal():
        raise NoTerminalError(msg("no_terminal", lang))


def _continue_instead(path: Path) -> bool:
    """``mentor init`` where a project exists: offer to continue it (the README's first line, typed again)."""
    from bmw_mentor.wizard import prompts

    project = project_file.load(path)
    lang = project.language
    try:
        answer = prompts.confirm(msg("project_exists_continue", lang, path=escape(str(path))), lang)
    except (KeyboardInterrupt, EOFError):
        from bmw_mentor.errors import Interrupted

        raise Interrupted(msg("stopped", lang)) from None
    if answer is not True:  # No, or Esc: say how to start over instead
        return False
    resume(path)
    return True


def step_number(checklists: Checklists, name: str) -> int:
    """``setup`` (or its alias 0) or a step number, as typed on the command line."""
    text = name.strip().lower()
    number = 0 if text in ("setup", "set-up", "opzet") else int(text) if text.isdigit() else None
    if number is None or number not in checklists.numbers:
        names = ", ".join(["setup"] + [str(n) for n in checklists.numbers if n])
        raise UsageError(say("no_such_step", number=name, numbers=names))
    return number


def init(path: Path, *, lang: Language | None, answers: Path | None, force: bool, quick: bool | None = None) -> None:
    """Start a project: choose the language, then walk through the set-up and the steps."""
    checklists = checklist.shipped()
    if (path.exists() or path.is_symlink()) and not force and answers is None and _is_terminal():
        if _continue_instead(path):
            return
    _refuse_existing(path, force)
    if answers is not None:
        chosen = lang or answerfile.language_of(answers) or "en"
        project = Project(language=chosen)  # type: ignore[arg-type]
        stored, _ = answerfile.apply(project, checklists, answerfile.read(answers), checklists.numbers, answers)
        _replace(path, project, force)
        _console().print(
            msg("answers_applied", chosen, n=stored, source=escape(str(answers)), path=escape(str(path))), soft_wrap=True
        )
        return
    _require_terminal(lang or language())
    from bmw_mentor.wizard import prompts

    try:
        if lang is None:
            lang = prompts.choose_language(guess_language())  # type: ignore[arg-type]
        while quick is None:
            quick = _choose_path(checklists, lang)
    except (KeyboardInterrupt, EOFError):
        from bmw_mentor.errors import Interrupted

        raise Interrupted(msg("stopped_before_saving", lang or language())) from None
    project = Project(language=lang)
    _replace(path, project, force)
    console = _console()
    console.print(msg("project_created", lang, path=escape(str(path))), soft_wrap=True)
    _wizard(project, path, checklists, console, quick=quick).run(checklists.numbers[0], chain=True)


def _choose_path(checklists: Checklists, lang: Language) -> bool | None:
    """Quick start or full framework, each with what it costs; None when Esc was pressed."""
    from bmw_mentor.projectfile import progress
    from bmw_mentor.wizard import prompts

    empty = Project(language=lang)
    sizes = {}
    for quick in (True, False):
        # every step's questions, plus the review at the end of each step, plus language and path
        n, asked = progress.path_total(empty, checklists, quick=quick)
        sizes[quick] = (n + len(checklists.steps) + 2, progress.minutes(asked) + len(checklists.steps))
    options = [
        (msg("path_quick", lang, n=sizes[True][0], m=_round5(sizes[True][1])), True),
        (msg("path_full", lang, n=sizes[False][0], m=_round5(sizes[False][1])), False),
    ]
    answer = prompts.choose(msg("path_question", lang), options, lang)
    return answer if isinstance(answer, bool) else None


def _round5(minutes: int) -> int:
    return max(5, 5 * round(minutes / 5))


def _refuse_existing(path: Path, force: bool) -> None:
    if (path.exists() or path.is_symlink()) and not force:
        raise ProjectExistsError(say("project_exists", path=path))


def _replace(path: Path, project: Project, force: bool) -> None:
    """Write a new project; with ``--force`` the old one is first kept as a timestamped backup."""
    with locking.locked(path, project.language):
        # checked again under the lock: another `mentor init` may have been quicker
        _refuse_existing(path, force)
        if force and path.exists():
            project_file.backup(path)
        project_file.save(project, path)


def step(path: Path, name: str, *, answers: Path | None, from_start: bool) -> None:
    """Ask one step again (resuming an unfinished one), or fill it from an answers file."""
    checklists = checklist.shipped()
    number = step_number(checklists, name)
    project = project_file.load(path)
    if answers is not None:
        given = answerfile.read(answers)
        with locking.locked(path, project.language):
            # read again under the lock, so that a change made meanwhile by another mentor is kept
            project = project_file.load(path)
            stored, ignored = answerfile.apply(project, checklists, given, [number], answers)
            project_file.save(project, path)
        console = _console()
        lang = project.language
        # paths stay on one line, so that they can be copied
        console.print(
            msg("answers_applied", lang, n=stored, source=escape(str(answers)), path=escape(str(path))), soft_wrap=True
        )
        if ignored:
            console.print(msg("answers_ignored", lang, ids=", ".join(ignored)), soft_wrap=True)
        return
    _require_terminal(project.language)
    _wizard(project, path, checklists, _console()).run(number, chain=True, from_start=from_start, check_order=True)


def resume(path: Path) -> None:
    """Continue with the first step that is not finished."""
    from bmw_mentor.projectfile import progress

    checklists = checklist.shipped()
    project = project_file.load(path)
    nxt = progress.next_step_number(project, checklists)
    if nxt is None:
        _console().print(msg("status_next_export", project.language))
        return
    _require_terminal(project.language)
    _wizard(project, path, checklists, _console()).run(nxt, chain=True)


def status(path: Path) -> None:
    from bmw_mentor.wizard import status as status_view

    checklists = checklist.shipped()
    project = project_file.load(path)
    status_view.show(project, checklists, path, _console())


def _wizard(project: Project, path: Path, checklists: Checklists, console: Console, *, quick: bool = False):  # type: ignore[no-untyped-def]
    from bmw_mentor.wizard.loop import Wizard

    return Wizard(project, path, checklists, console, quick=quick)
