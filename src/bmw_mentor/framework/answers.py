"""Checking one answer against its question: the same rules for prompts, answer files and resumes."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import TYPE_CHECKING, Any

from bmw_mentor.messages import msg

if TYPE_CHECKING:
    from bmw_mentor.framework.schema import AnswerValue, Language, Question

_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
# the words a yes/no answer may be written as (compared case-insensitively); the JSON Schema lists them too
YES_WORDS = frozenset({"yes", "y", "true", "ja", "j", "1"})
NO_WORDS = frozenset({"no", "n", "false", "nee", "0"})
# the years a plan can be dated in (wizard, answer files and hand-edited project files alike)
FIRST_YEAR = 1900
LAST_YEAR = 2200


class AnswerError(ValueError):
    """An answer that does not fit its question; the message is in the project's language."""


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _match_choice(q: Question, raw: str) -> str | None:
    text = raw.strip()
    if q.choice(text) is not None:
        return text
    folded = text.casefold()
    for c in q.choices:
        if folded in (c.label.en.casefold(), c.label.nl.casefold()):
            return c.id
    return None


def normalise(q: Question, value: Any, lang: Language) -> AnswerValue:
    """Return the stored form of ``value`` or raise :class:`AnswerError`.

    Accepts what a person or a consultant's answer file would naturally write:
    choice labels as well as ids, ``ja``/``nee`` for yes/no, ISO dates as text.
    """
    rules = q.validation
    if is_empty(value):
        if q.required:
            raise AnswerError(msg("answer_required", lang))
        return [] if q.type == "multi" and value == [] else None

    if q.type in ("text", "long_text"):
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise AnswerError(msg("answer_not_text", lang))
        text = str(value).strip()
        if not text:
            if q.required:
                raise AnswerError(msg("answer_required", lang))
            return None
        if rules and rules.min_length is not None and len(text) < rules.min_length:
            raise AnswerError(msg("answer_too_short", lang, n=rules.min_length))
        if rules and rules.max_length is not None and len(text) > rules.max_length:
            raise AnswerError(msg("answer_too_long", lang, n=rules.max_length))
        return text

    if q.type == "single":
        if not isinstance(value, str):
            raise AnswerError(msg("answer_not_choice", lang))
        found = _match_choice(q, value)
        if found is not None:
            return found
        if q.other and value.strip():
            return value.strip()
        raise AnswerError(msg("answer_unknown_choice", lang, value=value))

    if q.type == "multi":
        items = value if isinstance(value, list) else [value]
        out: list[str] = []
        for item in items:
            if not isinstance(item, str) or not item.strip():
                raise AnswerError(msg("answer_not_choice", lang))
            found = _match_choice(q, item)
            if found is None:
                if not q.other:
                    raise AnswerError(msg("answer_unknown_choice", lang, value=item))
                found = item.strip()
            if found not in out:
                out.append(found)
        if q.required and not out:
            raise AnswerError(msg("answer_required", lang))
        if rules and rules.min_selected is not None and len(out) < rules.min_selected:
            raise AnswerError(msg("answer_min_selected", lang, n=rules.min_selected))
        if rules and rules.max_selected is not None and len(out) > rules.max_selected:
            raise AnswerError(msg("answer_max_selected", lang, n=rules.max_selected))
        return out

    if q.type == "yes_no":
        if isinstance(value, bool):
            return value
        if isinstance(value, str):
            folded = value.strip().casefold()
            if folded in YES_WORDS:
                return True
            if folded in NO_WORDS:
                return False
        raise AnswerError(msg("answer_not_yes_no", lang))

    if q.type == "number":
        number: float
        if isinstance(value, bool):
            raise AnswerError(msg("answer_not_number", lang))
        if isinstance(value, (int, float)):
            number = value
        elif isinstance(value, str):
            try:
                number = float(value.strip().replace(",", "."))
            except ValueError:
                raise AnswerError(msg("answer_not_number", lang)) from None
        else:
            raise AnswerError(msg("answer_not_number", lang))
        if math.isnan(number) or math.isinf(number):
            raise AnswerError(msg("answer_not_number", lang))
        if rules and rules.integer and number != int(number):
            raise AnswerError(msg("answer_not_integer", lang))
        if rules and rules.min is not None and number < rules.min:
            raise AnswerError(msg("answer_too_small", lang, n=_fmt(rules.min)))
        if rules and rules.max is not None and number > rules.max:
            raise AnswerError(msg("answer_too_large", lang, n=_fmt(rules.max)))
        return int(number) if number == int(number) else number

    if q.type == "date":
        day: dt.date | None = None
        if isinstance(value, dt.datetime):
            day = value.date()
        elif isinstance(value, dt.date):
            day = value
        elif isinstance(value, str):
            day = parse_date(value)
        if day is None:
            raise AnswerError(msg("answer_not_date", lang))
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            # the plans count months and weeks from this date: far outside these years there is no calendar
            raise AnswerError(msg("answer_date_range", lang, first=FIRST_YEAR, last=LAST_YEAR))
        return day

    raise AssertionError(q.type)  # pragma: no cover - the schema allows no other type


def parse_date(text: str) -> dt.date | None:
    """Read an ISO date (2027-03-01) or a European day-first one (1/3/2027, 01-03-2027, 1.3.2027)."""
    text = text.strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    m = _DAY_FIRST.match(text)
    if m:
        day, month, year = (int(g) for g in m.groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None
    return None


def _fmt(n: float) -> str:
    return str(int(n)) if n == int(n) else str(n)
