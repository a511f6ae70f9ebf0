"""The one-page summary at the front (for the managing director) and the appendix for the coordinator."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bmw_mentor.documents.word import ooxml as ox
from bmw_mentor.documents.word import style as st

if TYPE_CHECKING:
    from bmw_mentor.documents.word.writer import Base

SEVERITY = {"high": st.HIGH, "medium": st.MEDIUM, "low": st.ACCENT}


def summary(w: Base, m: Any) -> None:
    """Goal, the facts a director asks about, the main risks and what is still open: one page."""
    s, labels = w.s, m.labels
    # a Heading 1: the summary is the document's first section, in Word's navigation pane too
    w.par(m.title, "Heading 1", before=14)
    if m.goal:
        w.par(labels["goal"], "Field Label")
        w.text(m.goal, style="Goal")
    else:
        w.par(f"{s['todo']}: {labels['goal']}", "To Decide")
    coordinator = ", ".join(x for x in (m.coordinator or s["todo"], m.coordinator_role) if x)
    facts = [
        (labels["target"], m.target or s["todo"]),
        (labels["pairs"], m.pairs or s["todo"]),
        (labels["period"], m.period or s["todo"]),
        (labels["coordinator"], coordinator),
        (labels["dates"], "\n".join(f"{d.label}: {d.date_text or s['todo']}" for d in m.dates)),
    ]
    if m.hours:
        facts.append((labels["time"], "\n".join(x for x in (m.hours, m.hours_split, m.cost) if x)))
    w.facts(facts)
    w.heading(labels["risks"], 2)
    if m.risks:
        for r in m.risks:
            p = w.par("", "List Number")
            ox.run(p, f"{r.severity_label}  ", bold=True, caps=True, size=8.5, color=SEVERITY.get(r.severity))
            ox.run(p, r.title, bold=True)
            ox.run(p, r.risk, size=9.5, color=st.MUTED, line_break=True)
    else:
        w.par(m.risks_none)
    w.heading(labels["open"], 2)
    if m.open:
        w.bullets(m.open)
        if m.open_more:
            w.par(m.open_more, "Small")
    else:
        w.par(labels.get("open_none", ""))


def appendix(w: Base, a: Any) -> None:
    """Everything for the person who keeps the plan: commands, open points by step, sources, standards."""
    s = w.s
    w.heading(a.title, 1, page_break=True)
    w.par(a.intro, "Lead")
    w.heading(s["app_keep"], 2)
    for words, command in a.keep:
        w.par(words.format(command=command), "List Bullet")
    if a.pairs_note:
        w.par(a.pairs_note, "List Bullet")
    w.heading(s["app_open"], 2)
    titles = w.c.doc_titles
    for group in a.todo_groups:
        w.heading(f"{group.title} · {group.command}", 3)
        for t in group.todos:
            p = w.par(t.label, "List Bullet")
            ox.run(p, f"  ({titles[t.doc]})", size=9, color=st.MUTED)
    if not a.todo_groups:
        w.par(s["app_open_none"])
    for key, pairs in (("app_decide", a.decide), ("app_assumptions", a.assumptions)):
        if pairs:
            w.heading(s[key], 2)
            for text, command in pairs:
                p = w.par(text, "List Bullet")
                ox.run(p, f"  {command}", bold=True)
    if a.findings:
        w.heading(s["app_findings"], 2)
        header = [s["app_col_finding"], s["app_col_source"], s["app_col_step"]]
        rows = w.table(header, len(a.findings), [70, 70, 34])
        for cells, f in zip(rows, a.findings):
            w.put(cells[0], f.title, bold=True)
            w.par(f.severity_label, "Small", cells[0])
            w.put(cells[1], f.sources[0] if f.sources else "")
            for source in f.sources[1:]:
                w.par(source, container=cells[1])
            w.put(cells[2], f.command)
    if a.standards:
        w.heading(s["app_standards"], 2)
        for standard in a.standards:
            w.heading(standard["short"], 4)
            w.par(standard["about"])
