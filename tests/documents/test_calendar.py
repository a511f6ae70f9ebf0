"""The .ics export, read back with icalendar."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from exportkit import EXAMPLES, export, load_yaml, write_project
from icalendar import Calendar

from bmw_mentor.documents import dates
from bmw_mentor.documents.plan import build
from bmw_mentor.files.textsafe import for_document
from bmw_mentor.framework import checklist
from bmw_mentor.projectfile.project import load

MANUFACTURING = next(p for p in EXAMPLES if p.name.startswith("manufacturing"))


def test_calendar_reads_back(tmp_path: Path) -> None:
    source = MANUFACTURING / "mentor-project.yaml"
    assert export(source, tmp_path / "plan.ics") == 0
    raw = (tmp_path / "plan.ics").read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # RFC 5545 folds long lines
    cal = Calendar.from_ical(raw)
    assert str(cal["VERSION"]) == "2.0" and "bmw-mentor" in str(cal["PRODID"])
    events = list(cal.walk("VEVENT"))
    project = load(source)
    context = build(project, checklist.shipped())
    dated_rows = [r for r in context.comm_rows if r.date]
    # training sessions that are not already a milestone (here: the line managers' briefing)
    own_sessions = [a for a in context.audiences if a.date and not a.milestone]
    assert [a.title for a in own_sessions] == ["Line managers"]
    assert len(events) == len(context.milestones) + len(dated_rows) + len(own_sessions)
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    stamp = project.updated.replace(tzinfo=dt.timezone.utc)
    by_summary = {}
    for e in events:
        start, end = e.decoded("DTSTART"), e.decoded("DTEND")
        assert type(start) is dt.date and end == start + dt.timedelta(days=1)  # all-day events
        assert e.decoded("DTSTAMP") == stamp
        by_summary.setdefault(str(e["SUMMARY"]), []).append(start)
    launch = project.get("start_date")
    assert by_summary["Launch: the first pairs meet"] == [launch]
    for m in context.milestones:
        assert m.date in by_summary[m.title]
    assert by_summary["Follow-up evaluation: what lasted?"] == [dates.working_day(dates.add_months(dates.add_months(launch, 18), 12))]
    assert any(s.startswith("Communication to Management") for s in by_summary)


def test_calendar_for_the_training_plan_only(tmp_path: Path) -> None:
    assert export(MANUFACTURING / "mentor-project.yaml", tmp_path / "t.ics", "--doc", "training") == 0
    cal = Calendar.from_ical((tmp_path / "t.ics").read_bytes())
    summaries = sorted(str(e["SUMMARY"]) for e in cal.walk("VEVENT"))
    assert summaries == ["Training: Line managers", "Training: Mentors with a growth focus", "Training: Successors"]


def test_hostile_answers_reach_the_calendar_as_plain_text(tmp_path: Path) -> None:
    """Control characters and bidi overrides are dropped as in the HTML and Markdown plans; no line injection."""
    payload = (
        "Zed\u202eevil\u202c \u2066iso\u2069 \x1b[31mred\x1b[0m \x1b]0;pwned\x07 C1\x9b31m"
        "\r\nBEGIN:VEVENT\r\nSUMMARY:injected"
    )
    data = load_yaml(MANUFACTURING / "mentor-project.yaml")
    setup = data["answers"]["setup"]
    setup["org_name"] = "Acme" + payload
    owners = [qid for qid in setup if qid.startswith("task_")]  # who does what: the events' "Owner:" line
    assert owners, "the example names owners of its tasks"
    for qid in owners:
        setup[qid] = payload
    project = write_project(tmp_path / "p.yaml", data)
    assert export(project, tmp_path / "plan.ics") == 0
    raw = (tmp_path / "plan.ics").read_bytes()
    # C0 (but the CRLF line ends), DEL, C1, bidi overrides and isolates, as UTF-8
    unsafe = rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]"
    assert not re.search(unsafe, raw)
    cal = Calendar.from_ical(raw)
    events = list(cal.walk("VEVENT"))
    assert export(MANUFACTURING / "mentor-project.yaml", tmp_path / "plain.ics") == 0
    assert len(events) == len(list(Calendar.from_ical((tmp_path / "plain.ics").read_bytes()).walk("VEVENT")))
    shown = for_document(payload)
    # on one line: an X- property is written without escaping
    assert str(cal["X-WR-CALNAME"]).endswith("Acme" + " ".join(shown.split()))
    texts = [str(e.get(k, "")) for e in events for k in ("SUMMARY", "DESCRIPTION")]
    assert any(shown in t for t in texts)  # the owner is there, as text
    assert all(str(e["SUMMARY"]) != "injected" for e in events)
