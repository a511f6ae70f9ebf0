"""The plan's dated moments as an iCalendar file (RFC 5545) the coordinator can import.

Every event is an all-day VEVENT. UIDs and DTSTAMP are derived from the project
(not from the clock), so exporting the same project twice gives the same file
and a re-import updates events instead of duplicating them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from typing import TYPE_CHECKING

from bmw_mentor.files.textsafe import for_document

if TYPE_CHECKING:
    from bmw_mentor.documents.context import PlanContext, Value


def _uid(context: PlanContext, kind: str, key: str, day: dt.date) -> str:
    digest = hashlib.sha256(f"{context.org_name}\x1f{kind}\x1f{key}\x1f{day.isoformat()}".encode()).hexdigest()
    return f"{digest[:32]}@bmw-mentor"


def _text(value: Value) -> str:
    if value.todo is not None:
        return f"{value.todo.label} ({value.todo.command})"
    return ", ".join(value.items) if value.items else value.text


def _one_line(text: str) -> str:
    return " ".join(for_document(text).split())


def calendar(context: PlanContext, docs: Iterable[str]) -> bytes:
    """The calendar for the documents in ``docs``: milestones, communication moments, training sessions."""
    from icalendar import Calendar, Event

    wanted = set(docs)
    s = context.s
    stamp = context.updated.replace(tzinfo=dt.timezone.utc) if context.updated.tzinfo is None else context.updated.astimezone(dt.timezone.utc)
    cal = Calendar()
    cal.add("prodid", "-//bmw-mentor//mentor export//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    # an X- property is written as it is (no escaping): a line break in the name would break the file
    cal.add("x-wr-calname", _one_line(s["cal_name"].format(org=context.org_name)).rstrip(" –"))

    def event(kind: str, key: str, day: dt.date, summary: str, lines: list[str], category: str) -> None:
        ev = Event()
        ev.add("uid", _uid(context, kind, key, day))
        ev.add("dtstamp", stamp)
        ev.add("dtstart", day)
        ev.add("dtend", day + dt.timedelta(days=1))
        # as in the HTML and Markdown plans: control characters and bidi overrides typed into an
        # answer have no meaning in a calendar, and an override can make a name read backwards
        ev.add("summary", _one_line(summary))
        description = "\n".join(for_document(line) for line in lines if line)
        if description:
            ev.add("description", description)
        ev.add("categories", [for_document(category)])
        ev.add("transp", "TRANSPARENT")
        cal.add_component(ev)

    if "programme" in wanted:
        for m in context.milestones:
            event(
                "milestone",
                f"{m.id}:{m.title}",
                m.date,
                m.title,
                [m.moment, m.detail, s["cal_owner"].format(owner=_text(m.owner))],
                s["cal_category_milestone"],
            )
    if "communication" in wanted:
        for r in context.comm_rows:
            if r.date is None:
                continue
            event(
                "communication",
                r.id,
                r.date,
                s["cal_audience"].format(audience=r.audience),
                [r.moment, r.objective, _text(r.message), _text(r.channels), s["cal_owner"].format(owner=_text(r.owner))],
                s["cal_category_communication"],
            )
    if "training" in wanted:
        for a in context.audiences:
            # a session planned as a milestone is already in the calendar when the programme plan is
            if a.date is None or (a.milestone and "programme" in wanted):
                continue
            event(
                "training",
                a.id,
                a.date,
                s["cal_training"].format(audience=a.title),
                [_text(a.topics), _text(a.format), _text(a.duration)],
                s["cal_category_training"],
            )
    return cal.to_ical()
