"""The training plan: per audience, topics, format, duration and timing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from bmw_mentor.documents.builder import Builder, lower_first, number_text, unanswered
from bmw_mentor.documents.context import Audience, Document, Milestone, Value
from bmw_mentor.documents.spec import AudienceSpec


def build(b: Builder) -> Document:
    b.doc = "training"
    spec = b.spec.training
    audiences = []
    by_id = {m.id: m for m in b.milestones}
    for a in spec.audiences:
        title = b.t(a.title)
        if b.conditions(a.when, title) is not True:
            continue
        topics = _topics(b, a, title)
        if a.format_answer is not None:
            fmt = _answer_value(b, a.format_answer, f"{title}: {b.s['tr_format'].lower()}")
        else:
            fmt = Value(text=b.t(a.format))
        if a.duration is not None:
            hours = b.answer(a.duration.answer)
            if isinstance(hours, (int, float)) and not isinstance(hours, bool):
                duration = Value(text=b.t(a.duration.format, value=number_text(hours, b.lang)))
            else:
                duration = Value(todo=b.todo(f"{title}: {b.s['tr_duration'].lower()}", a.duration.answer))
        else:
            duration = Value(text=b.t(a.duration_text))
        timing, day, milestone = _timing(b, a, title, by_id)
        materials = [b.t(m.text) for m in a.materials if b.conditions(m.when, b.t(m.text)) is True]
        anchor = f"training-{a.id.replace('_', '-')}"
        audiences.append(Audience(anchor, title, topics, fmt, duration, timing, day, materials, milestone))
    return Document(id="training", title=b.s["doc_training"], intro=b.t(spec.intro), audiences=audiences)


def _answer_value(b: Builder, qid: str, label: str) -> Value:
    if not b.applies(qid):
        return Value()
    if unanswered(b.answer(qid)):
        return Value(todo=b.todo(label, qid))
    return Value(items=b.labels(qid))


def _topics(b: Builder, a: AudienceSpec, title: str) -> Value:
    items: list[str] = []
    label = f"{title}: {b.s['tr_topics'].lower()}"
    if a.topics_from and b.conditions(a.topics_from_when, label) is True:
        for qid in a.topics_from:
            if not b.applies(qid):
                continue
            if unanswered(b.answer(qid)):
                return Value(todo=b.todo(label, qid))
            items += b.labels(qid, exclude=a.topics_exclude)
    items += [b.t(t.text) for t in a.topics if b.conditions(t.when, b.t(t.text)) is True]
    return Value(items=items)


def _timing(b: Builder, a: AudienceSpec, title: str, by_id: Mapping[str, Milestone]) -> tuple[Value, dt.date | None, str]:
    """When the session takes place: its wording, its date, and the milestone it shares (if any)."""
    label = f"{title}: {b.s['tr_timing'].lower()}"
    if a.timing_at is not None:
        day, moment = b.when(a.timing_at, label)
        return (Value(text=f"{b.date(day)} ({lower_first(moment)})") if day else Value(text=moment)), day, ""
    if a.timing_answer and unanswered(b.answer(a.timing_answer)) and b.applies(a.timing_answer):
        return Value(todo=b.todo(label, a.timing_answer)), None, ""
    for mid in a.timing:
        m = by_id.get(mid)
        if m is not None:
            return Value(text=f"{m.date_text} ({lower_first(m.moment)})"), m.date, m.id
    if b.anchors["launch"] is None:
        return Value(todo=b.todo(label, "start_date")), None, ""
    return Value(), None, ""

