"""``mentor status``: a table of the steps, what is answered, and what to do next."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from bmw_mentor.files.textsafe import clean
from bmw_mentor.framework.schema import Checklists
from bmw_mentor.framework.text import Filler
from bmw_mentor.messages import msg
from bmw_mentor.projectfile import progress
from bmw_mentor.projectfile.project import Project


def show(project: Project, checklists: Checklists, path: Path, console: Console) -> None:
    lang = project.language
    fill = Filler(checklists, project.lookup(), lang)
    org = fill("{org_name}") if project.get("org_name") else escape(path.name)
    table = Table(title=msg("status_title", lang, org=escape(clean(org))), title_justify="left")
    table.add_column(msg("status_col_step", lang), justify="right")
    table.add_column(msg("status_col_title", lang))
    table.add_column(msg("status_col_answered", lang), justify="right")
    table.add_column(msg("status_col_defaults", lang), justify="right")
    table.add_column(msg("status_col_time", lang), justify="right")
    table.add_column(msg("status_col_state", lang))
    table.add_column(msg("status_col_next", lang))
    rows = progress.step_progress(project, checklists)
    for row in rows:
        state = msg(f"state_{row.state}", lang)
        colour = {"done": "green", "partial": "yellow", "todo": "dim", "check": "red"}[row.state]
        action = "" if row.state == "done" and not row.defaults else f"mentor step {progress.step_arg(row.number)}"
        label = msg("status_setup", lang) if row.number == 0 else str(row.number)
        title = escape(clean(fill(checklists.step(row.number).title)))
        defaults = str(row.defaults) if row.defaults else ""
        time = msg("status_minutes", lang, m=row.minutes) if row.minutes else ""
        table.add_row(label, title, f"{row.answered}/{row.applicable}", defaults, time, f"[{colour}]{state}[/]", action)
    console.print(table)
    nxt = progress.next_step_number(project, checklists)
    if nxt is None:
        console.print(msg("status_next_export", lang))
    else:
        console.print(msg("status_next_step", lang, k=progress.step_arg(nxt)))
    console.print(f"[dim]{msg('status_file', lang, path=escape(str(path)))}[/]")
