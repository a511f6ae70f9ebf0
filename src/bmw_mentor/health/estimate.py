"""The resource estimate: hours for mentors, mentees, training and the coordinator, from the answers.

Which figures exist, their default values and all wording live in the
``estimate:`` part of ``checklists/rules.yaml``. An input that was not answered
uses its default and is reported as an assumption, so the reader sees exactly
what the numbers rest on.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from bmw_mentor.framework.schema import AnswerValue, Checklists, Identifier, Language, Text
from bmw_mentor.framework.text import Filler, names_one_of, placeholders
from bmw_mentor.messages import number_text

# The sums themselves; every input and output name is declared in the YAML.
INPUTS = (
    "scope_pairs",
    "mentees_per_mentor",
    "meetings_per_month",
    "meeting_minutes",
    "relationship_months",
    "training_hours",
    "coordinator_setup_hours",
    "coordinator_hours_per_pair_month",
    "closing_hours",
    "mentee_briefing_hours",
)
OUTPUTS = (
    "hours_per_mentor",
    "mentor_hours_month",
    "hours_per_mentee",
    "mentors_needed",
    "pool_capacity",
    "training_hours_total",
    "mentor_hours_total",
    "coordinator_hours",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Assumption(_Strict):
    """A figure the estimate needs: from an answer when there is one, else ``value``."""

    id: Identifier
    answer: Identifier | None = None
    value: float = Field(ge=0)
    unit: Identifier | None = None
    label: Text


class Item(_Strict):
    id: Identifier
    unit: Identifier | None = None
    label: Text
    how: Text


class EstimateSpec(_Strict):
    assumptions: list[Assumption]
    units: dict[Identifier, Text] = Field(default_factory=dict)
    items: list[Item]

    def problems(self, checklists: Checklists) -> list[str]:
        """What does not fit the program or the checklists, one line each."""
        out: list[str] = []
        ids = [a.id for a in self.assumptions]
        out += [f"estimate.assumptions: missing '{name}'" for name in INPUTS if name not in ids]
        out += [f"estimate.assumptions: unknown figure '{name}'" for name in ids if name not in INPUTS]
        items = [i.id for i in self.items]
        out += [f"estimate.items: missing '{name}'" for name in OUTPUTS if name not in items]
        out += [f"estimate.items: unknown figure '{name}'" for name in items if name not in OUTPUTS]
        for a in self.assumptions:
            if a.answer is not None and a.answer not in checklists.questions:
                out.append(f"estimate.assumptions '{a.id}': answer '{a.answer}' is not a question")
        units = [a.unit for a in self.assumptions] + [i.unit for i in self.items]
        out += [f"estimate: unit '{u}' is not listed under units" for u in units if u and u not in self.units]
        known = set(INPUTS) | set(OUTPUTS) | {"mentor_pool", "mentee_briefing", "closing"}
        for item in self.items:
            for name in placeholders(item.how.en + item.how.nl):
                if name not in known and not names_one_of(name, checklists.questions):
                    out.append(f"estimate.items '{item.id}': {{{name}}} is neither a figure nor a question")
        return out


@dataclass(frozen=True)
class Matched:
    """The participants behind saved pairs: mentors listed, their places, and mentors with a pair."""

    mentors: int
    places: int
    in_use: int


@dataclass
class Figures:
    """Every input and output of the estimate, and which inputs were assumed."""

    values: dict[str, float | None] = field(default_factory=dict)
    assumed: list[str] = field(default_factory=list)
    # where the number of pairs comes from: "matched" (mentor match), "answer" (step 2) or "assumed"
    pairs_from: str = "assumed"


def _answered_number(checklists: Checklists, lookup: Mapping[str, AnswerValue], qid: str) -> float | None:
    q = checklists.questions.get(qid)
    if q is None or not q.applies(lookup):
        return None
    return finite(lookup.get(qid))


def finite(value: object) -> float | None:
    """A usable number, or None (hand-edited files may hold text, .inf or .nan)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value)


def _answered_choice_value(checklists: Checklists, lookup: Mapping[str, AnswerValue], qid: str) -> float | None:
    q = checklists.questions.get(qid)
    if q is None or not q.applies(lookup):
        return None
    value = lookup.get(qid)
    choice = q.choice(value) if isinstance(value, str) else None
    return choice.value if choice is not None else None


def figures(
    spec: EstimateSpec,
    checklists: Checklists,
    lookup: Mapping[str, AnswerValue],
    matched: int = 0,
    pool: Matched | None = None,
) -> Figures:
    """Compute the estimate; an input that is not answered takes its assumed value.

    ``matched`` is the number of pairs accepted with ``mentor match``: once there
    are any, they replace the number of pairs planned in step 2. ``pool`` is the
    participants list behind them: its mentors and their capacities then replace
    the planned pool and the planned mentees per mentor.
    """
    fig = Figures()
    used = {
        "closing_hours": lookup.get("closing_session") is True,
        "mentee_briefing_hours": lookup.get("brief_mentees") is True,
    }
    for a in spec.assumptions:
        answered: float | None = None
        if a.answer is not None:
            q = checklists.questions.get(a.answer)
            if q is not None and q.type == "single":
                answered = _answered_choice_value(checklists, lookup, a.answer)
            else:
                answered = _answered_number(checklists, lookup, a.answer)
        if a.id == "scope_pairs" and matched > 0:
            fig.values[a.id] = float(matched)
            fig.pairs_from = "matched"
        elif answered is not None:
            fig.values[a.id] = answered
            if a.id == "scope_pairs":
                fig.pairs_from = "answer"
        else:
            fig.values[a.id] = a.value
            if used.get(a.id, True):
                fig.assumed.append(a.id)
    v = fig.values
    listed = pool
    pool = _answered_number(checklists, lookup, "mentor_pool")
    per_month = v["meetings_per_month"] * v["meeting_minutes"] / 60  # type: ignore[operator]
    mpm = max(v["mentees_per_mentor"] or 1, 1)
    pairs = v["scope_pairs"] or 0
    briefing = v["mentee_briefing_hours"] if used["mentee_briefing_hours"] else 0
    closing = v["closing_hours"] if used["closing_hours"] else 0
    v["mentor_pool"] = pool
    v["mentee_briefing"] = briefing
    v["closing"] = closing
    v["mentor_hours_month"] = per_month * mpm
    v["hours_per_mentor"] = v["mentor_hours_month"] * v["relationship_months"] + v["training_hours"]  # type: ignore[operator]
    v["hours_per_mentee"] = per_month * v["relationship_months"] + briefing  # type: ignore[operator]
    v["mentors_needed"] = float(math.ceil(pairs / mpm))
    v["pool_capacity"] = pool * mpm if pool is not None else None
    if listed is not None and matched > 0:
        v["mentor_pool"] = float(listed.mentors)
        v["mentors_needed"] = float(listed.in_use)
        v["pool_capacity"] = float(listed.places)
    v["training_hours_total"] = v["mentors_needed"] * v["training_hours"] + pairs * briefing  # type: ignore[operator]
    v["mentor_hours_total"] = v["mentors_needed"] * v["hours_per_mentor"]
    v["coordinator_hours"] = (
        v["coordinator_setup_hours"] + pairs * v["coordinator_hours_per_pair_month"] * v["relationship_months"] + closing  # type: ignore[operator]
    )
    return fig


def number(value: float | None, lang: Language) -> str:
    """A figure as a reader expects it: at most one decimal, a comma in Dutch, '?' when unknown."""
    if value is None or not math.isfinite(value):
        return "?"
    return number_text(value, lang)


def build(
    spec: EstimateSpec,
    checklists: Checklists,
    lookup: Mapping[str, AnswerValue],
    lang: Language,
    matched: int = 0,
    pool: Matched | None = None,
) -> dict[str, Any]:
    """The estimate as plain data in ``lang``: items with their sums, the assumptions used, and the pairs counted."""
    fig = figures(spec, checklists, lookup, matched, pool)
    fill = Filler(checklists, lookup, lang)
    notes = _notes(fig, checklists, lookup, lang)
    if pool is not None and matched > 0:
        from bmw_mentor.messages import msg

        listed = msg("check_est_pool_listed", lang, mentors=pool.mentors, places=pool.places)
        notes["pool_capacity"] = f"{notes.get('pool_capacity', '')}; {listed}".lstrip("; ")

    def unit(name: str | None) -> str:
        return spec.units[name].get(lang) if name else ""

    shown = {name: number(value, lang) for name, value in fig.values.items()}

    def text(template: Text) -> str:
        # the figures first, then the organisation's words ({mentor}, ...)
        return fill(template, **shown)

    items = [
        {
            "id": item.id,
            "label": fill(item.label),
            "value": _plain(fig.values[item.id]),
            "display": number(fig.values[item.id], lang),
            "unit": unit(item.unit),
            "how": text(item.how),
            "note": fill(notes.get(item.id, "")),
        }
        for item in spec.items
    ]
    assumptions = [
        {
            "id": a.id,
            "label": fill(a.label),
            "value": _plain(fig.values[a.id]),
            "display": number(fig.values[a.id], lang),
            "unit": unit(a.unit),
            "question": a.answer,
            "command": f"mentor step {checklists.step_of[a.answer].number or 'setup'}" if a.answer in checklists.step_of else None,
        }
        for a in spec.assumptions
        if a.id in fig.assumed
    ]
    return {
        "items": items,
        "assumptions": assumptions,
        "pairs": _pairs(fig, checklists, lookup, lang),
        "values": {k: _plain(v) for k, v in fig.values.items()},
    }


def _pairs(fig: Figures, checklists: Checklists, lookup: Mapping[str, AnswerValue], lang: Language) -> dict[str, Any]:
    """How many pairs the estimate counts, where that number comes from, and a sentence saying so."""
    from bmw_mentor.messages import msg

    count = fig.values["scope_pairs"]
    planned = _answered_number(checklists, lookup, "scope_pairs")
    text = ""
    if fig.pairs_from == "matched":
        n = number(count, lang)
        if planned is not None and planned != count:
            text = msg("check_est_pairs_matched_planned", lang, n=n, planned=number(planned, lang))
        else:
            text = msg("check_est_pairs_matched", lang, n=n)
    return {"value": _plain(count), "source": fig.pairs_from, "planned": _plain(planned), "text": text}


def _notes(fig: Figures, checklists: Checklists, lookup: Mapping[str, AnswerValue], lang: Language) -> dict[str, str]:
    """Short remarks that compare a figure with what the answers allow."""
    from bmw_mentor.messages import msg

    v = fig.values
    notes: dict[str, str] = {}
    allowed = _answered_number(checklists, lookup, "mentor_hours_month")
    if lookup.get("mentor_time_allowed") is False:
        notes["mentor_hours_month"] = msg("check_est_no_time", lang)
    elif allowed is not None:
        key = "check_est_over" if (v["mentor_hours_month"] or 0) > allowed else "check_est_within"
        notes["mentor_hours_month"] = msg(key, lang, n=number(allowed, lang))
    capacity, pairs = v["pool_capacity"], v["scope_pairs"] or 0
    if capacity is None:
        notes["pool_capacity"] = msg("check_est_pool_unknown", lang)
    elif capacity == pairs:
        notes["pool_capacity"] = msg("check_est_exact", lang)
    elif capacity < pairs:
        notes["pool_capacity"] = msg("check_est_short", lang, n=number(pairs - capacity, lang))
    else:
        notes["pool_capacity"] = msg("check_est_room", lang, n=number(capacity - pairs, lang))
    return notes


def _plain(value: float | None) -> float | int | None:
    if value is None or not math.isfinite(value):
        return None
    return int(value) if float(value).is_integer() else round(value, 2)
