"""The programme plan: its sections, from ``plans.yaml`` and the answers, and the health section."""

from __future__ import annotations

import datetime as dt

from bmw_mentor.documents.builder import Builder, number_text, unanswered
from bmw_mentor.documents.context import (
    Block,
    Document,
    Entry,
    Grid,
    Health,
    NeedGroup,
    PairList,
    RiskGroup,
    Section,
    Value,
)
from bmw_mentor.documents.spec import Item, SectionSpec
from bmw_mentor.framework.schema import AnswerValue, Checklists, Language
from bmw_mentor.projectfile.project import Project

# The programme plan lists the pairs from `mentor match` in the section that asks how pairs are formed.
_MATCHING_QUESTIONS = {"matching_approach", "matching_criteria", "mentor_pool"}


def item(b: Builder, item: Item, context: str = "") -> Entry | None:
    if item.text is not None:
        if b.conditions(item.when, b.t(item.text)) is not True:
            return None
        return Entry(kind="list", label="", value=Value(items=[b.t(item.text)]))
    label = b.t(item.label)
    # in the list of open points, an item of a subsection needs the subsection's name to make sense
    todo_label = f"{context}: {label}" if context else label
    if item.block is not None:
        return block(b, item.block, label)
    assert item.answer is not None
    qid = item.answer
    if not b.applies(qid) or b.conditions(item.when, todo_label) is not True:
        return None
    if qid == "scope_pairs" and b.project.pairs:
        return Entry(kind="text", label=label, value=Value(text=matched_pairs_text(b)))
    q = b.q(qid)
    value = b.answer(qid)
    if value == []:
        return None  # nothing ticked: nothing to say
    if unanswered(value) or (isinstance(value, str) and value in item.undecided):
        return Entry(kind="todo", label=label, value=Value(todo=b.todo(todo_label, qid)))
    if q.type == "multi":
        return Entry(kind="list", label=label, value=Value(items=b.labels(qid)))
    if q.type == "yes_no":
        sentence = item.if_true if value is True else item.if_false
        text = b.t(sentence) if sentence else b.s["word_yes" if value else "word_no"]
        return Entry(kind="text", label=label, value=Value(text=text))
    if q.type == "single":
        assert isinstance(value, str)
        text = b.t(item.sentences[value]) if value in item.sentences else b.choice_label(qid, value)
        return Entry(kind="text", label=label, value=Value(text=text))
    if isinstance(value, dt.date):
        shown = b.date(value)
    elif isinstance(value, (int, float)):
        shown = number_text(value, b.lang)
    else:
        shown = str(value)
    if item.format is not None:
        end = b.anchors["end"]
        shown = b.t(item.format, value=shown, end_date=b.date(end) if end else "")
    return Entry(kind="text", label=label, value=Value(text=shown), emphasis=item.emphasis)


def block(b: Builder, kind: str, label: str) -> Entry | None:
    if kind == "needs":
        groups = [NeedGroup(b.t(d.title), b.labels(d.answer)) for d in b.spec.needs_domains]
        groups = [g for g in groups if g.items]
        if not groups:
            open_q = next((d.answer for d in b.spec.needs_domains if b.answer(d.answer) is None), None)
            if open_q is None:
                return None
            return Entry(kind="todo", label=label, value=Value(todo=b.todo(label, open_q)))
        return Entry(kind="needs", label=label, data=groups)
    if kind == "learning_grid":
        grid = b.spec.learning_grid
        rows = []
        for row in grid.rows:
            cells = []
            for qid in row.cells:
                if b.answer(qid) is None:
                    cells.append(Value(todo=b.todo(label, qid)))
                else:
                    cells.append(Value(items=b.labels(qid)))
            rows.append((b.t(row.title), cells))
        return Entry(kind="grid", label=label, data=Grid([b.t(c.title) for c in grid.columns], rows))
    if kind == "team_tasks":
        rows = [(b.t(task.title), b.owner(task.answer)) for task in b.spec.team_tasks]
        return Entry(kind="team", label=label, data=rows)
    if kind == "milestones":
        if b.anchors["launch"] is None:
            return Entry(kind="todo", label=label, value=Value(todo=b.todo(label, "start_date")))
        return Entry(kind="milestones", label=label, data=b.milestones)
    raise AssertionError(kind)  # pragma: no cover - the schema allows no other block


def section(b: Builder, spec: SectionSpec, prefix: str, nested: bool = False) -> Section | None:
    context = b.t(spec.title) if nested else ""
    entries = [e for e in (item(b, i, context) for i in spec.items) if e is not None]
    if b.project.pairs and any(i.answer in _MATCHING_QUESTIONS for i in spec.items):
        entries.append(pairs_entry(b))
    subsections = [s for s in (section(b, sub, prefix, nested=True) for sub in spec.subsections) if s is not None]
    if not entries and not subsections:
        return None
    return Section(
        id=f"{prefix}-{spec.id.replace('_', '-')}",
        title=b.t(spec.title),
        intro=b.t(spec.intro) if spec.intro else "",
        blocks=_blocks(entries),
        subsections=subsections,
    )


# -- pairs from `mentor match` --------------------------------------------
def matched_pairs_text(b: Builder) -> str:
    """The number of pairs once pairs are accepted, and the number planned when that differs."""
    n = len(b.project.pairs)
    text = b.s["pairs_matched_one"] if n == 1 else b.str_("pairs_matched", n=n)
    planned = b.answer("scope_pairs")
    if isinstance(planned, (int, float)) and not isinstance(planned, bool) and planned != n:
        text = b.str_("pairs_planned", text=text, planned=number_text(planned, b.lang))
    return text


def pairs_entry(b: Builder) -> Entry:
    rows = sorted(
        ((" ".join(p.mentor.split()), " ".join(p.mentee.split())) for p in b.project.pairs),
        key=lambda r: (r[0].casefold(), r[1].casefold()),
    )
    table = PairList(mentor=b.fill("{Mentor}"), mentee=b.fill("{Mentee}"), rows=rows, note=b.s["pairs_note"])
    return Entry(kind="pairs", label=b.s["pairs_title"], data=table)


def build(b: Builder) -> Document:
    b.doc = "programme"
    sections = [s for s in (section(b, sec, "programme") for sec in b.spec.programme.sections) if s is not None]
    return Document(id="programme", title=b.s["doc_programme"], intro=b.t(b.spec.programme.intro), sections=sections)


def pairs_text(project: Project, planned: AnswerValue, lang: Language) -> str:
    """The cover's number of pairs: those accepted with ``mentor match``, else the number planned."""
    if project.pairs:
        return str(len(project.pairs))
    if isinstance(planned, (int, float)) and not isinstance(planned, bool):
        return number_text(planned, lang)
    return ""


def _blocks(entries: list[Entry]) -> list[Block]:
    """Group entries for layout: consecutive short ones form a facts list, loose statements one list."""
    blocks: list[Block] = []
    for entry in entries:
        last = blocks[-1] if blocks else None
        if entry.kind == "list" and not entry.label and last and last.kind == "entry":
            prev = last.entries[-1]
            if prev.kind == "list" and not prev.label:
                prev.value.items.extend(entry.value.items)
                continue
        if entry.short and last is not None and last.kind == "facts":
            last.entries.append(entry)
        elif entry.short:
            blocks.append(Block("facts", [entry]))
        else:
            blocks.append(Block("entry", [entry]))
    return blocks


def health_section(builder: Builder, project: Project, checklists: Checklists) -> Health:
    """Run the programme health check as of the project's last save, so an export is reproducible."""
    from bmw_mentor.health import rules as health

    checked = project.updated.date()
    report = health.report(project, checklists, health.shipped(checklists), today=checked)
    groups = []
    for severity in health.SEVERITIES:
        found = [f for f in report["findings"] if f["kind"] == "risk" and f["severity"] == severity]
        if found:
            groups.append(RiskGroup(severity, builder.s[f"sev_{severity}"], found))
    titles = {f["rule"]: f["title"] for f in report["findings"]}
    for standard in report["coverage"]:
        for point in standard["checkpoints"]:
            point["open_titles"] = [titles[r] for r in point["open"] if r in titles]
    pairs = report["estimate"]["pairs"]
    if pairs["source"] == "matched":
        # `mentor check` names the command; the plan speaks to its reader instead
        key = "est_pairs_matched_planned" if pairs["planned"] is not None and pairs["planned"] != pairs["value"] else "est_pairs_matched"
        shown = {k: number_text(pairs[k], builder.lang) for k in ("value", "planned") if pairs[k] is not None}
        pairs["text"] = builder.str_(key, n=shown["value"], planned=shown.get("planned", ""))
    names = [c["name"] for c in report["coverage"]]
    standards = names[0] if len(names) == 1 else builder.str_("list_and", a=", ".join(names[:-1]), b=names[-1])
    return Health(
        report=report,
        checked=builder.date(checked),
        intro=builder.str_("health_intro", standards=standards),
        estimate_intro=builder.str_("estimate_intro", date=builder.date(checked)),
        risk_groups=groups,
    )


