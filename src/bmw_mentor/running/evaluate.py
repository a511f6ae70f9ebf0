"""``mentor evaluate``: the blank questionnaires, and the report made from the answers.

The responses read for a report are kept owner-only next to the project
(``mentor-responses.yaml``) with the report files noted in the ledger, so that
``mentor forget`` can take a person's answers out and write the reports again.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape

from bmw_mentor.errors import RecordsInvalidError, UsageError
from bmw_mentor.files import ledger, yamlio
from bmw_mentor.files.textsafe import clean
from bmw_mentor.messages import msg
from bmw_mentor.projectfile.project import Project
from bmw_mentor.running.questionnaires import Words, evaluation
from bmw_mentor.running.report import Report, TargetResult, build
from bmw_mentor.running.responses import Response

STORE_FILE = "mentor-responses.yaml"
FORMATS = {".html": "html", ".htm": "html", ".md": "md", ".docx": "docx", ".pdf": "pdf"}


def store_path(project_path: Path) -> Path:
    return project_path.parent / STORE_FILE


def _words(project: Project) -> Words:
    from bmw_mentor.framework import checklist

    return Words(checklist.shipped(), project.lookup(), project.language)


def _load(project_path: Path) -> Project:
    from bmw_mentor.projectfile import project as project_file

    return project_file.load(project_path)


def run(project_path: Path, files: list[str], outs: list[Path]) -> None:
    """``mentor evaluate template [--out FILE.xlsx]`` or ``mentor evaluate FILE... --out REPORT``."""
    if files == ["template"]:
        template_command(project_path, (outs or [Path("evaluation-questionnaires.xlsx")])[0])
    else:
        command(project_path, [Path(f) for f in files], outs)


# -- mentor evaluate template ------------------------------------------------------
def template_command(project_path: Path, out: Path) -> None:
    from bmw_mentor.files.atomic import write_atomic
    from bmw_mentor.running.questionnaires import applicable, template

    project = _load(project_path)
    lang = project.language
    if out.suffix.lower() != ".xlsx":
        raise UsageError(msg("evaluate_template_xlsx", lang, path=out))
    words = _words(project)
    write_atomic(out, template(words), mode=0o644)
    names = ", ".join(words(q.title) for q in applicable(words))
    Console(highlight=False).print(msg("evaluate_template_written", lang, path=escape(str(out)), names=escape(names)))


# -- mentor evaluate FILE --out REPORT ----------------------------------------------
def command(project_path: Path, files: list[Path], outs: list[Path]) -> None:
    from bmw_mentor.files.atomic import write_atomic
    from bmw_mentor.running import responses

    project = _load(project_path)
    lang = project.language
    if not outs:
        raise UsageError(msg("evaluate_no_out", lang))
    for out in outs:
        if out.suffix.lower() not in FORMATS:
            raise UsageError(msg("evaluate_bad_out", lang, path=out))
    words = _words(project)
    read = responses.read(files, words)
    err = Console(highlight=False, stderr=True)
    for line in read.bad:
        err.print(f"[yellow]{escape(clean(line))}[/]", soft_wrap=True)
    if not read.rows:
        raise RecordsInvalidError(msg("evaluate_no_rows", lang, paths=", ".join(map(str, files))))
    save_store(project_path, read.rows)
    for source in files:
        ledger.note_source(project_path.parent, source)
    console = Console(highlight=False)
    for out in outs:
        fmt = FORMATS[out.suffix.lower()]
        content = render(project, read.rows, fmt)
        note_report(project_path, out, fmt, content)
        write_atomic(out, content, mode=0o600)
        console.print(msg("evaluate_written", lang, path=escape(str(out)), n=len(read.rows)))


def save_store(project_path: Path, rows: list[Response]) -> None:
    from bmw_mentor.files.atomic import write_atomic

    data = {
        "responses": [
            {"questionnaire": r.questionnaire, "group": r.group, "name": r.name, "answers": dict(r.answers)}
            for r in rows
        ]
    }
    header = "# Evaluation responses read by `mentor evaluate`. They hold names: keep this file on your own machine.\n"
    path = store_path(project_path)
    write_atomic(path, (header + yamlio.dumps(data)).encode("utf-8"))
    ledger.note_file(path, "responses")


def load_store(project_path: Path) -> list[Response]:
    path = store_path(project_path)
    if not path.exists():
        return []
    data = yamlio.load_file(path) or {}
    rows = []
    for r in data.get("responses") or []:
        if isinstance(r, dict) and isinstance(r.get("answers"), dict):
            rows.append(
                Response(
                    str(r.get("questionnaire", "")),
                    str(r.get("group", "unknown")),
                    str(r.get("name") or ""),
                    r["answers"],
                )
            )
    return rows


def note_report(project_path: Path, path: Path, fmt: str, content: bytes) -> None:
    """Record a report (with what it holds) *before* it is written, so that ``forget`` can prove it is ours."""
    from bmw_mentor.files.locking import locked

    folder = project_path.parent
    with locked(project_path):
        index = ledger.load(folder)
        entry = {
            "path": ledger.absolute(path),
            "kind": "evaluation",
            "format": fmt,
            "project": ledger.absolute(project_path),
            "sha256": ledger.sha256(content),
        }
        index["files"] = [f for f in index["files"] if f["path"] != entry["path"]] + [entry]
        ledger.save(folder, index)


# -- rendering --------------------------------------------------------------------
def render(project: Project, rows: list[Response], fmt: str) -> bytes:
    """The report as HTML (one file, inline SVG charts), Markdown, Word or PDF."""
    from bmw_mentor.documents.render import environment
    from bmw_mentor.running import wordreport

    words = _words(project)
    report = build(rows, words)
    view = view_model(report, words, project, with_charts=fmt in ("html", "pdf"))
    org = str(words.answers.get("org_name") or "")
    if fmt == "docx":
        return wordreport.docx(view, project.updated, org)
    text = environment("md" if fmt == "md" else "html").get_template(f"evaluation.{'md' if fmt == 'md' else 'html'}.j2")
    rendered = text.render(**view)
    if fmt == "pdf":
        return wordreport.pdf(rendered, words.lang, project.updated, org)
    return rendered.encode("utf-8")


def percent(share: float, lang: str) -> str:
    value = round(share * 100)
    return f"{value} %" if lang == "nl" else f"{value}%"


def decimal(value: float, lang: str) -> str:
    text = f"{value:.1f}"
    return text.replace(".", ",") if lang == "nl" else text


def view_model(report: Report, words: Words, project: Project, with_charts: bool) -> dict[str, Any]:
    from bmw_mentor.running.charts import bar_svg

    lang = words.lang
    ev = evaluation()
    s = {k: words(v) for k, v in ev.report.items()}
    k = report.threshold
    sections = []
    chart = 0
    for sec in report.sections:
        closed = []
        for d in sec.distributions:
            if not d.n:
                continue  # a question nobody answered says nothing
            chart += 1
            if d.mean is not None:
                summary = _w(words, "average", mean=decimal(d.mean, lang), size=len(d.points))
            else:
                summary = _w(words, "yes_share", share=percent(d.counts[1] / d.n, lang)) if d.n else ""
            svg = bar_svg(d.points, d.by_group, d.text, f"c{chart}") if with_charts else ""
            rows = [[p, *[g[i] for g in d.by_group.values()], d.counts[i]] for i, p in enumerate(d.points)]
            closed.append(
                {"text": d.text, "n": d.n, "summary": summary, "svg": svg, "groups": list(d.by_group), "rows": rows}
            )
        sections.append(
            {
                "id": f"q-{sec.questionnaire.id}",
                "title": sec.title,
                "counts": [{"label": c.label, "n": c.n, "withheld": c.withheld} for c in sec.counts],
                "any_withheld": any(c.withheld for c in sec.counts),
                "total": sec.total,
                "shown": sec.shown,
                "closed": closed,
                "open": [{"text": o.text, "answers": o.answers} for o in sec.open_answers],
            }
        )
    updated = project.updated.date() if isinstance(project.updated, dt.datetime) else dt.date.today()
    org = words.answers.get("org_name")
    return {
        "s": s,
        "lang": lang,
        "title": s["title"],
        "subtitle": s["subtitle"] if org else "",
        "made_on": _w(words, "made_on", date=updated.isoformat(), n=sum(x.total for x in report.sections)),
        "withheld_note": _w(words, "withheld_note", k=k),
        "nothing_shown": _w(words, "nothing_shown", k=k),
        "withheld_word": _w(words, "withheld", k=k),
        "footer": _w(words, "footer", k=k),
        "page_of": s["page_of"],
        "targets": [_target(t, s, words) for t in report.targets],
        "summary": in_short(report, words),
        "sections": sections,
        "next_steps": report.next_steps,
    }


def in_short(report: Report, words: Words) -> list[str]:
    """A few sentences for a reader in a hurry: targets reached, then each questionnaire's headlines."""
    lang = words.lang
    lines = []
    measured = [t for t in report.targets if t.met is not None]
    if measured:
        lines.append(_w(words, "summary_targets", met=sum(1 for t in measured if t.met), measured=len(measured)))
    unmeasured = [t for t in report.targets if t.measure is None]
    if unmeasured:
        lines.append(_w(words, "summary_unmeasured", k="; ".join(t.target for t in unmeasured)))
    for sec in report.sections:
        by_id = {d.qid: d for d in sec.distributions}
        for h in sec.questionnaire.headlines:
            d = by_id.get(h.question)
            if d is None or not d.n:
                continue
            value = decimal(d.mean, lang) if d.mean is not None else percent(d.counts[-1] / d.n, lang)
            lines.append(words(h.text, value=value, n=str(d.n)))
    return lines


def _w(words: Words, key: str, **local: object) -> str:
    """A fixed word of the report with figures filled in (never str.format: answers may hold braces)."""
    return words(evaluation().report[key], **{k: str(v) for k, v in local.items()})


def _target(t: TargetResult, s: dict[str, str], words: Words) -> dict[str, Any]:
    lang = words.lang
    if t.measure is None:
        return {"target": t.target, "measure": "", "result": s["not_measured"], "verdict": "", "state": "none"}
    if t.result is None:
        return {"target": t.target, "measure": t.measure, "result": s["no_answers_yet"], "verdict": "", "state": "none"}
    if t.kind == "mean":
        result = _w(words, "mean_result", mean=decimal(t.result, lang), goal=decimal(t.goal or 0, lang), n=t.n)
    elif t.kind.startswith("share_from_"):
        result = _w(words, "share_from_result", share=percent(t.result, lang), n=t.n, low=t.kind.rsplit("_", 1)[1])
    else:
        result = _w(words, "share_result", share=percent(t.result, lang), n=t.n)
    if t.met is None:
        return {"target": t.target, "measure": t.measure, "result": result, "verdict": s["no_goal"], "state": "none"}
    verdict = s["met"] if t.met else s["not_met"]
    if t.goal is not None and t.kind != "mean":
        verdict += f" ({percent(t.goal, lang)})"
    return {
        "target": t.target,
        "measure": t.measure,
        "result": result,
        "verdict": verdict,
        "state": "met" if t.met else "missed",
    }
