"""Contradictions said when they happen, one line each, with the way to fix them (the user may go on).

``mentor check`` finds the same problems later; here they appear right after the answer that
causes them, so that the user can correct it while the question is still fresh.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from bmw_mentor.framework.schema import AnswerValue, Language
from bmw_mentor.messages import msg

CAPACITY = ("scope_pairs", "mentor_pool", "mentees_per_mentor")
DURATION = ("programme_months", "relationship_months")


def _number(value: AnswerValue) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _show(n: float) -> str:
    return str(int(n)) if n == int(n) else f"{n:g}"


def after_answer(
    qid: str, lookup: Mapping[str, AnswerValue], lang: Language, mentors: str, today: dt.date | None = None
) -> list[str]:
    """The warnings that the answer to ``qid`` brings up, given every answer so far."""
    out: list[str] = []
    if qid in CAPACITY:
        pairs, pool, places = (_number(lookup.get(k)) for k in CAPACITY)
        if pairs is not None and pool is not None and places is not None and pairs > pool * places:
            numbers = {"pairs": _show(pairs), "pool": _show(pool), "places": _show(places), "total": _show(pool * places)}
            out.append(msg("warn_capacity", lang, mentors=mentors, **numbers))
    if qid in DURATION:
        programme, relationship = (_number(lookup.get(k)) for k in DURATION)
        if programme is not None and relationship is not None and programme < relationship:
            out.append(msg("warn_short_programme", lang, programme=_show(programme), relationship=_show(relationship)))
    if qid == "start_date":
        start = lookup.get("start_date")
        if isinstance(start, dt.date) and start < (today or dt.date.today()):
            out.append(msg("warn_past_start", lang, date=start.strftime("%d/%m/%Y")))
    return out
