"""Building the plan context: every document's builder run in order, and the cover's facts."""

from __future__ import annotations

from collections.abc import Iterable

from bmw_mentor.documents import communication, forms, milestones, programme, summary, training
from bmw_mentor.documents.builder import Builder, strings
from bmw_mentor.documents.context import DefaultsGroup, PlanContext
from bmw_mentor.documents.spec import DOCS, PlansSpec, load_spec
from bmw_mentor.framework.schema import Checklists
from bmw_mentor.projectfile.project import Project


def build(
    project: Project,
    checklists: Checklists,
    docs: Iterable[str] = DOCS,
    spec: PlansSpec | None = None,
    health: bool = True,
) -> PlanContext:
    """Turn a project into the plan context for the documents in ``docs``.

    With ``health``, the programme plan also gets the programme health check and
    the resource estimate (a calendar does not need them).
    """
    builder = Builder(project, checklists, spec or load_spec(checklists), strings())
    wanted = [d for d in DOCS if d in set(docs)]
    # The programme plan first, so that its items name the open points; then the dates that
    # the other documents refer to.
    programme_doc = programme.build(builder)
    milestones.build(builder)
    built = {
        "programme": programme_doc,
        "communication": communication.build(builder),
        "training": training.build(builder),
        "forms": forms.build(builder),
    }
    documents = [built[name] for name in wanted]
    for doc in documents:
        doc.todos = [t for t in builder.todos if t.doc == doc.id]
    if health and "programme" in wanted:
        programme_doc.health = programme.health_section(builder, project, checklists)
        programme_doc.health_titles = (builder.s["health_title"], builder.s["estimate_title"])
    s = builder.s
    org = builder.answer("org_name")
    coordinator = builder.answer("coordinator_name")
    role = builder.answer("coordinator_role")
    goal = builder.answer("goal_statement")
    pairs = builder.answer("scope_pairs")
    focus = builder.answer("programme_focus")
    launch, end = builder.anchors["launch"], builder.anchors["end"]
    period_text = builder.str_("period_range", start=builder.date(launch), end=builder.date(end)) if launch and end else ""
    pairs_text = programme.pairs_text(project, pairs, builder.lang)
    groups = builder.todo_groups(documents)
    return PlanContext(
        lang=builder.lang,
        s=s,
        org_name=org if isinstance(org, str) else "",
        coordinator=coordinator if isinstance(coordinator, str) else "",
        coordinator_role=role if isinstance(role, str) else "",
        goal=goal if isinstance(goal, str) else "",
        launch_text=builder.date(launch) if launch else "",
        period_text=period_text,
        version_text=builder.date(project.updated.date()),
        pairs_text=pairs_text,
        focus_text=builder.choice_label("programme_focus", focus) if isinstance(focus, str) else "",
        updated=project.updated,
        documents=documents,
        todo_groups=groups,
        milestones=builder.milestones,
        comm_rows=built["communication"].rows,
        audiences=built["training"].audiences,
        # the summary sits at the front of the programme plan; a calendar (no health check) needs neither
        summary=summary.build(builder, programme_doc, groups, period_text, pairs_text) if health and "programme" in wanted else None,
        appendix=summary.appendix(builder, documents, groups) if health else None,
        defaults=defaults_groups(builder),
    )


def defaults_groups(builder: Builder) -> list[DefaultsGroup]:
    """Per step, how many answers are recommended defaults still to review (after a quick start)."""
    out = []
    for step in builder.checklists.steps:
        n = sum(1 for q in step.questions if q.id in builder.project.defaults)
        if n:
            title = builder.fill(step.title) if step.number == 0 else f"{builder.str_('todo_step', n=step.number)}: {builder.fill(step.title)}"
            out.append(DefaultsGroup(title, n, f"mentor step {'setup' if step.number == 0 else step.number}"))
    return out
