"""The one-page summary at the front of the programme plan, and the appendix for the coordinator.

The summary speaks to the managing director: goal, who takes part, the key
dates, who coordinates, the time (and cost) involved, the main risks and what
is still open. Everything a coordinator needs to keep the plan up to date
(commands, sources of the health findings, what the standards are) goes into
the appendix instead, so the body of the documents stays free of it.
"""

from __future__ import annotations

from bmw_mentor.documents.builder import Builder, number_text
from bmw_mentor.documents.context import (
    Appendix,
    Document,
    Health,
    KeyDate,
    Milestone,
    SourceNote,
    Summary,
    SummaryRisk,
    TodoGroup,
)
from bmw_mentor.health.estimate import finite


def build(b: Builder, programme: Document, todo_groups: list[TodoGroup], period: str, pairs: str) -> Summary:
    """The summary of the programme plan from the answers, the milestones and the health check."""
    spec = b.spec.summary
    s = b.s
    goal = b.answer("goal_statement")
    coordinator = b.answer("coordinator_name")
    role = b.answer("coordinator_role")
    return Summary(
        title=s["summary_title"],
        goal=goal if isinstance(goal, str) else "",
        target=_target(b, spec.target),
        pairs=pairs,
        period=period,
        dates=[KeyDate(b.t(d.label), _first_date(b.milestones, d.milestones)) for d in spec.dates],
        coordinator=coordinator.strip() if isinstance(coordinator, str) else "",
        coordinator_role=role.strip() if isinstance(role, str) else "",
        **_hours(b, programme.health),
        **_risks(b, programme.health, spec.risks),
        **_open(b, todo_groups, spec.open),
        labels={k[len("sum_"):]: v for k, v in s.items() if k.startswith("sum_") and isinstance(v, str)},
    )


def _target(b: Builder, answers: list[str]) -> str:
    for qid in answers:
        if not b.applies(qid):
            continue
        value = b.answer(qid)
        if isinstance(value, str) and value.strip():
            return value.strip()
        if isinstance(value, list) and value:
            return ", ".join(b.labels(qid))
    return ""


def _first_date(milestones: list[Milestone], ids: list[str]) -> str:
    """The earliest of these milestones in the plan (milestones are in date order)."""
    found = next((m for m in milestones if m.id in ids), None)
    return found.date_text if found is not None else ""


def _hours(b: Builder, health: Health | None) -> dict[str, str]:
    """Working time from the resource estimate, and its cost when the hourly cost is known."""
    empty = {"hours": "", "hours_split": "", "cost": ""}
    if health is None:
        return empty
    values = health.estimate["values"]
    mentor = finite(values.get("mentor_hours_total"))
    per_mentee = finite(values.get("hours_per_mentee"))
    pairs = finite(values.get("scope_pairs"))
    coordinator = finite(values.get("coordinator_hours"))
    if mentor is None or per_mentee is None or pairs is None or coordinator is None:
        return empty
    mentee = per_mentee * pairs
    total = mentor + mentee + coordinator

    def hours(n: float) -> str:
        return number_text(round(n), b.lang)

    out = {
        "hours": b.str_("sum_hours_total", n=hours(total)),
        "hours_split": b.t(b.s["sum_hours_split"], mentor_h=hours(mentor), mentee_h=hours(mentee), coordinator_h=hours(coordinator)),
        "cost": "",
    }
    rate = finite(b.answer("hourly_cost")) if b.applies("hourly_cost") else None
    if rate:
        out["cost"] = b.str_("sum_cost", amount=money(total * rate, b.s["thousands"]), rate=money(rate, b.s["thousands"]))
    return out


def money(amount: float, separator: str) -> str:
    """A rounded amount with thousands grouped: the figure is an estimate, so it claims no more precision than it has."""
    step = 100 if amount >= 10_000 else 10 if amount >= 1_000 else 1
    return f"{round(amount / step) * step:,}".replace(",", separator)


def _risks(b: Builder, health: Health | None, limit: int) -> dict[str, object]:
    if health is None:
        return {"risks": [], "risks_none": ""}
    found = [f for g in health.risk_groups for f in g.findings][:limit]
    risks = [SummaryRisk(f["severity"], b.s[f"sev_{f['severity']}"], f["title"], f["risk"]) for f in found]
    return {"risks": risks, "risks_none": "" if risks else b.s["health_no_risks"]}


def _open(b: Builder, groups: list[TodoGroup], limit: int) -> dict[str, object]:
    labels: list[str] = []
    for group in groups:
        for todo in group.todos:
            line = b.str_("todo_line", label=todo.label)
            if line not in labels:
                labels.append(line)
    shown = labels[:limit]
    rest = len(labels) - len(shown)
    more = ""
    if rest:
        more = b.s["sum_open_more_one"] if rest == 1 else b.str_("sum_open_more", n=rest)
    return {"open": shown, "open_more": more}


# -- the appendix for the coordinator ------------------------------------------
def appendix(b: Builder, documents: list[Document], groups: list[TodoGroup]) -> Appendix:
    """What the coordinator needs to keep the plan up to date; nothing of it is in the body."""
    s = b.s
    health = next((d.health for d in documents if d.health is not None), None)
    keep = [s["app_check"], s["app_export"]] if health is not None else [s["app_export"]]
    commands = ["mentor check", "mentor export"] if health is not None else ["mentor export"]
    decide: list[tuple[str, str]] = []
    assumptions: list[tuple[str, str]] = []
    findings: list[SourceNote] = []
    standards: list[dict[str, str]] = []
    if health is not None:
        decide = [(q["text"], q["command"]) for q in health.to_decide]
        assumptions = [(a["label"], a["command"]) for a in health.estimate["assumptions"] if a["command"]]
        findings = [
            SourceNote(f["title"], f["severity_label"], f["sources"], f["fix"]["command"])
            for f in health.report["findings"]
        ]
        standards = [{"short": c["short"], "name": c["name"], "about": c["about"]} for c in health.coverage]
    return Appendix(
        title=s["app_title"],
        intro=s["app_intro"],
        todo_groups=groups,
        keep_current=keep,
        commands=commands,
        decide=decide,
        assumptions=assumptions,
        findings=findings,
        standards=standards,
        pairs_note=s["app_pairs"] if b.project.pairs and any(d.id == "programme" for d in documents) else "",
    )
