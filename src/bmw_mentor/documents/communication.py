"""The communication plan: who hears what, when, through which channel."""

from __future__ import annotations

import datetime as dt

from bmw_mentor.documents.builder import Builder
from bmw_mentor.documents.context import CommRow, Document, Value
from bmw_mentor.documents.spec import CommRowSpec
from bmw_mentor.framework.schema import AnswerValue


def build(b: Builder) -> Document:
    b.doc = "communication"
    spec = b.spec.communication
    chosen = b.answer("channels")
    rows: list[CommRow] = []
    for row in spec.rows:
        audience = b.t(row.audience)
        if b.conditions(row.when, audience) is not True:
            continue
        message = _message(b, row, audience)
        channels = _channels(b, row, chosen, audience)
        day, moment = b.when(row.at, audience)
        rows.append(
            CommRow(
                id=row.id,
                audience=audience,
                objective=b.t(row.objective),
                message=message,
                channels=channels,
                moment=moment,
                date=day,
                date_text=b.date(day) if day else "",
                owner=b.owner(row.owner),
            )
        )
    rows.sort(key=lambda r: (r.date or dt.date.max,))
    return Document(
        id="communication",
        title=b.s["doc_communication"],
        intro=b.t(spec.intro),
        principles=[b.t(p) for p in spec.principles],
        rows=rows,
        principles_title=b.s["principles_title"],
        messages_title=b.s["messages_title"],
    )


def _message(b: Builder, row: CommRowSpec, audience: str) -> Value:
    if row.message is not None:
        return Value(text=b.t(row.message))
    source = row.message_from
    assert source is not None
    value = b.answer(source.answer)
    if not isinstance(value, str) or value in source.undecided or value not in source.messages:
        if isinstance(value, str) and value and value not in source.undecided and value not in source.messages:
            return Value(text=value)  # an "other" answer in the organisation's own words
        return Value(todo=b.todo(audience, source.answer))
    return Value(text=b.t(source.messages[value]))


def _channels(b: Builder, row: CommRowSpec, chosen: AnswerValue, audience: str) -> Value:
    if not isinstance(chosen, list) or not chosen:
        return Value(todo=b.todo(b.s["col_channel"], "channels"))
    known = [c for c in chosen if b.q("channels").choice(c) is not None]
    own_words = [c for c in chosen if c not in known]
    picked = [c for c in row.channels if c in known]
    if not picked:
        picked = known[:2]
    items = [b.choice_label("channels", c) for c in picked]
    if row.broad or not items:
        items += own_words
    return Value(items=items)

