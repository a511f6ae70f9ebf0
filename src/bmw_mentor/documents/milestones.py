"""The dated milestones of the programme, which the other documents refer to."""

from __future__ import annotations

import datetime as dt

from bmw_mentor.documents.builder import Builder, lower_first, unanswered
from bmw_mentor.documents.context import Milestone
from bmw_mentor.documents.dates import add_months, working_day
from bmw_mentor.documents.spec import At, MilestoneSpec


def build(b: Builder) -> None:
    b.doc = "programme"
    out: list[Milestone] = []
    for order, spec in enumerate(b.spec.milestones):
        title = b.t(spec.title)
        if b.conditions(spec.when, title) is not True:
            continue
        if spec.repeat is None:
            assert spec.at is not None
            day, moment = b.when(spec.at, title)
            if day is not None:
                out.append(_milestone(b, spec, order, day, title, moment))
            continue
        out.extend(_repeats(b, spec, order))
    b.milestones[:] = sorted(out, key=lambda m: (m.date, m.order))


def _milestone(b: Builder, spec: MilestoneSpec, order: int, day: dt.date, title: str, moment: str) -> Milestone:
    return Milestone(
        id=spec.id,
        date=day,
        date_text=b.date(day),
        title=title,
        detail=b.t(spec.detail) if spec.detail else "",
        owner=b.owner(spec.owner),
        phase=spec.phase,
        phase_label=b.s[f"phase_{spec.phase}"],
        moment=moment,
        order=order,
    )


def _repeats(b: Builder, spec: MilestoneSpec, order: int) -> list[Milestone]:
    repeat = spec.repeat
    assert repeat is not None
    qid = repeat.choices_of or repeat.every
    assert qid is not None
    if not b.applies(qid):
        return []
    value = b.answer(qid)
    generic = b.fill(b.q(qid).prompt)
    if unanswered(value):
        b.todo(generic, qid)
        return []
    launch = b.anchors["launch"]
    if launch is None:
        b.todo(generic, "start_date")
        return []
    out = []
    if repeat.choices_of is not None:
        assert isinstance(value, list)
        for choice_id in value:
            choice = b.q(qid).choice(choice_id)
            if choice is None or choice.value is None:
                continue
            label = lower_first(b.fill(choice.label))
            title = b.t(spec.title, choice=label)
            if choice.value == 0:
                day, moment = b.when(At.model_validate({"from": "relationship_end"}), title)
            else:
                day = working_day(add_months(launch, choice.value))
                moment = b.moment("launch", 0, choice.value)
            if day is not None:
                out.append(_milestone(b, spec, order, day, title, moment))
        return out
    assert isinstance(value, (int, float))
    end = b.anchors["end"]
    if end is None:
        b.todo(generic, "programme_months")
        return []
    k = 1
    while k <= 60 and add_months(launch, k * value) < end:
        months = k * value
        title = b.t(spec.title, n=str(k))
        out.append(_milestone(b, spec, order, working_day(add_months(launch, months)), title, b.moment("launch", 0, months)))
        k += 1
    return out

