"""``mentor check``: the programme health report on screen (Rich) or as JSON for scripts."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.padding import Padding
from rich.table import Table

from bmw_mentor.errors import CheckFailedError
from bmw_mentor.files.textsafe import clean
from bmw_mentor.framework import checklist
from bmw_mentor.health import rules as health
from bmw_mentor.messages import date_text, msg
from bmw_mentor.projectfile import project as project_file

_COLOUR = {"high": "bold red", "medium": "yellow", "low": "cyan"}


def run(path: Path, *, strict: bool, fmt: str) -> None:
    """Check the project at ``path``; with ``strict``, fail while high-severity problems remain."""
    checklists = checklist.shipped()
    project = project_file.load(path)
    data = health.report(project, checklists)
    if fmt == "json":
        from bmw_mentor.files.textsafe import json_text

        sys.stdout.write(json_text(json.dumps(data, ensure_ascii=False, indent=2)) + "\n")
    else:
        org = project.get("org_name")
        show(data, Console(highlight=False), org if isinstance(org, str) and org.strip() else path.name)
    open_high = data["summary"]["high_open"]
    if strict and open_high:
        raise CheckFailedError(msg("check_strict_failed", project.language, n=open_high))


def _t(text: str) -> str:
    return escape(clean(text))


def show(data: dict[str, Any], console: Console, org: str) -> None:
    """Print the report: risks, what is still to decide, coverage, next fixes, estimate."""
    lang = data["language"]
    s = data["summary"]
    console.print()
    console.rule(f"[bold]{_t(msg('check_title', lang, org=org))}[/]", align="left")
    console.print(f"[dim]{msg('check_checked', lang, date=date_text(dt.date.fromisoformat(data['checked']), lang))}[/]")
    console.print(
        msg(
            "check_summary",
            lang,
            risks=msg("count_risks", lang, n=s["risks"]),
            high=s["high"],
            medium=s["medium"],
            low=s["low"],
            decide=msg("count_to_decide", lang, n=s.get("open_questions", s["to_decide"])),
        )
    )

    console.print()
    console.print(f"[bold underline]{msg('check_risks_heading', lang)}[/]")
    risks = [f for f in data["findings"] if f["kind"] == "risk"]
    if not risks:
        console.print(Padding(msg("check_no_risks", lang), (0, 0, 0, 2)))
    for f in risks:
        colour = _COLOUR[f["severity"]]
        console.print(f"  [{colour}]{f['severity_label']:<7}[/] [bold]{_t(f['title'])}[/]")
        body = [
            _t(f["risk"]),
            "[green]" + _t(msg("check_fix", lang, command=f["fix"]["command"], question=f["fix"]["text"])) + "[/]",
            "[dim]" + _t(msg("check_sources", lang, sources=" · ".join(f["sources"]))) + "[/]",
        ]
        console.print(Padding("\n".join(body), (0, 0, 1, 10)))

    if data["to_decide"]:
        console.print(f"[bold underline]{msg('check_decide_heading', lang)}[/]")
        for q in data["to_decide"]:
            colour = _COLOUR[q["severity"]]
            label = msg(f"check_severity_{q['severity']}", lang)
            console.print(f"  [{colour}]{label:<7}[/] [bold]{q['command']}[/] → {_t(q['text'])}")
            titles = "; ".join(dict.fromkeys(q["titles"]))
            console.print(Padding(f"[dim]{_t(msg('check_decide_matters', lang, titles=titles))}[/]", (0, 0, 0, 10)))
        console.print()

    console.print(f"[bold underline]{msg('check_coverage_heading', lang)}[/]")
    for standard in data["coverage"]:
        bar = "■" * standard["met"] + "□" * (standard["total"] - standard["met"])
        line = msg("check_coverage_line", lang, met=standard["met"], total=standard["total"])
        console.print(f"  [bold]{_t(standard['short'])}[/]  {bar}  {line}")
        titles = {f["rule"]: f["title"] for f in data["findings"]}
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=3, justify="right")
        grid.add_column(ratio=1)
        for cp in standard["checkpoints"]:
            mark = "[green]✓[/]" if cp["met"] else "[red]✗[/]"
            detail = ""
            if not cp["met"]:
                open_titles = "; ".join(titles[r] for r in cp["open"][:3]) + ("; …" if len(cp["open"]) > 3 else "")
                detail = f"  [dim]{_t(msg('check_checkpoint_open', lang, titles=open_titles))}[/]"
            grid.add_row(mark, f"{_t(cp['title'])}{detail}")
        console.print(Padding(grid, (0, 0, 0, 2)))
    console.print()

    console.print(f"[bold underline]{msg('check_next_heading', lang)}[/]")
    if not data["next"]:
        console.print(Padding(msg("check_next_none", lang), (0, 0, 0, 2)))
    for i, item in enumerate(data["next"], 1):
        verb = f" ({msg('check_next_answer', lang)})" if item["kind"] == "to_decide" else ""
        console.print(
            f"  {i}. [bold]{item['fix']['command']}[/] → {_t(item['fix']['text'])}{verb}\n"
            f"     [dim]{item['severity_label']}: {_t(item['title'])}[/]"
        )
    console.print()

    est = data["estimate"]
    table = Table(title=msg("check_estimate_heading", lang), title_justify="left", title_style="bold underline")
    table.add_column(msg("check_col_what", lang))
    table.add_column(msg("check_col_estimate", lang), justify="right", no_wrap=True)
    table.add_column(msg("check_col_how", lang), style="dim")
    for item in est["items"]:
        how = _t(item["how"]) + (f"\n[italic]{_t(item['note'])}[/]" if item["note"] else "")
        table.add_row(_t(item["label"]), f"{item['display']} {_t(item['unit'])}".strip(), how)
    console.print(table)
    if est["pairs"]["text"]:
        console.print(f"[bold]{_t(est['pairs']['text'])}[/]")
    if est["assumptions"]:
        console.print(f"[bold]{msg('check_assumptions_heading', lang)}[/]")
        for a in est["assumptions"]:
            if a["command"]:
                why = msg("check_assumption_question", lang, command=a["command"])
            else:
                why = msg("check_assumption_planning", lang)
            console.print(f"  • {_t(a['label'])}: [bold]{a['display']} {_t(a['unit'])}[/] [dim]({why})[/]")

