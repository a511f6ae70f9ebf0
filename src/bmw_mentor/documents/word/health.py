"""The programme plan's health check and resource estimate, as the Word document shows them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bmw_mentor.documents.word import ooxml as ox
from bmw_mentor.documents.word import style as st

if TYPE_CHECKING:
    from bmw_mentor.documents.context import Health
    from bmw_mentor.documents.word.writer import Base


def health(self: Base, h: Health) -> None:
    s = self.s
    self.heading(s["health_title"], 2, page_break=True)
    rerun = s.get("health_rerun")
    self.par(f"{h.intro} {rerun.format(command='mentor check')}" if rerun and not self.for_management else h.intro)
    tiles = [(s["health_checked"], h.checked)]
    tiles += [(s[f"tile_{sev}"], str(h.summary[sev])) for sev in ("high", "medium", "low")]
    tiles += [(s["health_open_count"], str(h.summary["to_decide"]))]
    rows = self.table(None, 2, [38, 34, 34, 34, 34])
    for i, (label, number) in enumerate(tiles):
        self.put(rows[0][i], label, "Field Label")
        self.put(rows[1][i], number, size=11 if i == 0 else 18, bold=i == 0, color=st.NAVY)
        ox.shade(rows[0][i], st.SOFT)
        ox.shade(rows[1][i], st.SOFT)
    self.heading(s["health_risks"], 3)
    if not h.risk_groups:
        self.par(s["health_no_risks"])
    colours = {"high": st.HIGH, "medium": st.MEDIUM, "low": st.ACCENT}
    for group in h.risk_groups:
        for f in group.findings:
            p = self.par("", keep=True, before=6)
            ox.run(p, f"{group.label}  ", bold=True, caps=True, size=8.5, color=colours.get(group.severity))
            ox.run(p, f["title"], bold=True, color=st.NAVY)
            self.par(f["risk"], keep=True)
            fix = f"{s['health_fix'].format(command=f['fix']['command'])} {f['fix']['text']}"
            self.par(fix, indent=4, keep=bool(f.get("sources")) and not self.for_management)
            if f.get("sources") and not self.for_management:
                self.par(f"{s['health_source']}: {' · '.join(f['sources'])}", "Small")
    if h.to_decide:
        self.heading(s["health_decide"], 3)
        self.par(s["health_decide_intro"])
        for q in h.to_decide:
            p = self.par("", "List Bullet")
            ox.run(p, q["text"], bold=True)
            if not self.for_management:
                ox.run(p, f"  ({q['command']})")
            detail = f"{s['health_matters']}: {'; '.join(dict.fromkeys(q['titles']))}"
            ox.run(p, detail, size=9, color=st.MUTED, line_break=True)
    self.heading(s["health_coverage"], 3)
    for standard in h.coverage:
        if self.for_management:
            self.heading(standard["name"], 5)
        else:
            self.heading(standard["short"], 5)
            self.par(standard["name"], "Small", keep=True)
        line = s["health_coverage_line"].format(met=standard["met"], total=standard["total"])
        ox.run(self.par("", keep=True), line, bold=True)
        for cp in standard["checkpoints"]:
            p = self.par("", after=1)
            ox.run(p, "✓  " if cp["met"] else "✗  ", bold=True, color=st.ACCENT if cp["met"] else st.HIGH)
            ox.run(p, cp["title"])
            if not cp["met"]:
                still = f"{s['health_still_open']}: {'; '.join(cp['open_titles'])}"
                ox.run(p, still, size=9, color=st.MUTED, line_break=True)
    self.heading(s["health_next"], 3)
    if not h.next:
        self.par(s["health_next_none"])
    for n in h.next:
        p = self.par("", "List Number")
        if not self.for_management:
            ox.run(p, f"{n['fix']['command']} → ", bold=True)
        ox.run(p, n["fix"]["text"] + (f" ({s['health_next_answer']})" if n["kind"] == "to_decide" else ""))
        ox.run(p, f"{s['sev_' + n['severity']]} · {n['title']}", size=9, color=st.MUTED, line_break=True)
    estimate(self, h)

def estimate(self: Base, h: Health) -> None:
    s, est = self.s, h.estimate
    self.heading(s["estimate_title"], 2)
    self.par(h.estimate_intro)
    if est["pairs"].get("text"):
        ox.run(self.par(""), est["pairs"]["text"], bold=True, color=st.NAVY)
    items = est["items"]
    header = [s["est_col_what"], s["est_col_estimate"], s["est_col_how"]]
    rows = self.table(header, len(items), [60, 28, 86], first_column=True)
    for cells, i in zip(rows, items):
        self.put(cells[0], i["label"])
        self.put(cells[1], f"{i['display']} {i['unit'] or ''}".strip(), bold=True, color=st.NAVY)
        ox.set_align(ox.cell_paragraph(cells[1]), "right")
        self.put(cells[2], i["how"])
        if i.get("note"):
            ox.run(self.par("", container=cells[2]), i["note"], italic=True)
    if est["assumptions"]:
        self.heading(s["est_assumptions"], 3)
        intro = s["est_assumptions_intro"]
        if any(a.get("command") for a in est["assumptions"]):
            intro += " " + s["est_assumptions_open"]
        self.par(intro, keep=True)
        assumptions = est["assumptions"]
        header = [s["est_col_assumption"], s["est_col_value"], s["est_col_basis"]]
        rows = self.table(header, len(assumptions), [60, 28, 86], first_column=True)
        for cells, a in zip(rows, assumptions):
            self.put(cells[0], a["label"])
            self.put(cells[1], f"{a['display']} {a['unit'] or ''}".strip())
            ox.set_align(ox.cell_paragraph(cells[1]), "right")
            basis = s["est_unanswered"].format(command=a["command"]) if a.get("command") else s["est_planning"]
            self.put(cells[2], basis)
