"""The pairs part of ``mentor status``: per pair the last meeting, meetings against the rhythm, and who is overdue."""

from __future__ import annotations

import datetime as dt

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from bmw_mentor.files.textsafe import clean
from bmw_mentor.messages import msg
from bmw_mentor.running.rhythm import PairState, Plan


def day(value: dt.date | None, lang: str) -> str:
    return value.isoformat() if value else "–"


def show(states: list[PairState], plan: Plan, today: dt.date, lang: str, console: Console) -> None:
    """A table of the pairs, then one line per pair that needs the coordinator."""
    if not states:
        console.print(msg("pairs_none", lang))
        return
    table = Table(title=msg("pairs_title", lang, today=day(today, lang)), title_justify="left")
    table.add_column(msg("pairs_col_pair", lang), no_wrap=True)
    for key in ("pairs_col_last", "pairs_col_meetings", "pairs_col_next", "pairs_col_review"):
        table.add_column(msg(key, lang), no_wrap=True, justify="right" if key == "pairs_col_meetings" else "left")
    for s in states:
        # mentor and mentee on lines of their own: the table then fits an 80-column terminal
        name = f"{escape(clean(s.pair.mentor))}\n[dim]–[/] {escape(clean(s.pair.mentee))}"
        count = f"{s.meetings}/{s.expected}" if s.expected is not None else str(s.meetings)
        table.add_row(name, day(s.last, lang), count, _next_meeting(s, lang), _next_review(s, lang))
    console.print(table)
    if plan.rhythm is not None:
        console.print(f"[dim]{msg('pairs_meetings_explained', lang)}[/]")
    else:
        console.print(f"[dim]{msg('pairs_no_rhythm', lang)}[/]")
    late = [s for s in states if s.needs_attention]
    if not late:
        console.print(msg("pairs_all_on_track", lang))
        return
    console.print(msg("pairs_overdue_heading", lang, n=len(late)))
    for s in late:
        parts = []
        if s.meeting_late_days:
            key = "pairs_meeting_late" if s.last else "pairs_meeting_late_none"
            parts.append(msg(key, lang, days=s.meeting_late_days, since=day(s.last or plan.start, lang)))
        if s.behind:
            parts.append(msg("pairs_behind", lang, held=s.meetings, expected=s.expected))
        if s.review_missed:
            parts.append(msg("pairs_review_missed", lang, due=day(s.review_missed, lang)))
        who = escape(clean(f"{s.pair.mentor} – {s.pair.mentee}"))
        console.print(f"  • [bold]{who}[/]: {'; '.join(parts)}")
    console.print(f"[dim]{msg('pairs_overdue_hint', lang)}[/]")


def _next_meeting(s: PairState, lang: str) -> str:
    """The date the next meeting is due; late ones in red with a "!" (it shows without colour too)."""
    if s.phase in ("not_started", "finished", "no_start"):
        return f"[dim]{msg('pairs_phase_' + s.phase, lang)}[/]"
    if s.meeting_late_days:
        return f"[bold red]{day(s.next_meeting, lang)} ![/]"
    return day(s.next_meeting, lang)


def _next_review(s: PairState, lang: str) -> str:
    if s.review_missed:
        return f"[bold red]{day(s.review_missed, lang)} ![/]"
    return day(s.next_review, lang)
